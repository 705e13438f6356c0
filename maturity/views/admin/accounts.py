"""Changing an account: disabling and enabling it, administrator or not, password links."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import invitations, user_sessions, users
from maturity.domain.errors import DomainError
from maturity.forms import error_list
from maturity.forms.admin import ActionForm, TurnOffTwoFactorForm
from maturity.models import User
from maturity.security import session_records, two_factor
from maturity.views.admin import bp, person_or_404, remote_address
from maturity.views.admin.links import deliver
from maturity.views.admin.people import person_page


@bp.post("/people/<int:user_id>/disable")
def disable(user_id: int) -> ResponseReturnValue:
    return _act(user_id, "active", lambda user: _disable(user))


@bp.post("/people/<int:user_id>/enable")
def enable(user_id: int) -> ResponseReturnValue:
    return _act(user_id, "active", lambda user: _enable(user))


@bp.post("/people/<int:user_id>/administrator")
def make_admin(user_id: int) -> ResponseReturnValue:
    return _act(user_id, "admin", lambda user: _set_admin(user, admin=True))


@bp.post("/people/<int:user_id>/administrator/remove")
def remove_admin(user_id: int) -> ResponseReturnValue:
    return _act(user_id, "admin", lambda user: _set_admin(user, admin=False))


@bp.post("/people/<int:user_id>/sign-out-everywhere")
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    return _act(user_id, "sessions", lambda user: _sign_out_everywhere(user))


@bp.route("/people/<int:user_id>/two-factor/turn-off", methods=["GET", "POST"])
def turn_off_two_factor(user_id: int) -> ResponseReturnValue:
    """For someone who has lost their phone and their recovery codes: only after confirming
    who is asking, which is recorded (OWASP ASVS 6.4.4)."""
    user = person_or_404(user_id)
    if not user.tf_primary_method:
        flash(f"{_who(user)} does not have two-factor sign-in set up", "success")
        return redirect(url_for(".person", user_id=user.id))
    form = TurnOffTwoFactorForm()
    if form.validate_on_submit():
        try:
            two_factor.turn_off(
                user=user,
                actor=current_user,
                identity_check=form.identity_check.data or "",
                details=form.details.data or "",
                remote_address=remote_address(),
            )
        except DomainError as error:
            getattr(form, error.field or "identity_check").errors = [error.message]
        else:
            flash(
                f"Two-factor sign-in is off for {_who(user)}, and they have been signed out "
                "everywhere. They can sign in with their password and set it up again.",
                "success",
            )
            return redirect(url_for(".person", user_id=user.id))
    return render_template(
        "admin/turn_off_two_factor.html", person=user, form=form, error_list=error_list(form)
    )


@bp.post("/people/sign-out-everyone")
def sign_out_everyone() -> ResponseReturnValue:
    """Every session of everyone but this one: after a breach, or a key thought exposed."""
    if ActionForm().validate_on_submit():
        ended = user_sessions.end_everyone(
            actor=current_user, keep=session_records.current_key(), remote_address=remote_address()
        )
        flash(f"Everyone else has been signed out ({_sessions(ended)} ended)", "success")
    return redirect(url_for(".people_list"))


@bp.post("/people/<int:user_id>/password-link")
def password_link(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".person", user_id=user.id))
    try:
        made = invitations.create_reset_link(
            user=user, actor=current_user, remote_address=remote_address()
        )
    except DomainError as error:
        return person_page(user, errors={error.field or "reset": error.message})
    deliver(made)
    flash(
        "New invitation link created"
        if made.purpose == "invitation"
        else "Password reset link created",
        "success",
    )
    return redirect(url_for(".link", user_id=user.id))


def _act(user_id: int, field: str, change: Callable[[User], str]) -> ResponseReturnValue:
    user = person_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".person", user_id=user.id))
    try:
        message = change(user)
    except DomainError as error:
        return person_page(user, errors={error.field or field: error.message})
    flash(message, "success")
    return redirect(url_for(".person", user_id=user.id))


def _who(user: User) -> str:
    return user.name or user.email


def _disable(user: User) -> str:
    users.disable(user=user, actor=current_user, remote_address=remote_address())
    return f"{_who(user)}'s account is disabled and they have been signed out"


def _sign_out_everywhere(user: User) -> str:
    if user.id == current_user.id:
        # Their own sessions are on "Your account", where this one can be kept.
        raise DomainError("To sign yourself out elsewhere, use Your account", field="sessions")
    ended = user_sessions.end_all(user=user, actor=current_user, remote_address=remote_address())
    return f"{_who(user)} has been signed out everywhere ({_sessions(ended)} ended)"


def _sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


def _enable(user: User) -> str:
    users.enable(user=user, actor=current_user, remote_address=remote_address())
    return f"{_who(user)}'s account is enabled"


def _set_admin(user: User, *, admin: bool) -> str:
    users.set_admin(user=user, admin=admin, actor=current_user, remote_address=remote_address())
    return f"{_who(user)} is {'now' if admin else 'no longer'} an administrator"
