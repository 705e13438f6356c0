"""A maturity framework: ordered domains, ordered levels and a descriptor for each pair.

A framework version is immutable once loaded: a changed model is loaded as a new version
with the same key, and each assessment keeps the version it was made with.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.domain.levels import level_name
from maturity.extensions import Model, db

if TYPE_CHECKING:
    from maturity.models.organisation import Organisation, User


class Framework(Model):
    __tablename__ = "framework"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    figure_title: Mapped[str] = mapped_column(String(200))
    definitions_title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    notes: Mapped[list[str]] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    loaded_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # None for the versions the migrations installed, and once the person is deleted.
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # sha256 of the canonical spec: loading the same content twice is recognised, not repeated.
    checksum: Mapped[str] = mapped_column(String(64), default="", server_default="")

    loaded_by: Mapped[User | None] = relationship()
    domains: Mapped[list[FrameworkDomain]] = relationship(
        back_populates="framework", order_by="FrameworkDomain.position", lazy="selectin"
    )
    levels: Mapped[list[FrameworkLevel]] = relationship(
        back_populates="framework", order_by="FrameworkLevel.number", lazy="selectin"
    )

    def level_name(self, number: int | None) -> str:
        return level_name([level.name for level in self.levels], number)

    @property
    def top_level(self) -> int:
        return len(self.levels)


class FrameworkDomain(Model):
    __tablename__ = "framework_domain"
    __table_args__ = (
        UniqueConstraint("framework_id", "key"),
        UniqueConstraint("framework_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")

    framework: Mapped[Framework] = relationship(back_populates="domains")
    descriptors: Mapped[list[Descriptor]] = relationship(
        back_populates="domain", order_by="Descriptor.level_number", lazy="selectin"
    )


class FrameworkLevel(Model):
    __tablename__ = "framework_level"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))

    framework: Mapped[Framework] = relationship(back_populates="levels")


class Descriptor(Model):
    __tablename__ = "descriptor"
    __table_args__ = (UniqueConstraint("domain_id", "level_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("framework_domain.id", ondelete="CASCADE"))
    level_number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    domain: Mapped[FrameworkDomain] = relationship(back_populates="descriptors")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="descriptor", order_by="Criterion.position", lazy="selectin"
    )


class Criterion(Model):
    """A good-practice statement for one domain at one level: evidence that the level is reached."""

    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("descriptor_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    descriptor_id: Mapped[int] = mapped_column(
        ForeignKey("descriptor.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    descriptor: Mapped[Descriptor] = relationship(back_populates="criteria")


class RatingCriterion(Model):
    """A criterion an assessor ticked as met for a rating (see ``Rating.criteria``)."""

    __tablename__ = "rating_criterion"
    __table_args__ = (UniqueConstraint("rating_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))


class OrganisationFramework(Model):
    """A framework key enabled for an organisation: its people may assess against any
    version of it. Keyed by framework key, not version, so a new version needs no re-enabling.
    """

    __tablename__ = "organisation_framework"
    __table_args__ = (UniqueConstraint("organisation_id", "framework_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    framework_key: Mapped[str] = mapped_column(String(100))
    enabled_at: Mapped[datetime] = mapped_column(server_default=func.now())

    organisation: Mapped[Organisation] = relationship()
