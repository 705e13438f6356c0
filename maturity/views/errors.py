"""Error pages in the service's own look."""

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from passlib.exc import PasswordSizeError
from werkzeug.exceptions import HTTPException

TITLES = {
    400: "Sorry, there is a problem with your request",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "Sorry, there is a problem with your request",
    500: "Sorry, there is a problem with the service",
}


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

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        title = TITLES.get(code, error.name)
        return render_template("errors/error.html", code=code, title=title), code
