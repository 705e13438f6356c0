"""Sessions that end when they should: idle and absolute time-outs, and sign-out everywhere.

Flask keeps the session in a signed cookie, and Flask-Security finds the person from the
``fs_uniquifier`` stored in it. Rotating that value therefore ends every session the person
has, on every device: we do it on sign-out, when an account is disabled and when a password
changes. (Flask-Security rotates it itself on a password change.) The time stamps live in the same
signed cookie, so they cannot be forged.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import user_logged_out
from flask_security import current_user, logout_user
from flask_security.signals import password_changed, user_authenticated

from maturity.data import commit
from maturity.data.audit import record
from maturity.models import User

SIGNED_IN_AT = "fs_paa"  # set by Flask-Security when the password is checked
LAST_SEEN_AT = "last_seen_at"
# Requests that must not count as activity or be refused mid-way.
EXEMPT_ENDPOINTS = {"static", "health.healthz"}


def init_app(app: Flask) -> None:
    app.before_request(_enforce_time_limits)
    user_authenticated.connect(_signed_in, app)
    user_logged_out.connect(_signed_out, app)
    password_changed.connect(_password_changed, app)


def end_all(*, user: User) -> None:
    """End every session the person has; the caller commits."""
    user.fs_uniquifier = uuid.uuid4().hex


def _enforce_time_limits() -> ResponseReturnValue | None:
    if request.endpoint in EXEMPT_ENDPOINTS or not current_user.is_authenticated:
        return None
    now = time.time()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if now - last_seen_at > idle or now - signed_in_at > absolute:
        reason = "without activity" if now - last_seen_at > idle else "in all"
        limit = idle if reason == "without activity" else absolute
        g.session_timed_out = True  # only this session ends; the person's others go on
        logout_user()
        session.clear()
        flash(f"You were signed out after {_duration(limit)} {reason}. Sign in again.", "info")
        return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
    session[LAST_SEEN_AT] = now
    return None


def _signed_in(app: Flask, user: User, **_: Any) -> None:
    session[LAST_SEEN_AT] = time.time()
    record(action="sign_in.succeeded", actor=user, subject=user.email, remote_address=_address())
    commit()


def _signed_out(app: Flask, user: User | None = None, **_: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if g.get("session_timed_out"):
        record(action="session.timed_out", actor=user, subject=user.email)
        commit()
        return
    end_all(user=user)
    record(action="sign_out", actor=user, subject=user.email, remote_address=_address())
    commit()


def _password_changed(app: Flask, user: User, **_: Any) -> None:
    # Flask-Security has already rotated the uniquifier (ending every other session) and
    # signed this one in again; rotating once more would sign the person out here too.
    record(action="password.changed", actor=user, subject=user.email, remote_address=_address())
    commit()


def _address() -> str | None:
    return request.remote_addr if request else None


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
