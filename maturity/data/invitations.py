"""Links that let a person set their password: an invitation, or a reset an administrator made.

Nothing about a link is stored. The token is signed with the app's secret and carries a
fingerprint of the account's ``fs_uniquifier`` and password hash, so it stops working as soon
as either changes: once the password is set (single use), when the account is disabled, or
when another reset happens. Its issue time, also signed, limits how long it lasts.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from flask import current_app
from flask_security import hash_password
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update

from maturity.data import by_id, commit, users
from maturity.data.audit import record
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Organisation, User
from maturity.security import passwords

Purpose = Literal["invitation", "reset"]
PURPOSES: tuple[Purpose, ...] = ("invitation", "reset")
SALT = "maturity.password-link"


class LinkNotValid(DomainError):
    """Expired, used, tampered with, or for an account that can no longer use it."""

    def __init__(self) -> None:
        super().__init__("This link has expired or has already been used")


@dataclass(frozen=True)
class Link:
    user: User
    purpose: Purpose
    issued_at: int

    @property
    def token(self) -> str:
        fingerprint = _fingerprint(self.user)
        payload = {"u": self.user.id, "p": self.purpose, "t": self.issued_at, "f": fingerprint}
        return _serializer().dumps(payload)

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.issued_at + _validity(self.purpose), tz=UTC)


def now() -> float:
    """The clock links are checked against; tests replace it."""
    return time.time()


def invite(
    *,
    email: str,
    name: str,
    actor: User,
    organisation: Organisation | None = None,
    role: MembershipRole | None = None,
    remote_address: str | None = None,
) -> Link:
    user = users.invite(
        email=email,
        name=name,
        actor=actor,
        organisation=organisation,
        role=role,
        remote_address=remote_address,
    )
    return Link(user=user, purpose="invitation", issued_at=int(now()))


def create_reset_link(*, user: User, actor: User, remote_address: str | None = None) -> Link:
    """A link to set a new password; for someone who never set one, a fresh invitation."""
    if not user.active:
        raise DomainError("Enable the account before creating a password reset link", field="reset")
    purpose: Purpose = "invitation" if user.password is None else "reset"
    record(
        action="password.reset_link_created",
        actor=actor,
        subject=user.email,
        details={"link": purpose},
        remote_address=remote_address,
    )
    commit()
    return Link(user=user, purpose=purpose, issued_at=int(now()))


def reissue(*, user_id: int, purpose: str, issued_at: int) -> Link | None:
    """The link made moments ago, rebuilt to show once after the redirect (it is not stored)."""
    user = by_id(User, user_id)
    if user is None or purpose not in PURPOSES:
        return None
    return Link(user=user, purpose=cast(Purpose, purpose), issued_at=issued_at)


def read(*, token: str, purpose: Purpose) -> User:
    """The person the link is for, if it can still be used."""
    try:
        payload: Any = _serializer().loads(token)
    except BadSignature as exc:
        raise LinkNotValid() from exc
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise LinkNotValid()
    user_id, issued_at, fingerprint = payload.get("u"), payload.get("t"), payload.get("f")
    if not isinstance(user_id, int) or not isinstance(issued_at, int):
        raise LinkNotValid()
    age = now() - issued_at
    if age > _validity(purpose) or age < -60:
        raise LinkNotValid()
    user = by_id(User, user_id)
    if user is None or not user.active or not isinstance(fingerprint, str):
        raise LinkNotValid()
    if not hmac.compare_digest(fingerprint, _fingerprint(user)):
        raise LinkNotValid()
    return user


def set_password(
    *, token: str, purpose: Purpose, password: str, remote_address: str | None = None
) -> User:
    user = read(token=token, purpose=purpose)
    # The service's one password rule; what it returns is what gets hashed (normalised).
    password = passwords.checked(password, email=user.email, name=user.name)
    # Conditional on the fs_uniquifier the link was checked against: of two requests racing
    # with the same link only one can win, so it really is single use. The new value also
    # ends any session the account had.
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.fs_uniquifier == user.fs_uniquifier)
        .values(password=hash_password(password), fs_uniquifier=uuid.uuid4().hex)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise LinkNotValid()
    record(
        action="password.set_from_link",
        actor=user,
        subject=user.email,
        details={"link": purpose},
        remote_address=remote_address,
    )
    commit()
    db.session.refresh(user)
    return user


def _fingerprint(user: User) -> str:
    state = f"{user.fs_uniquifier}\n{user.password or ''}\n{user.email}".encode()
    return hashlib.sha256(state).hexdigest()[:32]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _validity(purpose: str) -> int:
    days = current_app.config.get("INVITATION_VALIDITY_DAYS", 7)
    if purpose == "reset":
        days = current_app.config.get("PASSWORD_RESET_VALIDITY_DAYS", days)
    return int(float(days) * 86400)
