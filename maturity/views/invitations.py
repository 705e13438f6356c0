"""Setting a password from an invitation or reset link; there is no open registration."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from maturity.data import invitations
from maturity.data.invitations import LinkNotValid, Purpose
from maturity.domain.errors import DomainError
from maturity.forms import error_list
from maturity.forms.admin import SetPasswordForm

bp = Blueprint("invitations", __name__)
PASSWORD_SET = "password_set_from_link"


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> ResponseReturnValue:
    return _set_password(token, "invitation")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    return _set_password(token, "reset")


@bp.get("/password-set")
def done() -> ResponseReturnValue:
    if not session.pop(PASSWORD_SET, False):
        return redirect(url_for("security.login"))
    return _private(render_template("invitations/done.html"))


def _set_password(token: str, purpose: Purpose) -> ResponseReturnValue:
    try:
        person = invitations.read(token=token, purpose=purpose)
    except LinkNotValid:
        return _private(render_template("invitations/not_valid.html", purpose=purpose), 410)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.set_password(
                token=token,
                purpose=purpose,
                password=form.password.data or "",
                remote_address=request.remote_addr,
            )
        except LinkNotValid:
            return _private(render_template("invitations/not_valid.html", purpose=purpose), 410)
        except DomainError as error:
            form.password.errors = [error.message]
        else:
            # They sign in as everyone does, so two-factor set-up and its checks apply.
            session[PASSWORD_SET] = True
            return redirect(url_for(".done"))
    return _private(
        render_template(
            "invitations/set_password.html",
            person=person,
            purpose=purpose,
            form=form,
            error_list=error_list(form),
        )
    )


def _private(body: str, status: int = 200) -> Response:
    """The address holds a secret: keep the page out of caches."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response
