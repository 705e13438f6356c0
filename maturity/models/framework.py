"""A maturity framework: ordered domains, ordered levels and a descriptor for each pair."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.domain.levels import level_name
from maturity.extensions import Model, db


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
