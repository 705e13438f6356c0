"""Error pages in the service's own look."""

from flask import Flask, g, render_template
from flask.typing import ResponseReturnValue
from flask_security.core import AnonymousUser
from flask_wtf.csrf import CSRFError
from passlib.exc import PasswordSizeError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from maturity.extensions import db

TITLES = {
    400: "Sorry, there is a problem with your request",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "Sorry, there is a problem with your request",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}
# Long enough for a database restart or fail-over; browsers and scripts may wait this long.
RETRY_AFTER_SECONDS = 30


def register(app: Flask) -> None:
    @app.errorhandler(PasswordSizeError)
    def password_too_long(error: PasswordSizeError) -> ResponseReturnValue:
        # The hashing library refuses very long input before any form could say so.
        return (
            render_template(
                "errors/error.html",
                code=400,
                title="That password is too long",
                detail="Passwords are at most 128 characters. Go back and try again.",
            ),
            400,
        )

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return (
            render_template(
                "errors/error.html",
                code=400,
                title="Your form could not be sent",
                detail="The page was open too long or in another session. Go back, reload "
                "the page and send it again; copy any long text you wrote first.",
            ),
            400,
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception) -> ResponseReturnValue:
        # The database went away (restart, fail-over, network): a temporary state the
        # service recovers from by itself, so 503 and "try again", not a 500.
        db.session.rollback()
        if "_login_user" not in g:
            # The failure came while loading who is signed in: say "nobody" for the rest of
            # this request, or rendering the page would ask the database again.
            g._login_user = AnonymousUser()
        app.logger.warning("database unavailable: %s", type(error).__name__)
        page = render_template(
            "errors/error.html",
            code=503,
            title=TITLES[503],
            detail="Try again in a few minutes. Nothing you saved before has been lost; "
            "if you were saving a form, go back and send it again.",
            database_unavailable=True,
        )
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        title = TITLES.get(code, error.name)
        return render_template("errors/error.html", code=code, title=title), code
