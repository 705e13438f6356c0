"""Improvement actions on a domain: the "Add an improvement action" and "Change an
improvement action" pages, and the domain page's buttons to mark an action done, open it
again, change it or remove it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import actions, assessments
from maturity.domain.assessment_rules import ProblemsFound, action_problems
from maturity.domain.errors import ConflictError, DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.forms import error_list
from maturity.forms.assessment import ActionForm, EditActionForm
from maturity.models import ActionStatus, Assessment, ImprovementAction, Organisation, Rating
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint(
    "actions",
    __name__,
    url_prefix="/organisations/<slug>/assessments/<int:assessment_id>/domains/<domain_key>",
)
bp.before_request(require_sign_in)


def _rating(
    slug: str, assessment_id: int, domain_key: str
) -> tuple[Organisation, Assessment, Rating]:
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    try:
        assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
    except NotFound:
        abort(404)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    return organisation, assessment, rating


@bp.route("/actions/new", methods=["GET", "POST"])
def new(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    organisation, assessment, rating = _rating(slug, assessment_id, domain_key)
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
    elif form.is_submitted():
        _with_text_problems(form)
    return render_template(
        "assessments/action_new.html",
        organisation=organisation,
        assessment=assessment,
        rating=rating,
        form=form,
        back=back,
        error_list=error_list(form),
    )


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def edit(slug: str, assessment_id: int, domain_key: str, action_id: int) -> ResponseReturnValue:
    organisation, assessment, rating = _rating(slug, assessment_id, domain_key)
    action = _action_of(rating, action_id)
    back = _domain_page(slug, assessment, domain_key)
    form = EditActionForm()
    if not form.is_submitted():
        if not assessment.is_editable:
            return redirect(url_for("assessments.overview", slug=slug, assessment_id=assessment_id))
        form.fill_from(action)
        form.seen.data = actions.fingerprint(action)
    elif form.validate_on_submit():
        try:
            actions.edit(
                assessment=assessment,
                action_id=action.id,
                what=form.what.data or "",
                owner=form.owner.data or "",
                due_date=form.due_date,
                status=ActionStatus(form.status.data),
                seen=form.seen.data or "",
                actor=current_user,
            )
        except ConflictError as error:
            # Saving again now replaces theirs, which the message has shown.
            form.seen.data = actions.fingerprint(action)
            form.what.errors = [error.message]
        except ProblemsFound as problems:
            for problem in problems.problems:
                getattr(form, problem.field).errors = [problem.message]
        except NotFound:
            abort(404)  # removed meanwhile
        except DomainError as error:  # locked, or changed by someone else meanwhile
            form.what.errors = [error.message]
        else:
            flash("Improvement action changed", "success")
            return redirect(back)
    else:
        _with_text_problems(form)
    return render_template(
        "assessments/action_new.html",
        organisation=organisation,
        assessment=assessment,
        rating=rating,
        form=form,
        back=back,
        editing=True,
        error_list=error_list(form, anchors=ANCHORS),
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
    if what == "edit":
        if action_id < 1:  # a tampered button
            raise NotFound("That improvement action no longer exists")
        return redirect(
            url_for(
                "actions.edit",
                slug=slug,
                assessment_id=assessment.id,
                domain_key=domain_key,
                action_id=action_id,
            )
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


@bp.app_template_global()
def action_today() -> date:
    """Today in the UK: an open action due before it is overdue."""
    return actions.today()


# The error summary links to the first box of the date and to the first radio.
ANCHORS = {"due_day": "due_day", "status": "status"}


def _with_text_problems(form: ActionForm) -> None:
    """A form refused for its date or status also shows what is wrong with its words, so
    the error summary lists every problem at once (the data layer refuses them anyway)."""
    for problem in action_problems(what=form.what.data or "", owner=form.owner.data or ""):
        field = getattr(form, problem.field)
        if not field.errors:
            field.errors = [problem.message]


def _action_of(rating: Rating, action_id: int) -> ImprovementAction:
    """The domain's action; another domain's, or a made-up id, is not found."""
    action = next((a for a in rating.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    return action


def _domain_page(slug: str, assessment: Assessment, domain_key: str) -> str:
    return (
        url_for("assessments.domain", slug=slug, assessment_id=assessment.id, domain_key=domain_key)
        + "#actions"
    )
