"""Assessments (an organisation's answers for one period) and their ratings."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint, event, func
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model
from maturity.models.audit import AuditTrailIsAppendOnly
from maturity.models.framework import Criterion, Framework, FrameworkDomain
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
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The approved assessment this one was started from, when it was.
    carried_forward_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    framework: Mapped[Framework] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    carried_forward_from: Mapped[Assessment | None] = relationship(
        remote_side=[id], foreign_keys=[carried_forward_from_id]
    )
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
    # Why the ambition is below the level reached, when it is.
    ambition_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set by an approver who judges the organisation to have reached another level.
    moderated_level: Mapped[int | None]
    moderated_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An approver's comment when sending the assessment back, shown on this domain's page.
    review_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    # True while the level and ambition are as carried forward from the previous period.
    carried_forward: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Why the assessor chose a level other than the one the ticked criteria suggest.
    level_differs_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    domain: Mapped[FrameworkDomain] = relationship()
    # The good-practice criteria the assessor ticked as met (rows of rating_criterion).
    criteria: Mapped[list[Criterion]] = relationship(
        secondary="rating_criterion", order_by="Criterion.id", lazy="selectin"
    )
    actions: Mapped[list[ImprovementAction]] = relationship(
        back_populates="rating",
        cascade="all, delete-orphan",
        order_by="ImprovementAction.position",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def judged_level(self) -> int | None:
        """The level charts and reports use: the moderated one where an approver set it."""
        return self.moderated_level if self.moderated_level is not None else self.level


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class ImprovementAction(Model):
    """What will be done to reach the ambition: what, who owns it, by when."""

    __tablename__ = "improvement_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        Enum(ActionStatus, name="action_status", values_callable=lambda e: [m.value for m in e]),
        default=ActionStatus.OPEN,
    )
    carried_forward: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    rating: Mapped[Rating] = relationship(back_populates="actions")


class RatingChange(Model):
    """One saved change to a rating: who, when, and the answers before and after.

    Append-only, like the audit trail; an assessment's history page lists these.
    """

    __tablename__ = "rating_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)

    rating: Mapped[Rating] = relationship()
    actor: Mapped[User | None] = relationship()


@event.listens_for(RatingChange, "before_update")
@event.listens_for(RatingChange, "before_delete")
def _history_is_kept(*_: object) -> None:
    raise AuditTrailIsAppendOnly("a rating's history is never changed or deleted")
