"""Organisations (bodies), people, and the roles people hold in organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_security import RoleMixin, UserMixin
from sqlalchemy import (
    Column,
    Dialect,
    Enum,
    ForeignKey,
    String,
    Table,
    TypeDecorator,
    UnicodeText,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.domain.roles import MembershipRole
from maturity.extensions import Model, db


class LineList(TypeDecorator[list[str]]):
    """A list of strings kept one a line in a text column. Flask-Security's AsaList joins
    with commas, which argon2 hashes contain (``m=19456,t=2,p=1``)."""

    impl = UnicodeText
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else "\n".join(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str]:
        return value.split("\n") if value else []


class Organisation(Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # Demo bodies' data is made up; every page and report about them says so.
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Counts changes to the data this body's reports show (maturity/data/report_triggers.py):
    # an oversight report built when the bodies' counters summed to N is current while
    # they still do, which is cheap to ask, unlike rebuilding its HTML.
    data_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


user_role = Table(
    "user_role",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Role(Model, RoleMixin):
    """A service-wide role (``admin``); roles within an organisation are memberships."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))


class User(Model, UserMixin):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    fs_uniquifier: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Two-factor sign-in, as Flask-Security names them (see maturity/security/two_factor.py).
    tf_primary_method: Mapped[str | None] = mapped_column(String(64))
    tf_totp_secret: Mapped[str | None] = mapped_column(String(255))  # encrypted
    tf_phone_number: Mapped[str | None] = mapped_column(String(128))  # unused: no SMS
    # The time step of the last code accepted, so that a code cannot be used twice.
    tf_totp_last_counter: Mapped[int | None]
    # Each an argon2id hash (maturity/security/two_factor.py, RecoveryCodes).
    mf_recovery_codes: Mapped[list[str] | None] = mapped_column(MutableList.as_mutable(LineList()))

    roles: Mapped[list[Role]] = relationship(secondary=user_role, lazy="selectin")  # type: ignore[assignment]
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_admin(self) -> bool:
        return any(role.name == "admin" for role in self.roles)

    @property
    def two_factor_required(self) -> bool:
        """Administrators and approvers must sign in with a code as well as a password."""
        return self.is_admin or any(m.role == MembershipRole.APPROVER for m in self.memberships)

    def check_tf_required_setup(self) -> bool:
        # Flask-Security asks this before it offers to turn two-factor sign-in off.
        return self.two_factor_required


class Membership(Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[MembershipRole] = mapped_column(
        Enum(MembershipRole, name="membership_role", values_callable=lambda e: [m.value for m in e])
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()
