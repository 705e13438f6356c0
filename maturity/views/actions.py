"""Improvement actions on a domain: the "Add an improvement action" page, and the domain
page's buttons to mark an action done, open it again, or remove it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import actions, assessments
from maturity.domain.assessment_rules import ProblemsFound
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.forms import error_list
from maturity.forms.assessment import ActionForm
from maturity.models import ActionStatus, Assessment
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint(
    "actions",
    __name__,
    url_prefix="/organisations/<slug>/assessments/<int:assessment_id>/domains/<domain_key>",
)
bp.before_request(require_sign_in)


@bp.route("/actions/new", methods=["GET", "POST"])
def new(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    try:
        assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
    except NotFound:
        abort(404)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    back = _domain_page(slug, assessment, domain_key)
    form = ActionForm()
    if not assessment.is_editable and not form.is_submitted():
        return redirect(url_for("assessments.overview", slug=slug, assessment_id=assessment_id))
    if form.validate_on_submit():
        try:
            actions.add(
                assessment=assessment,
                domain_key=domain_key,
                what=form.what.data or "",
                owner=form.owner.data or "",
                due_date=form.due_date,
                actor=current_user,
            )
        except ProblemsFound as problems:
            for problem in problems.problems:
                getattr(form, problem.field).errors = [problem.message]
        except DomainError as error:  # locked, or changed by someone else meanwhile
            form.what.errors = [error.message]
        else:
            flash("Improvement action added", "success")
            return redirect(back)
    return render_template(
        "assessments/action_new.html",
        organisation=organisation,
        assessment=assessment,
        rating=rating,
        form=form,
        back=back,
        error_list=error_list(form),
    )


def act_on(
    button: tuple[str, int], *, slug: str, assessment: Assessment, domain_key: str
) -> ResponseReturnValue:
    """Carry out an action button pressed on the domain page, whose answers are saved.

    Raises :class:`DomainError` (the action has gone, the assessment is locked) for the
    domain page to show.
    """
    what, action_id = button
    if what == "add":
        return redirect(
            url_for("actions.new", slug=slug, assessment_id=assessment.id, domain_key=domain_key)
        )
    if what == "remove":
        actions.remove(assessment=assessment, action_id=action_id, actor=current_user)
        flash("Improvement action removed", "success")
    else:
        status = ActionStatus.DONE if what == "done" else ActionStatus.OPEN
        actions.set_status(
            assessment=assessment, action_id=action_id, status=status, actor=current_user
        )
        flash(f"Improvement action marked as {status.value}", "success")
    return redirect(_domain_page(slug, assessment, domain_key))


def _domain_page(slug: str, assessment: Assessment, domain_key: str) -> str:
    return (
        url_for("assessments.domain", slug=slug, assessment_id=assessment.id, domain_key=domain_key)
        + "#actions"
    )
