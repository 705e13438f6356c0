"""Assessments (an organisation's answers for one period) and their ratings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model
from maturity.models.framework import Framework, FrameworkDomain
from maturity.models.organisation import Organisation, User


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class Assessment(Model):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("organisation_id", "framework_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[AssessmentStatus] = mapped_column(
        Enum(
            AssessmentStatus,
            name="assessment_status",
            values_callable=lambda e: [m.value for m in e],
        ),
        default=AssessmentStatus.DRAFT,
    )
    # Bumped on every update; a stale write raises instead of overwriting silently.
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    organisation: Mapped[Organisation] = relationship()
    framework: Mapped[Framework] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def ordered_ratings(self) -> list[Rating]:
        return sorted(self.ratings, key=lambda r: r.domain.position)

    @property
    def is_editable(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Rating(Model):
    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("assessment_id", "domain_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("framework_domain.id"))
    # None: not answered yet; 0: not yet at the first level; 1..N: the level reached.
    level: Mapped[int | None]
    evidence: Mapped[str] = mapped_column(Text, default="")
    reason_for_change: Mapped[str] = mapped_column(Text, default="")
    ambition: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    domain: Mapped[FrameworkDomain] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
