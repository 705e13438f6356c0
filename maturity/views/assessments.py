"""Filling in an assessment: choose the period, answer each domain, check, submit; and
its history of changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import actions, assessments, drafts, framework_choice, history, journey
from maturity.domain import guided as guided_rules
from maturity.domain.assessment_rules import Answers, ProblemsFound, TaskStatus
from maturity.domain.errors import ConflictError, DomainError, NotFound
from maturity.domain.roles import MembershipRole, at_least
from maturity.forms import error_list
from maturity.forms.assessment import RatingForm, StartAssessmentForm
from maturity.models import Assessment, Organisation, Rating
from maturity.views import actions as action_buttons
from maturity.views import drafts as draft_views
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("assessments", __name__, url_prefix="/organisations/<slug>/assessments")
bp.before_request(require_sign_in)

ANCHORS = {"level": "level", "ambition": "ambition", "criteria": "criteria"}


@dataclass(frozen=True)
class Conflict:
    """Someone else's saved answers beside the ones this person typed and could not save."""

    theirs: Rating
    saved_by: str
    saved_at: datetime | None
    mine: Answers


def _assessment(
    slug: str, assessment_id: int, needs: MembershipRole
) -> tuple[Organisation, Assessment, MembershipRole]:
    organisation, role = organisation_for(slug, needs=needs)
    try:
        assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
    except NotFound:
        abort(404)
    return organisation, assessment, role


@bp.route("/new", methods=["GET", "POST"])
def new(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    enabled = framework_choice.enabled_frameworks(organisation=organisation)
    form = StartAssessmentForm()
    form.set_frameworks(enabled)
    if enabled and form.validate_on_submit():
        try:
            assessment = assessments.start(
                organisation=organisation,
                framework=form.chosen(enabled),
                period=form.period.data,
                actor=current_user,
            )
        except DomainError as error:
            form.period.errors = [error.message]
        else:
            return redirect(url_for(".overview", slug=slug, assessment_id=assessment.id))
    return render_template(
        "assessments/new.html",
        organisation=organisation,
        form=form,
        frameworks=enabled,
        error_list=error_list(form),
    )


@bp.get("/<int:assessment_id>")
def overview(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment, role = _assessment(slug, assessment_id, MembershipRole.VIEWER)
    can_edit = assessment.is_editable and at_least(role, MembershipRole.ASSESSOR)
    return render_template(
        "assessments/overview.html",
        organisation=organisation,
        assessment=assessment,
        can_edit=can_edit,
        statuses=journey.task_statuses(assessment=assessment) if can_edit else {},
        actions_by_rating=actions.by_rating(assessment=assessment),
        TaskStatus=TaskStatus,
    )


@bp.route("/<int:assessment_id>/domains/<domain_key>", methods=["GET", "POST"])
def domain(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    organisation, assessment, _ = _assessment(slug, assessment_id, MembershipRole.ASSESSOR)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    if not assessment.is_editable and not _posted():
        return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))
    # What the person was typing when they last left the page (a time-out, a lost
    # connection, a closed tab), kept as their draft, comes back into the form; with it the
    # version they had opened, so saving it over someone else's newer save is a conflict.
    restored = None if _posted() else drafts.worth_restoring(rating=rating, person=current_user)
    # What the person typed is redisplayed on any refusal, never dropped.
    form = RatingForm(
        obj=None if _posted() or restored else rating,
        data=restored.answers.as_json() if restored else None,
    )
    # An ambition of 0 (an import may set it) is offered where it is saved, restored or
    # posted, so saving keeps it and a save racing another's is a conflict, not an error.
    ambition_zero = (
        rating.ambition == 0
        or (restored is not None and restored.answers.ambition == 0)
        or (_posted() and request.form.get("ambition") == "0")
    )
    form.set_framework(assessment.framework, rating.domain, ambition_zero=ambition_zero)
    criteria = journey.criteria_by_level(rating.domain)
    guided = any(criteria.values())
    conflict: Conflict | None = None
    action_error = ""
    if not _posted():
        form.version.data = str(restored.base_version if restored else rating.version)
        form.criteria.data = (
            list(restored.answers.criteria)
            if restored and restored.answers.criteria is not None
            else [c.id for c in rating.criteria]
        )
    if form.validate_on_submit():
        button = form.action_button()
        try:
            assessments.save_rating(
                assessment=assessment,
                domain_key=domain_key,
                level=form.level.data,
                evidence=form.evidence.data or "",
                reason_for_change=form.reason_for_change.data or "",
                ambition=form.ambition.data,
                ambition_reason=form.ambition_reason.data or "",
                # Unticking every box is an answer too, so a guided domain always sends a list.
                criteria=(form.criteria.data or []) if guided else None,
                level_differs_reason=form.level_differs_reason.data or "",
                actor=current_user,
                expected_version=_version(form.version.data),
                complete=bool(form.save_and_continue.data),
                # Pressing an action's button saves the answers on the way, but is not
                # the person saying they have checked answers carried forward.
                checked=button is None,
            )
        except ConflictError as error:
            conflict = _conflict(organisation, assessment_id, domain_key, form)
            if conflict is None:  # it was submitted meanwhile: nothing left to choose
                assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
                form.level.errors = [_locked_message(assessment)]
            else:
                form.level.errors = [error.message]
                rating = conflict.theirs
        except ProblemsFound as found:
            for problem in found.problems:
                getattr(form, problem.field).errors = [problem.message]
        except DomainError as error:
            field = error.field if error.field and error.field in form else "level"
            getattr(form, field).errors = [error.message]
        else:
            if button is not None:
                try:
                    return action_buttons.act_on(
                        button, slug=slug, assessment=assessment, domain_key=domain_key
                    )
                except DomainError as error:
                    action_error = error.message
                    form.version.data = str(rating.version)  # the answers were saved
            elif form.save_and_continue.data:
                return redirect(_next_step(slug, assessment, domain_key))
            elif form.suggest.data:
                return redirect(
                    url_for(
                        ".domain",
                        slug=slug,
                        assessment_id=assessment_id,
                        domain_key=domain_key,
                        _anchor="suggestion",
                    )
                )
            else:
                return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))
    problems = error_list(form, anchors=ANCHORS)
    if action_error:
        problems.append({"text": action_error, "href": "#actions"})
    return render_template(
        "assessments/domain.html",
        organisation=organisation,
        assessment=assessment,
        rating=rating,
        conflict=conflict,
        previous=journey.previous_period(assessment=assessment),
        actions=actions.by_rating(assessment=assessment).get(rating.id, []),
        criteria=criteria if guided else {},
        suggested=journey.suggested_level(rating.domain, set(form.criteria.data or ())),
        rule=(guided_rules.RULE, guided_rules.NOT_THE_NAO),
        form=form,
        error_list=problems,
        restored=restored,
        restored_at=draft_views.kept_at_text(restored) if restored else "",
        ambition_zero=ambition_zero,
    )


@bp.route("/<int:assessment_id>/check", methods=["GET", "POST"])
def check(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment, _ = _assessment(slug, assessment_id, MembershipRole.ASSESSOR)
    problems: list[dict[str, str]] = []
    if _posted():
        try:
            assessments.submit(assessment=assessment, actor=current_user)
        except DomainError as error:
            problems = [{"text": error.message, "href": "#answers"}]
        else:
            return redirect(url_for(".submitted", slug=slug, assessment_id=assessment_id))
    return render_template(
        "assessments/check.html",
        organisation=organisation,
        assessment=assessment,
        actions_by_rating=actions.by_rating(assessment=assessment),
        error_list=problems,
    )


@bp.get("/<int:assessment_id>/submitted")
def submitted(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment, _ = _assessment(slug, assessment_id, MembershipRole.VIEWER)
    if assessment.is_editable:
        return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))
    return render_template(
        "assessments/submitted.html", organisation=organisation, assessment=assessment
    )


@bp.get("/<int:assessment_id>/history", endpoint="history")
def changes(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment, _ = _assessment(slug, assessment_id, MembershipRole.VIEWER)
    return render_template(
        "assessments/history.html",
        organisation=organisation,
        assessment=assessment,
        entries=history.for_assessment(assessment=assessment),
    )


def _posted() -> bool:
    return request.method == "POST"


def _version(submitted: str | None) -> int | None:
    """The version the person opened; a tampered value counts as stale, not as a crash."""
    try:
        return int(submitted) if submitted else None
    except ValueError:
        return -1


def _conflict(
    organisation: Organisation, assessment_id: int, domain_key: str, form: RatingForm
) -> Conflict | None:
    """The newer saved answers to show beside the person's own; None if the assessment
    is no longer a draft. The form's version moves on to theirs, so saving again means
    choosing these answers over theirs."""
    saved = assessments.get(organisation=organisation, assessment_id=assessment_id)
    if not saved.is_editable:
        return None
    theirs = next(r for r in saved.ratings if r.domain.key == domain_key)
    form.version.data = str(theirs.version)
    change = history.latest(rating=theirs)
    return Conflict(
        theirs=theirs,
        saved_by=history.who(change) if change else "someone else",
        saved_at=change.changed_at if change else None,
        mine=form.answers(),
    )


def _locked_message(assessment: Assessment) -> str:
    try:
        assessments.refuse_if_locked(assessment=assessment)
    except DomainError as error:
        return error.message
    return "The assessment can no longer be changed"


def _next_step(slug: str, assessment: Assessment, domain_key: str) -> str:
    """The next domain still to finish, else the task list, or check answers when all are."""
    statuses = journey.task_statuses(assessment=assessment)
    keys = [r.domain.key for r in assessment.ordered_ratings]
    unfinished = {key for key, status in statuses.items() if status != TaskStatus.COMPLETED}
    for key in keys[keys.index(domain_key) + 1 :]:
        if key in unfinished:
            return url_for(".domain", slug=slug, assessment_id=assessment.id, domain_key=key)
    if unfinished:
        return url_for(".overview", slug=slug, assessment_id=assessment.id)
    return url_for(".check", slug=slug, assessment_id=assessment.id)
