"""People who sign in."""

from __future__ import annotations

import uuid

from email_validator import EmailNotValidError, validate_email
from flask_security import hash_password
from sqlalchemy import func, select

from maturity.data import commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.extensions import db
from maturity.models import Role, User

ADMIN_ROLE = "admin"
MINIMUM_PASSWORD_LENGTH = 12
NAME_LENGTH = User.name.type.length
EMAIL_LENGTH = User.email.type.length


def normalise_email(email: str) -> str:
    """The address as stored: checked for form (not deliverability), and lower-cased so that
    one person cannot hold two accounts differing only in case."""
    try:
        valid = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError(
            "Enter an email address in the correct format, like name@example.org", field="email"
        ) from exc
    normalised = valid.normalized.lower()
    if len(normalised) > EMAIL_LENGTH:
        raise DomainError(
            f"Email address must be {EMAIL_LENGTH} characters or fewer", field="email"
        )
    return normalised


def create(
    *, email: str, password: str, name: str = "", admin: bool = False, actor: User | None = None
) -> User:
    email = normalise_email(email)
    name = name.strip()
    if len(name) > NAME_LENGTH:
        raise DomainError(f"Name must be {NAME_LENGTH} characters or fewer", field="name")
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise DomainError(
            f"Password must be {MINIMUM_PASSWORD_LENGTH} characters or more", field="password"
        )
    user = User(
        email=email,
        name=name,
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
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
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
