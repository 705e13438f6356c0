"""Administration of people: the list, inviting someone, a person's page and their roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import invitations, organisations, users
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.forms import error_list
from maturity.forms.admin import (
    NO_ORGANISATION,
    ROLE_HINTS,
    ActionForm,
    InviteForm,
    RoleForm,
    organisation_choices,
)
from maturity.models import Organisation, User
from maturity.views import account_sessions
from maturity.views.admin import bp, person_or_404, remote_address
from maturity.views.admin.links import deliver

NO_ROLE_YET = "None for now"


@bp.get("/people")
def people_list() -> ResponseReturnValue:
    return render_template(
        "admin/people.html", people=users.everyone(), action_form=ActionForm(formdata=None)
    )


@bp.route("/people/invite", methods=["GET", "POST"])
def invite() -> ResponseReturnValue:
    form = InviteForm()
    everyone = organisations.visible_to(user=current_user)
    form.organisation.choices = organisation_choices(everyone, none_label=NO_ROLE_YET)
    if form.validate_on_submit():
        try:
            link = invitations.invite(
                email=form.email.data or "",
                name=form.name.data or "",
                organisation=_organisation_or_none(form.organisation.data),
                role=MembershipRole(form.role.data) if form.role.data else None,
                actor=current_user,
                remote_address=remote_address(),
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors = [error.message]
        else:
            deliver(link)
            flash("Invitation created", "success")
            return redirect(url_for(".link", user_id=link.user.id))
    return render_template(
        "admin/invite.html", form=form, role_hints=ROLE_HINTS, error_list=error_list(form)
    )


@bp.get("/people/<int:user_id>")
def person(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    form = RoleForm(formdata=None)
    chosen = request.args.get("organisation", type=int)
    if chosen:
        form.organisation.data = chosen
        form.role.data = next(
            (m.role.value for m in user.memberships if m.organisation_id == chosen), None
        )
    return person_page(user, role_form=form)


@bp.post("/people/<int:user_id>/roles")
def give_role(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    form = _with_choices(RoleForm())
    if form.validate_on_submit():
        try:
            organisation = _organisation_or_none(form.organisation.data)
            if organisation is None:
                raise DomainError("Select an organisation", field="organisation")
            organisations.grant(
                user=user,
                organisation=organisation,
                role=MembershipRole(form.role.data),
                actor=current_user,
            )
        except DomainError as error:
            getattr(form, error.field or "organisation").errors = [error.message]
        else:
            who = user.name or user.email
            flash(f"{who} is now {form.role.data} in {organisation.name}", "success")
            return redirect(url_for(".person", user_id=user.id))
    return person_page(user, role_form=form)


@bp.post("/people/<int:user_id>/roles/<int:organisation_id>/remove")
def remove_role(user_id: int, organisation_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    try:
        organisation = organisations.get(organisation_id=organisation_id)
    except NotFound:
        abort(404)
    if ActionForm().validate_on_submit():
        organisations.revoke(
            user=user,
            organisation=organisation,
            actor=current_user,
            remote_address=remote_address(),
        )
        flash(f"Removed {user.name or user.email}'s role in {organisation.name}", "success")
    return redirect(url_for(".person", user_id=user.id))


def _with_choices(form: RoleForm) -> RoleForm:
    everyone = organisations.visible_to(user=current_user)
    form.organisation.choices = organisation_choices(everyone, none_label="Select an organisation")
    return form


def person_page(
    user: User, *, role_form: RoleForm | None = None, errors: dict[str, str] | None = None
) -> ResponseReturnValue:
    """The person's page, with any refusal shown beside the button or field it concerns."""
    form = role_form or RoleForm(formdata=None)
    if not form.organisation.choices:
        _with_choices(form)
    errors = errors or {}
    problems = error_list(form) + [{"text": m, "href": f"#{key}"} for key, m in errors.items()]
    return render_template(
        "admin/person.html",
        person=user,
        memberships=sorted(user.memberships, key=lambda m: m.organisation.name),
        role_form=form,
        role_hints=ROLE_HINTS,
        errors=errors,
        action_form=ActionForm(formdata=None),
        two_factor=bool(getattr(user, "tf_primary_method", None)),
        signed_in_sessions=account_sessions.rows(user),
        error_list=problems,
    )


def _organisation_or_none(organisation_id: int | None) -> Organisation | None:
    if not organisation_id or organisation_id == NO_ORGANISATION:
        return None
    try:
        return organisations.get(organisation_id=organisation_id)
    except NotFound as error:
        raise DomainError("Select an organisation from the list", field="organisation") from error
