"""An approver's pages: review a submitted assessment, moderate, approve, send back, reopen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import actions, assessments, decisions, duties, organisations, review
from maturity.domain import chart
from maturity.domain.errors import (
    ConflictError,
    DomainError,
    LockedError,
    NotFound,
    NotIndependent,
)
from maturity.domain.progress import level_change
from maturity.domain.roles import MembershipRole, at_least
from maturity.forms import error_list
from maturity.forms.review import (
    AGREE,
    DecisionForm,
    ModerationForm,
    ReopenForm,
    comment_field,
    send_back_form,
)
from maturity.models import Assessment, AssessmentStatus, Organisation, Rating
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint(
    "review", __name__, url_prefix="/organisations/<slug>/assessments/<int:assessment_id>"
)
bp.before_request(require_sign_in)

# Dates are stored in UTC; the people reading them are in the UK.
LOCAL_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DomainReview:
    """What the review page shows for one domain."""

    rating: Rating
    previous_level: int | None  # the level charted for the previous period
    previous_moderated: bool
    change: str  # "Up 1 level", "Same level", ...
    form: ModerationForm


@dataclass(frozen=True)
class ReviewSummary:
    """What an assessment's overview says about its review (see review/_overview.html)."""

    can_review: bool
    decision: review.Decision | None


def _assessment(slug: str, assessment_id: int) -> tuple[Organisation, Assessment]:
    organisation, _ = organisation_for(slug, needs=MembershipRole.APPROVER)
    try:
        assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
    except NotFound:
        abort(404)
    return organisation, assessment


@bp.get("/review")
def show(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    return _review_page(organisation, assessment)


@bp.post("/review/domains/<domain_key>")
def moderate(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    form = _moderation_form(rating, posted=True)
    if form.validate_on_submit():
        try:
            review.moderate(
                assessment=assessment,
                domain_key=domain_key,
                level=form.level(),
                note=form.moderated_note.data or "",
                actor=current_user,
                expected_version=_version(form.version.data),
            )
        except ConflictError as error:
            form.moderated_level.errors = [error.message]
            # Saving again now means choosing these answers over the ones shown.
            form.version.data = str(rating.version)
        except NotIndependent as error:
            # The page shows no moderation form to this person; the reason is at the top.
            return _review_page(
                organisation,
                assessment,
                problems=[{"text": error.message, "href": "#who-approves"}],
            )
        except LockedError as error:
            # Approved or sent back by someone else meanwhile: no moderation form is shown
            # now, so what was typed is given back to copy, under the reason.
            return _review_page(
                organisation,
                assessment,
                problems=[{"text": error.message, "href": "#not-saved"}],
                unsaved=(f"Your note on {rating.domain.name}", form.moderated_note.data or ""),
            )
        except DomainError as error:
            field = "moderated_note" if error.field == "moderated_note" else "moderated_level"
            form[field].errors = [error.message]
        else:
            if rating.moderated_level is None:
                flash(f"You agreed with the assessed level for {rating.domain.name}", "success")
            else:
                flash(f"You set a moderated level for {rating.domain.name}", "success")
            return redirect(_review_url(slug, assessment_id, anchor=domain_key))
    anchors = {
        "moderated_level": form.moderated_level.id,
        "moderated_note": form.moderated_note.id,
    }
    return _review_page(
        organisation,
        assessment,
        posted={domain_key: form},
        problems=error_list(form, anchors=anchors),
    )


@bp.post("/approve")
def approve(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(organisation, assessment, decision_form=form, problems=error_list(form))
    try:
        review.approve(assessment=assessment, actor=current_user, comment=form.comment.data or "")
    except DomainError as error:
        if isinstance(error, LockedError) and assessment.approved_by != current_user:
            # Decided by someone else meanwhile: the comment box has gone from the page, so
            # the comment is given back. (Approved by this person already, sent twice, the
            # comment was saved with that approval.)
            return _review_page(
                organisation,
                assessment,
                problems=[{"text": error.message, "href": "#not-saved"}],
                unsaved=("Your approval comment", form.comment.data or ""),
            )
        return _review_page(
            organisation,
            assessment,
            decision_form=form,
            problems=[{"text": error.message, "href": _anchor(error)}],
        )
    return redirect(url_for(".approved", slug=slug, assessment_id=assessment_id))


@bp.get("/approved")
def approved(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    if assessment.status != AssessmentStatus.APPROVED:
        return redirect(_review_url(slug, assessment_id))
    return render_template("review/approved.html", organisation=organisation, assessment=assessment)


@bp.route("/send-back", methods=["GET", "POST"])
def send_back(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    framework = assessment.framework
    comments = {r.domain.key: r.review_comment for r in assessment.ratings}
    form = send_back_form(framework, comments=comments)
    if not form.is_submitted() and assessment.status != AssessmentStatus.SUBMITTED:
        return redirect(_review_url(slug, assessment_id))
    if form.validate_on_submit():
        try:
            review.send_back(
                assessment=assessment,
                actor=current_user,
                comment=form.comment.data or "",
                domain_comments=form.domain_comments(framework),
            )
        except DomainError as error:
            form["comment"].errors = [error.message]
        else:
            return redirect(url_for(".sent_back", slug=slug, assessment_id=assessment_id))
    anchors = {comment_field(d.key): comment_field(d.key) for d in framework.domains}
    return render_template(
        "review/send_back.html",
        organisation=organisation,
        assessment=assessment,
        form=form,
        comment_field=comment_field,
        error_list=error_list(form, anchors=anchors),
    )


@bp.get("/sent-back")
def sent_back(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    decision = review.latest_decision(assessment=assessment)
    if not assessment.is_editable or decision is None or decision.action != "sent back":
        return redirect(_review_url(slug, assessment_id))
    return render_template(
        "review/sent_back.html", organisation=organisation, assessment=assessment
    )


@bp.route("/reopen", methods=["GET", "POST"])
def reopen(slug: str, assessment_id: int) -> ResponseReturnValue:
    organisation, assessment = _assessment(slug, assessment_id)
    form = ReopenForm()
    if not form.is_submitted() and assessment.status != AssessmentStatus.APPROVED:
        return redirect(_review_url(slug, assessment_id))
    if form.validate_on_submit():
        try:
            review.reopen(assessment=assessment, actor=current_user, reason=form.reason.data or "")
        except DomainError as error:
            form.reason.errors = [error.message]
        else:
            flash(
                f"You reopened the {assessment.period} assessment. It is a draft again, so "
                "it can be corrected, then submitted and approved again.",
                "success",
            )
            return redirect(url_for("assessments.overview", slug=slug, assessment_id=assessment_id))
    return render_template(
        "review/reopen.html",
        organisation=organisation,
        assessment=assessment,
        form=form,
        error_list=error_list(form),
    )


@bp.app_template_global()
def review_summary(assessment: Assessment) -> ReviewSummary:
    """For the assessment's overview: whether this person may review it, and why it was
    last sent back or reopened. Only the query each status needs is made."""
    if assessment.is_editable:
        return ReviewSummary(False, review.latest_decision(assessment=assessment))
    role = organisations.role_of(user=current_user, organisation=assessment.organisation)
    return ReviewSummary(at_least(role, MembershipRole.APPROVER), None)


@bp.app_template_global()
def sign_off_trail(assessment: Assessment) -> list[decisions.SignOff]:
    """For the assessment's history page: each submission and decision, oldest first."""
    return decisions.for_assessment(assessment=assessment)


@bp.app_template_global()
def moderation_note() -> str:
    """The sentence every page and report showing moderated levels must carry."""
    return chart.MODERATION_NOTE


@bp.app_template_filter("govuk_date")
def govuk_date(moment: datetime | None) -> str:
    """ "3 March 2019", in UK time; stored times are naive UTC."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(LOCAL_TIME)
    return f"{local.day} {local:%B %Y}"


def _review_page(
    organisation: Organisation,
    assessment: Assessment,
    *,
    posted: dict[str, ModerationForm] | None = None,
    decision_form: DecisionForm | None = None,
    problems: list[dict[str, str]] | None = None,
    unsaved: tuple[str, str] | None = None,
) -> str:
    # The framework's domains first: each rating's domain is then found in the session
    # instead of being loaded, with its descriptors, one by one.
    framework = assessment.framework
    list(framework.domains)
    before = review.previous(assessment=assessment)
    earlier = {r.domain.key: r for r in before.ratings} if before else {}
    domains = []
    for rating in assessment.ordered_ratings:
        form = (posted or {}).get(rating.domain.key)
        old = earlier.get(rating.domain.key)
        previous_level = old.judged_level if old else None
        domains.append(
            DomainReview(
                rating=rating,
                previous_level=previous_level,
                previous_moderated=bool(old and old.moderated_level is not None),
                change=level_change(previous_level, rating.level) if old else "",
                form=form or _moderation_form(rating, posted=False),
            )
        )
    submitted = assessment.status == AssessmentStatus.SUBMITTED
    return render_template(
        "review/show.html",
        organisation=organisation,
        assessment=assessment,
        framework=framework,
        previous=before,
        domains=domains,
        actions_by_rating=actions.by_rating(assessment=assessment),
        # Who may sign it off matters only while it waits to be.
        approval=duties.approval(assessment=assessment, person=current_user) if submitted else None,
        approved=review.latest_approval(assessment=assessment),
        decision=review.latest_decision(assessment=assessment),
        decision_form=decision_form or DecisionForm(formdata=None),
        agree=AGREE,
        error_list=problems or [],
        unsaved=unsaved,
    )


def _anchor(error: DomainError) -> str:
    return "#who-approves" if isinstance(error, NotIndependent) else "#decision"


def _prefix(rating: Rating) -> str:
    # WTForms adds the "-": field names become e.g. "using-the-framework-moderated_note".
    return rating.domain.key


def _moderation_form(rating: Rating, *, posted: bool) -> ModerationForm:
    saved = {
        "moderated_level": AGREE if rating.moderated_level is None else str(rating.moderated_level),
        "moderated_note": rating.moderated_note,
        "version": str(rating.version),
    }
    if posted:
        return ModerationForm(prefix=_prefix(rating))
    return ModerationForm(prefix=_prefix(rating), formdata=None, data=saved)


def _review_url(slug: str, assessment_id: int, *, anchor: str | None = None) -> str:
    return url_for("review.show", slug=slug, assessment_id=assessment_id, _anchor=anchor)


def _version(submitted: str | None) -> int | None:
    """The version the approver opened; a tampered value counts as stale, not a crash."""
    try:
        return int(submitted) if submitted else None
    except ValueError:
        return -1
