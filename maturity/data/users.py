"""People who sign in."""

from __future__ import annotations

import uuid

from flask_security import hash_password
from sqlalchemy import func, select

from maturity.data import commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.extensions import db
from maturity.models import Role, User

ADMIN_ROLE = "admin"
MINIMUM_PASSWORD_LENGTH = 12


def create(
    *, email: str, password: str, name: str = "", admin: bool = False, actor: User | None = None
) -> User:
    email = email.strip()
    if "@" not in email:
        raise DomainError(
            "Enter an email address in the correct format, like name@example.org", field="email"
        )
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise DomainError(
            f"Password must be {MINIMUM_PASSWORD_LENGTH} characters or more", field="password"
        )
    user = User(
        email=email,
        name=name.strip(),
        password=hash_password(password),
        active=True,
        fs_uniquifier=uuid.uuid4().hex,
    )
    if admin:
        user.roles.append(_admin_role())
    db.session.add(user)
    record(action="user.created", actor=actor, subject=email, details={"admin": admin})
    commit(on_integrity_error=DomainError(f"{email} already has an account", field="email"))
    return user


def find(*, email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"No one has the email address {email!r}")
    return user


def exist() -> bool:
    return db.session.scalar(select(func.count(User.id))) != 0


def _admin_role() -> Role:
    role = db.session.scalar(select(Role).where(Role.name == ADMIN_ROLE))
    if role is None:
        role = Role(name=ADMIN_ROLE, description="Manages organisations, people and frameworks")
        db.session.add(role)
    return role
