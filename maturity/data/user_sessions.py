"""Records of signed-in sessions: made at sign-in, checked on every request, listed for the
person and for administrators, and ended one at a time, all but one, or all.

Keys are the random values kept in each session's signed cookie; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update

from maturity.data import by_id, commit
from maturity.data.audit import record
from maturity.domain.errors import NotFound
from maturity.extensions import db
from maturity.models import User, UserSession

USER_AGENT_LENGTH = UserSession.user_agent.type.length


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def now() -> datetime:
    """Naive UTC, as every stored time is."""
    return datetime.now(UTC).replace(tzinfo=None)


def start(
    *,
    user: User,
    key: str,
    ip_address: str | None,
    user_agent: str,
    replacing: str | None = None,
    continuing: bool = False,
) -> UserSession:
    """A new session's record. ``replacing``: the key this browser's session had before,
    whose record goes; ``continuing``: the same session goes on under the new key (a password
    change signs the person in again), so its sign-in time stays.
    The person's stale records (timed out, or begun under an fs_uniquifier since rotated)
    go too: nobody would see them, and nothing else removes them."""
    moment = now()
    signed_in_at = moment
    if replacing is not None:
        previous = _find(replacing)
        if previous is not None:
            if continuing and previous.user_id == user.id:
                signed_in_at = previous.signed_in_at
            db.session.delete(previous)
    _remove_stale(user=user)
    made = UserSession(
        user=user,
        key_hash=fingerprint(key),
        uniquifier_hash=fingerprint(user.fs_uniquifier),
        signed_in_at=signed_in_at,
        last_seen_at=moment,
        ip_address=ip_address,
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
    )
    db.session.add(made)
    commit()
    return made


def live_one(*, user: User, key: str | None) -> UserSession | None:
    """The session with this key, if it is one of the person's and has not been ended."""
    if not key:
        return None
    found = _find(key)
    return found if found is not None and found.user_id == user.id else None


def touch(
    *, session: UserSession, ip_address: str | None, every: timedelta = timedelta(seconds=60)
) -> None:
    """The session was used now. Written at most once per ``every``: a page view is not
    worth a write (most requests write nothing at all), and "last active" is shown to the
    minute."""
    moment = now()
    if session.last_seen_at >= moment - every and session.ip_address == ip_address:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session.id)
        .values(last_seen_at=moment, ip_address=ip_address)
        .execution_options(synchronize_session=False)
    )
    commit()


def end(*, key: str | None) -> None:
    """This session is over (signed out or timed out); the caller's sign-out is audited."""
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == fingerprint(key)))
        commit()


def live(
    *, user: User, idle: timedelta, absolute: timedelta, margin: timedelta = timedelta(minutes=2)
) -> list[UserSession]:
    """The person's sessions that could still be in use, most recently active first.
    ``margin`` covers the minute ``touch`` may be behind."""
    moment = now()
    query = (
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.uniquifier_hash == fingerprint(user.fs_uniquifier),
            UserSession.last_seen_at > moment - idle - margin,
            UserSession.signed_in_at > moment - absolute,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(query))


def end_one(*, user: User, session_id: int, actor: User, remote_address: str | None = None) -> None:
    """The person ends one of their own sessions; another's is not found."""
    found = by_id(UserSession, session_id)
    if found is None or found.user_id != user.id:
        raise NotFound("No such session")
    db.session.delete(found)
    record(
        action="sessions.ended_one",
        actor=actor,
        subject=user.email,
        details={"signed_in_at": found.signed_in_at.isoformat(timespec="minutes")},
        remote_address=remote_address,
    )
    commit()


def end_others(
    *,
    user: User,
    keep: str | None,
    actor: User,
    reason: str,
    remote_address: str | None = None,
) -> int:
    """End every session of the person's but the one with key ``keep``; returns how many."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.key_hash != fingerprint(keep))
    ended = db.session.execute(query).rowcount  # type: ignore[attr-defined]
    record(
        action="sessions.ended_others",
        actor=actor,
        subject=user.email,
        details={"reason": reason, "sessions": ended},
        remote_address=remote_address,
    )
    commit()
    return int(ended)


def end_all(*, user: User, actor: User, remote_address: str | None = None) -> int:
    """An administrator signs the person out everywhere (without disabling them)."""
    from maturity.security import sessions

    ended = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount  # type: ignore[attr-defined]
    # Rotating fs_uniquifier as well: a session the records somehow missed ends too.
    sessions.end_all(user=user)
    record(
        action="sessions.ended_by_administrator",
        actor=actor,
        subject=user.email,
        details={"sessions": ended},
        remote_address=remote_address,
    )
    commit()
    return int(ended)


def end_everyone(*, actor: User, keep: str | None, remote_address: str | None = None) -> int:
    """Every session of everyone, but the administrator's own that asked."""
    query = delete(UserSession)
    if keep:
        query = query.where(UserSession.key_hash != fingerprint(keep))
    ended = db.session.execute(query).rowcount  # type: ignore[attr-defined]
    record(
        action="sessions.everyone_signed_out",
        actor=actor,
        details={"sessions": ended},
        remote_address=remote_address,
    )
    commit()
    return int(ended)


def _find(key: str) -> UserSession | None:
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == fingerprint(key)))


def _remove_stale(*, user: User) -> None:
    from flask import current_app

    moment = now()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(
                UserSession.uniquifier_hash != fingerprint(user.fs_uniquifier),
                UserSession.last_seen_at < moment - idle - timedelta(minutes=2),
                UserSession.signed_in_at < moment - absolute,
            ),
        )
    )
