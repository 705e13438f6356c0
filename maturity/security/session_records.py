"""Server-side records of signed-in sessions (OWASP ASVS 7.4.3, 7.4.5, 7.5.2).

Each sign-in puts a random key in the session's signed cookie and a record of it (its SHA-256)
in the database. Every signed-in request must find its record: ending a session is removing
its record, which signs out that browser alone at its next request, even with a copied
cookie. That is how a person ends their other sessions from "Your account", how an
administrator signs one person or everyone out, and how a change to someone's two-factor
sign-in ends their sessions elsewhere.

The idle and absolute time-outs stay with maturity/security/sessions.py, which measures them
from the cookie; the record's "last active" is for people to read. Requests that
sessions.py counts as activity (every one but its exempt and passive endpoints: the time-out
warning's "Stay signed in" is activity, its status check is not) update it, at most once a
minute.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_login import user_logged_out
from flask_security import current_user
from flask_security.signals import user_authenticated

from maturity.data import user_sessions
from maturity.models import User
from maturity.security import sessions

SESSION_KEY = "session_key"
# How often a session's "last active" is written: a page view is not worth a write each.
TOUCH_EVERY = timedelta(seconds=60)


def init_app(app: Flask) -> None:
    """Call after sessions.init_app: a session that has timed out is ended there first."""
    app.before_request(_check)
    user_authenticated.connect(_signed_in, app)
    user_logged_out.connect(_signed_out, app)


def current_key() -> str | None:
    return session.get(SESSION_KEY)


def end_other_sessions(*, user: User, reason: str) -> int:
    """After a change to how the person signs in: every session of theirs but this one ends
    (this one too, when the change was not made by them in a session of their own)."""
    mine = current_user.is_authenticated and current_user.id == user.id
    return user_sessions.end_others(
        user=user,
        keep=current_key() if mine else None,
        actor=current_user if current_user.is_authenticated else user,
        reason=reason,
        remote_address=request.remote_addr,
    )


def _check() -> None:
    if request.endpoint in sessions.EXEMPT_ENDPOINTS or not current_user.is_authenticated:
        return
    found = user_sessions.live_one(user=current_user, key=current_key())
    if found is None:
        _sign_out_here()
        flash("You have been signed out: this session was ended. Sign in again.", "info")
        return
    if request.endpoint not in sessions.PASSIVE_ENDPOINTS:
        user_sessions.touch(session=found, ip_address=request.remote_addr, every=TOUCH_EVERY)


def _sign_out_here() -> None:
    """This browser only. Flask-Login's logout_user would announce a sign-out, which ends
    every session the person has (sessions.py); an ended session is not a sign-out."""
    session.clear()
    current_app.login_manager._update_request_context_with_user()  # type: ignore[attr-defined]


def _signed_in(app: Flask, user: User, authn_via: list[str] | None = None, **_: Any) -> None:
    previous = current_key()
    key = secrets.token_urlsafe(32)
    user_sessions.start(
        user=user,
        key=key,
        ip_address=request.remote_addr,
        user_agent=request.headers.get("User-Agent", ""),
        replacing=previous,
        # A password change signs the person in again in the same browser (a new key, so an
        # older copy of this cookie does not come back to life): the same session goes on.
        continuing="change" in (authn_via or []),
    )
    session[SESSION_KEY] = key


def _signed_out(app: Flask, user: User | None = None, **_: Any) -> None:
    user_sessions.end(key=session.pop(SESSION_KEY, None))
