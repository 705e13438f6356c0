"""The time-out warning (WCAG 2.2.1 Timing Adjustable), after the HMRC "service timeout"
pattern: every signed-in page says when the session will end (so it is known without
JavaScript too), and assets/js/timeout.js opens a dialog shortly before then, whose "Stay
signed in" posts to :func:`keep_alive`.

The server keeps the time: the page carries the seconds left, and the script asks
:func:`status` again before it warns or signs anyone out, so activity in another tab (or
another window) is never mistaken for idleness. :func:`status` is passive: asking does not
extend the session; only "Stay signed in" and the person's own requests do.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_security import current_user
from flask_wtf.csrf import generate_csrf

from maturity.security import sessions

bp = Blueprint("timeout", __name__)
# Times on pages are read in the UK (as maturity/views/jobs.py and review.py show them).
LOCAL_TIME = ZoneInfo("Europe/London")

sessions.PASSIVE_ENDPOINTS.add("timeout.status")
sessions.QUIET_ENDPOINTS.add("timeout.signed_out")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_session_on_page)


@bp.post("/session/keep-alive")
def keep_alive() -> ResponseReturnValue:
    """ "Stay signed in": this request is activity (see sessions._enforce_time_limits), so the
    idle time starts again; the answer says when the session now ends."""
    return _answer()


@bp.get("/session/status")
def status() -> ResponseReturnValue:
    """When the session ends, without extending it (a passive endpoint). Also a fresh CSRF
    token: after signing in again in another tab, a page still open here can keep its
    draft and be sent (the script checks it is the same person first)."""
    return _answer(csrf=True)


@bp.get("/signed-out")
def signed_out() -> ResponseReturnValue:
    """Where the time-out warning sends a page whose session has ended."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    idle, absolute = (
        current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds(),
        current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds(),
    )
    return render_template(
        "session/signed_out.html",
        reason="absolute" if request.args.get("reason") == "absolute" else "idle",
        idle=sessions.describe_duration(idle),
        absolute=sessions.describe_duration(absolute),
        next=_local_path(request.args.get("next", "")),
    )


def _answer(*, csrf: bool = False) -> ResponseReturnValue:
    expiry = sessions.expiry()
    if expiry is None:
        return jsonify(signed_in=False), 401
    body: dict[str, Any] = {
        "signed_in": True,
        "person": current_user.id,
        "expires_in": round(expiry.at - time.time(), 1),
        "warn_before": sessions.warning_seconds(),
        "expires_at_text": clock_time(expiry.at),
        "reason": expiry.reason,
    }
    if csrf:
        body["csrf_token"] = generate_csrf()
    return jsonify(body), 200, {"Cache-Control": "no-store"}


def clock_time(epoch: float) -> str:
    """ "14:32", UK time."""
    return datetime.fromtimestamp(epoch, LOCAL_TIME).strftime("%H:%M")


def _session_on_page() -> dict[str, Any]:
    """What base.html says about the session's end, and tells the script: a function the
    page calls, so that a page shown while the database is down never asks who is signed
    in (which would ask the database again)."""
    return {"session_end": _session_end}


def _session_end() -> dict[str, Any] | None:
    if not current_user or not current_user.is_authenticated:
        return None
    expiry = sessions.expiry()
    if expiry is None:
        return None
    return {
        "expires_in": round(expiry.at - time.time(), 1),
        "warn_before": sessions.warning_seconds(),
        "at": clock_time(expiry.at),
        "reason": expiry.reason,
        "idle": sessions.describe_duration(expiry.idle_seconds),
        "absolute": sessions.describe_duration(expiry.absolute_seconds),
    }


def _local_path(path: str) -> str:
    """A path on this site to go back to after signing in again, or nothing: never another
    site's address (an open redirect)."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return ""
