"""Administration of organisations: the list, adding one, and who oversees whom."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import organisations
from maturity.domain.errors import DomainError, NotFound
from maturity.forms import error_list
from maturity.forms.admin import (
    NO_ORGANISATION,
    OrganisationForm,
    ParentForm,
    organisation_choices,
)
from maturity.models import Organisation
from maturity.views.admin import bp, remote_address

NOT_OVERSEEN = "None: not overseen by another organisation"


@bp.get("/organisations")
def organisation_list() -> ResponseReturnValue:
    return render_template(
        "admin/organisations.html", organisations=organisations.with_people_counts()
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_new() -> ResponseReturnValue:
    form = OrganisationForm()
    everyone = organisations.visible_to(user=current_user)
    form.parent.choices = organisation_choices(everyone, none_label=NOT_OVERSEEN)
    if form.validate_on_submit():
        try:
            made = organisations.create(
                name=form.name.data or "",
                parent=_organisation_or_none(form.parent.data),
                actor=current_user,
            )
        except DomainError as error:
            getattr(form, error.field or "name").errors = [error.message]
        else:
            flash(f"{made.name} added", "success")
            return redirect(url_for(".organisation_list"))
    return render_template("admin/organisation_new.html", form=form, error_list=error_list(form))


@bp.route("/organisations/<int:organisation_id>/parent", methods=["GET", "POST"])
def organisation_parent(organisation_id: int) -> ResponseReturnValue:
    organisation = _organisation(organisation_id)
    form = ParentForm()
    others = [o for o in organisations.visible_to(user=current_user) if o.id != organisation.id]
    form.parent.choices = organisation_choices(others, none_label=NOT_OVERSEEN)
    if not form.is_submitted():
        form.parent.data = organisation.parent_id or NO_ORGANISATION
    if form.validate_on_submit():
        try:
            organisations.set_parent(
                organisation=organisation,
                parent=_organisation_or_none(form.parent.data),
                actor=current_user,
                remote_address=remote_address(),
            )
        except DomainError as error:
            form.parent.errors = [error.message]
        else:
            flash(f"Changed who oversees {organisation.name}", "success")
            return redirect(url_for(".organisation_list"))
    return render_template(
        "admin/organisation_parent.html",
        organisation=organisation,
        form=form,
        error_list=error_list(form),
    )


def _organisation(organisation_id: int) -> Organisation:
    try:
        return organisations.get(organisation_id=organisation_id)
    except NotFound:
        abort(404)


def _organisation_or_none(organisation_id: int | None) -> Organisation | None:
    if not organisation_id:
        return None
    try:
        return organisations.get(organisation_id=organisation_id)
    except NotFound as error:
        raise DomainError("Select an organisation from the list", field="parent") from error
