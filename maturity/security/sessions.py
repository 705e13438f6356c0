"""Sessions that end when they should: idle and absolute time-outs, and sign-out everywhere.

Flask keeps the session in a signed cookie, and Flask-Security finds the person from the
``fs_uniquifier`` stored in it. Rotating that value therefore ends every session the person
has, on every device: we do it on sign-out, when an account is disabled and when a password
changes. (Flask-Security rotates it itself on a password change.) The time stamps live in the same
signed cookie, so they cannot be forged.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import user_logged_out
from flask_security import current_user, logout_user
from flask_security.signals import password_changed, user_authenticated

from maturity.data import commit
from maturity.data.audit import record
from maturity.extensions import db
from maturity.models import User

SIGNED_IN_AT = "fs_paa"  # set by Flask-Security when the password is checked
LAST_SEEN_AT = "last_seen_at"
# Requests that must not count as activity or be refused mid-way.
EXEMPT_ENDPOINTS = {"static", "health.healthz"}
# Requests a page's own script makes by itself (asking when the session ends, keeping a draft
# of what is being typed): refused once the session has timed out, like any other, but not
# activity, or a page left open would keep its session alive for ever. Only "Stay signed in"
# (maturity/views/session_timeout.py) and the person's own requests extend a session.
PASSIVE_ENDPOINTS: set[str] = set()
# Pages that say a session has ended ("You have been signed out"): a session found timed
# out there ends quietly and the page is shown, rather than sending the person to sign in.
QUIET_ENDPOINTS: set[str] = set()
# Test-only, shorter limits for one session (the browser tests share one server): honoured
# only with SESSION_TIMEOUTS_FROM_SESSION, which nothing sets from the environment, and
# only ever shorter than the configured ones. The cookie is signed, so nobody can set them.
TEST_IDLE_SECONDS = "test_idle_seconds"
TEST_WARNING_SECONDS = "test_warning_seconds"

log = logging.getLogger(__name__)
# Called with the person by the request that finds their session timed out, before it ends:
# what that request carried can still be kept for them (a domain's answers posted too late
# are kept as a draft: maturity/views/drafts.py). Each returns whether it kept anything.
_time_out_hooks: list[Callable[[User], bool]] = []


@dataclass(frozen=True)
class Expiry:
    """When the signed-in session ends unless the person does something: ``at`` (epoch
    seconds) and why then: "idle" (the idle limit) or "absolute" (the session's whole
    length, which nothing extends)."""

    at: float
    reason: str
    idle_seconds: float
    absolute_seconds: float


def init_app(app: Flask) -> None:
    app.before_request(_enforce_time_limits)
    user_authenticated.connect(_signed_in, app)
    user_logged_out.connect(_signed_out, app)
    password_changed.connect(_password_changed, app)


def on_time_out(hook: Callable[[User], bool]) -> None:
    if hook not in _time_out_hooks:
        _time_out_hooks.append(hook)


def limits() -> tuple[float, float]:
    """This session's idle and absolute limits, in seconds."""
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    if current_app.config.get("SESSION_TIMEOUTS_FROM_SESSION"):
        idle = min(idle, float(session.get(TEST_IDLE_SECONDS, idle)))
    return idle, absolute


def warning_seconds() -> float:
    """How long before the session ends the time-out warning is shown: the configured lead,
    but at most half the idle limit (a short limit would otherwise warn at once)."""
    idle, _ = limits()
    lead = current_app.config["SESSION_WARNING_LEAD"].total_seconds()
    if current_app.config.get("SESSION_TIMEOUTS_FROM_SESSION"):
        lead = min(lead, float(session.get(TEST_WARNING_SECONDS, lead)))
    return min(lead, idle / 2)


def expiry() -> Expiry | None:
    """When the signed-in person's session ends, as of now; None when nobody is signed in."""
    if not current_user.is_authenticated:
        return None
    idle, absolute = limits()
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    idle_end, absolute_end = last_seen_at + idle, signed_in_at + absolute
    if absolute_end < idle_end:
        return Expiry(absolute_end, "absolute", idle, absolute)
    return Expiry(idle_end, "idle", idle, absolute)


def end_all(*, user: User) -> None:
    """End every session the person has; the caller commits."""
    user.fs_uniquifier = uuid.uuid4().hex


def _enforce_time_limits() -> ResponseReturnValue | None:
    if request.endpoint in EXEMPT_ENDPOINTS or not current_user.is_authenticated:
        return None
    now = time.time()
    idle, absolute = limits()
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if now - last_seen_at > idle or now - signed_in_at > absolute:
        reason = "without activity" if now - last_seen_at > idle else "in all"
        limit = idle if reason == "without activity" else absolute
        kept = _run_time_out_hooks()
        g.session_timed_out = True  # only this session ends; the person's others go on
        logout_user()
        session.clear()
        if request.endpoint in QUIET_ENDPOINTS:
            return None
        if request.endpoint in PASSIVE_ENDPOINTS:
            # A script asked: it shows the signed-out page itself (an answer, not a page).
            why = "idle" if limit == idle else "absolute"
            return jsonify(signed_in=False, reason=why, kept=kept), 401
        message = f"You were signed out after {describe_duration(limit)} {reason}."
        if kept:
            message += " What you typed has been kept: sign in again to carry on."
        else:
            message += " Sign in again."
        flash(message, "info")
        return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
    if request.endpoint not in PASSIVE_ENDPOINTS:
        session[LAST_SEEN_AT] = now
    return None


def _run_time_out_hooks() -> bool:
    kept = False
    for hook in _time_out_hooks:
        try:
            kept = hook(current_user) or kept
        except Exception:  # keeping what was typed must never stop the session ending
            db.session.rollback()
            log.exception("keeping what a timed-out request carried")
    return kept


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


def describe_duration(seconds: float) -> str:
    if seconds < 60:  # only the browser tests' shortened limits
        return f"{round(seconds)} seconds"
    minutes = round(seconds / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
