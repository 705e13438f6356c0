"""Filling in an assessment: choose the period, answer each domain, check, submit."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import assessments, frameworks
from maturity.domain.errors import ConflictError, DomainError, NotFound
from maturity.domain.roles import MembershipRole, at_least
from maturity.forms import error_list
from maturity.forms.assessment import RatingForm, StartAssessmentForm
from maturity.models import Assessment, Organisation, Rating
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("assessments", __name__, url_prefix="/organisations/<slug>/assessments")
bp.before_request(require_sign_in)


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
    form = StartAssessmentForm()
    if form.validate_on_submit():
        try:
            assessment = assessments.start(
                organisation=organisation,
                framework=frameworks.current(),
                period=form.period.data,
                actor=current_user,
            )
        except DomainError as error:
            form.period.errors = [error.message]
        else:
            return redirect(url_for(".overview", slug=slug, assessment_id=assessment.id))
    return render_template(
        "assessments/new.html", organisation=organisation, form=form, error_list=error_list(form)
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
    )


@bp.route("/<int:assessment_id>/domains/<domain_key>", methods=["GET", "POST"])
def domain(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    organisation, assessment, _ = _assessment(slug, assessment_id, MembershipRole.ASSESSOR)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    if not assessment.is_editable and not _posted():
        return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))
    # What the person typed is redisplayed on any refusal, never dropped.
    form = RatingForm(obj=None if _posted() else rating)
    form.set_framework(assessment.framework)
    theirs: Rating | None = None
    if not _posted():
        form.version.data = str(rating.version)
    if form.validate_on_submit():
        try:
            assessments.save_rating(
                assessment=assessment,
                domain_key=domain_key,
                level=form.level.data,
                evidence=form.evidence.data or "",
                reason_for_change=form.reason_for_change.data or "",
                ambition=form.ambition.data,
                actor=current_user,
                expected_version=_version(form.version.data),
            )
        except ConflictError as error:
            form.level.errors = [error.message]
            # Their answers are shown beside these; saving again means choosing these.
            saved = assessments.get(organisation=organisation, assessment_id=assessment_id)
            theirs = next(r for r in saved.ratings if r.domain.key == domain_key)
            form.version.data = str(theirs.version)
        except DomainError as error:
            getattr(form, error.field or "level").errors = [error.message]
        else:
            if form.save_draft.data:
                return redirect(url_for(".overview", slug=slug, assessment_id=assessment_id))
            return redirect(_next_step(slug, assessment, domain_key))
    return render_template(
        "assessments/domain.html",
        organisation=organisation,
        assessment=assessment,
        rating=rating,
        theirs=theirs,
        form=form,
        error_list=error_list(form, anchors={"level": "level", "ambition": "ambition"}),
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


def _posted() -> bool:
    return request.method == "POST"


def _version(submitted: str | None) -> int | None:
    """The version the person opened; a tampered value counts as stale, not as a crash."""
    try:
        return int(submitted) if submitted else None
    except ValueError:
        return -1


def _next_step(slug: str, assessment: Assessment, domain_key: str) -> str:
    keys = [r.domain.key for r in assessment.ordered_ratings]
    following = keys[keys.index(domain_key) + 1 :]
    unanswered = {r.domain.key for r in assessment.ratings if r.level is None}
    for key in following:
        if key in unanswered:
            return url_for(".domain", slug=slug, assessment_id=assessment.id, domain_key=key)
    if unanswered:
        return url_for(".overview", slug=slug, assessment_id=assessment.id)
    return url_for(".check", slug=slug, assessment_id=assessment.id)
