"""The accessibility statement that public bodies must publish for a service they run."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from maturity.security.sessions import describe_duration

bp = Blueprint("accessibility", __name__)

# Change these when the statement is reviewed, or when the tests it describes change: the
# Public Sector Bodies Accessibility Regulations 2018 ask for both dates.
PREPARED_ON = date(2026, 11, 25)
REVIEWED_ON = date(2026, 12, 6)


@bp.get("/accessibility")
def statement() -> ResponseReturnValue:
    return render_template(
        "accessibility/statement.html",
        prepared_on=PREPARED_ON,
        reviewed_on=REVIEWED_ON,
        contact_email=current_app.config.get("ACCESSIBILITY_CONTACT_EMAIL", ""),
        idle_minutes=int(current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds() // 60),
        absolute=describe_duration(current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()),
        # As the warning itself is timed (sessions.warning_seconds): at most half the idle time.
        warning=describe_duration(
            min(
                current_app.config["SESSION_WARNING_LEAD"].total_seconds(),
                current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds() / 2,
            )
        ),
    )
