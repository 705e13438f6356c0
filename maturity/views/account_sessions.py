"""A person's signed-in sessions on "Your account": seeing them, and ending one or all the
others after confirming it is them (OWASP ASVS 7.5.2). Routes on the account blueprint
(maturity/security/two_factor.py), which requires sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user, url_for_security
from flask_security.utils import check_and_update_authn_fresh

from maturity.data import user_sessions
from maturity.domain import user_agents
from maturity.domain.errors import NotFound
from maturity.models import User
from maturity.security import session_records
from maturity.security.two_factor import bp


@dataclass(frozen=True)
class SessionRow:
    id: int
    device: str
    ip_address: str
    signed_in_at: datetime
    last_seen_at: datetime
    current: bool


def rows(user: User) -> list[SessionRow]:
    """The person's sessions that may still be in use, this one first."""
    config = current_app.config
    mine = session_records.current_key()
    here = user_sessions.fingerprint(mine) if mine else None
    found = [
        SessionRow(
            id=record.id,
            device=user_agents.describe(record.user_agent),
            ip_address=record.ip_address or "Not known",
            signed_in_at=record.signed_in_at,
            last_seen_at=record.last_seen_at,
            current=record.key_hash == here,
        )
        for record in user_sessions.live(
            user=user,
            idle=config["SESSION_IDLE_TIMEOUT"],
            absolute=config["SESSION_ABSOLUTE_TIMEOUT"],
        )
    ]
    return sorted(found, key=lambda row: not row.current)


@bp.post("/account/sessions/end-others")
def end_other_sessions() -> ResponseReturnValue:
    if (asked := _confirm_it_is_you()) is not None:
        return asked
    ended = user_sessions.end_others(
        user=current_user,
        keep=session_records.current_key(),
        actor=current_user,
        reason="signed out of all other sessions",
        remote_address=request.remote_addr,
    )
    flash(
        "You have been signed out of all other sessions"
        if ended
        else "You had no other sessions to sign out of",
        "success",
    )
    return redirect(_back())


@bp.post("/account/sessions/<int:session_id>/end")
def end_session(session_id: int) -> ResponseReturnValue:
    if (asked := _confirm_it_is_you()) is not None:
        return asked
    if any(row.current and row.id == session_id for row in rows(current_user)):
        # This one ends by signing out, which says so; here it would be a surprise.
        abort(404)
    try:
        user_sessions.end_one(
            user=current_user,
            session_id=session_id,
            actor=current_user,
            remote_address=request.remote_addr,
        )
    except NotFound:
        abort(404)
    flash("That session has been signed out", "success")
    return redirect(_back())


def _confirm_it_is_you() -> ResponseReturnValue | None:
    """Ending sessions needs the person to have confirmed who they are recently (at sign-in
    or on the confirm page): someone at a browser left signed in cannot throw the owner out
    of their other sessions. Flask-Security's freshness rule, as for two-factor changes."""
    config = current_app.config
    if check_and_update_authn_fresh(
        config["SECURITY_FRESHNESS"], config["SECURITY_FRESHNESS_GRACE_PERIOD"]
    ):
        return None
    flash("Confirm it is you, then choose again which sessions to sign out of.", "info")
    return redirect(url_for_security("verify", next=_back()))


def _back() -> str:
    return url_for("account.account", _anchor="sessions")
