"""People who sign in."""

from __future__ import annotations

import uuid

from email_validator import EmailNotValidError, validate_email
from flask_security import hash_password
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from maturity.data import by_id, commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Membership, Organisation, Role, User
from maturity.security import passwords

ADMIN_ROLE = "admin"
MINIMUM_PASSWORD_LENGTH = passwords.MINIMUM_LENGTH
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
    password = passwords.checked(password, email=email, name=name)
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


def emails() -> list[str]:
    return list(db.session.scalars(select(User.email)))


def exist() -> bool:
    return db.session.scalar(select(func.count(User.id))) != 0


def _admin_role() -> Role:
    role = db.session.scalar(select(Role).where(Role.name == ADMIN_ROLE))
    if role is None:
        role = Role(name=ADMIN_ROLE, description="Manages organisations, people and frameworks")
        db.session.add(role)
    return role


# Administration: people invited rather than registered, disabled, made administrators.


def invite(
    *,
    email: str,
    name: str,
    actor: User | None,
    organisation: Organisation | None = None,
    role: MembershipRole | None = None,
    remote_address: str | None = None,
) -> User:
    """An account with no password yet: it can be used only once a link sets one.

    The membership is made in the same unit of work, so a refused invitation leaves nothing.
    """
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's full name", field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(f"Name must be {NAME_LENGTH} characters or fewer", field="name")
    if (organisation is None) != (role is None):
        if role is None:
            raise DomainError("Select the person's role in the organisation", field="role")
        raise DomainError("Select the organisation the role is in", field="organisation")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(f"{email} already has an account", field="email")
    user = User(email=email, name=name, password=None, active=True, fs_uniquifier=uuid.uuid4().hex)
    db.session.add(user)
    details: dict[str, str] = {}
    if organisation is not None and role is not None:
        db.session.add(Membership(user=user, organisation=organisation, role=role))
        details = {"organisation": organisation.name, "role": role.value}
    record(
        action="user.invited",
        actor=actor,
        organisation=organisation,
        subject=email,
        details=details,
        remote_address=remote_address,
    )
    commit(on_integrity_error=DomainError(f"{email} already has an account", field="email"))
    return user


def get(*, user_id: int) -> User:
    user = by_id(User, user_id)
    if user is None:
        raise NotFound("No such person")
    return user


def everyone() -> list[User]:
    """Every account with its roles and their organisations, loaded in a fixed few queries."""
    query = (
        select(User)
        .options(selectinload(User.memberships).joinedload(Membership.organisation))
        .order_by(func.lower(User.name), User.email)
    )
    return list(db.session.scalars(query))


def disable(*, user: User, actor: User, remote_address: str | None = None) -> None:
    if user.id == actor.id:
        raise DomainError("You cannot disable your own account", field="active")
    if not user.active:
        return
    user.active = False
    # Flask-Security finds a session's person by fs_uniquifier: a new one ends every session
    # and "remember me" cookie, and makes any password link already given out stop working.
    user.fs_uniquifier = uuid.uuid4().hex
    _end_all_sessions(user=user)
    record(action="user.disabled", actor=actor, subject=user.email, remote_address=remote_address)
    commit()


def enable(*, user: User, actor: User, remote_address: str | None = None) -> None:
    if user.active:
        return
    user.active = True
    record(action="user.enabled", actor=actor, subject=user.email, remote_address=remote_address)
    commit()


def set_admin(*, user: User, admin: bool, actor: User, remote_address: str | None = None) -> None:
    if not admin and user.id == actor.id:
        raise DomainError("You cannot remove your own administrator role", field="admin")
    if admin == user.is_admin:
        return
    if admin:
        user.roles.append(_admin_role())
    else:
        user.roles = [role for role in user.roles if role.name != ADMIN_ROLE]
    record(
        action="admin.granted" if admin else "admin.revoked",
        actor=actor,
        subject=user.email,
        remote_address=remote_address,
    )
    commit()


def _end_all_sessions(*, user: User) -> None:
    """The session layer's own hook, for anything beyond the rotated fs_uniquifier."""
    from maturity.security import sessions

    sessions.end_all(user=user)
