"""Drafts of a domain's answers, kept as the person types (assets/js/autosave.js posts them
to :func:`keep`), and restored into the domain's page when they come back to it
(maturity/views/assessments.py). maturity/data/drafts.py says why on the server.

Without JavaScript there is no typing to keep as it happens, but a domain's answers posted
after the session has timed out are kept as a draft too (:func:`keep_posted_answers`), so
signing in again brings them back rather than losing them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import assessments, drafts, journey, organisations
from maturity.data.drafts import Draft, DraftAnswers
from maturity.domain.errors import DomainError, LockedError, NotFound
from maturity.domain.roles import MembershipRole, at_least
from maturity.domain.whole_numbers import whole_number
from maturity.models import Organisation, Rating, User
from maturity.security import sessions
from maturity.views.auth import organisation_for
from maturity.views.session_timeout import LOCAL_TIME, clock_time

bp = Blueprint(
    "drafts",
    __name__,
    url_prefix="/organisations/<slug>/assessments/<int:assessment_id>/domains/<domain_key>",
)
# Kept by the page's script as the person types: not activity (sessions.PASSIVE_ENDPOINTS),
# or a page left open with a draft in it would never time out.
sessions.PASSIVE_ENDPOINTS.add("drafts.keep")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    sessions.on_time_out(keep_posted_answers)


@bp.post("/draft")
def keep(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return jsonify(kept=False, signed_in=False), 401
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    rating = _rating(organisation, assessment_id, domain_key)
    # The page names whose typing it holds: after someone else signs in on this computer,
    # a page left open by the first person must not file their typing as the second's.
    person = request.form.get("person")
    if person is not None and person != str(current_user.id):
        return jsonify(kept=False, message="Signed in as someone else"), 409
    try:
        answers, base_version = _posted(rating)
        kept = drafts.keep(
            rating=rating, person=current_user, answers=answers, base_version=base_version
        )
    except LockedError as error:
        return jsonify(kept=False, message=error.message), 409
    except DomainError as error:
        return jsonify(kept=False, message=error.message), 400
    return jsonify(kept=True, kept_at_text=clock_time(_epoch(kept.kept_at))), 200


@bp.post("/draft/discard")
def discard(slug: str, assessment_id: int, domain_key: str) -> ResponseReturnValue:
    """The person would rather have the saved answers than what they had typed."""
    if not current_user.is_authenticated:
        return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    rating = _rating(organisation, assessment_id, domain_key)
    drafts.discard(rating=rating, person=current_user)
    flash("What you had typed has been discarded. These are the saved answers.", "success")
    return redirect(
        url_for("assessments.domain", slug=slug, assessment_id=assessment_id, domain_key=domain_key)
    )


# The domain's form, and the autosave of it.
_CARRY_ANSWERS = {"assessments.domain", "drafts.keep"}


def keep_posted_answers(person: User) -> bool:
    """A session hook (sessions.on_time_out): a domain's answers posted by a session that
    has just timed out (the form sent too late without JavaScript, or an autosave that
    waited for a lost connection to come back) are kept as the person's draft, if they may
    edit it, and only the person's own. The request's CSRF token has been checked already,
    so the page was theirs."""
    if request.method != "POST" or request.endpoint not in _CARRY_ANSWERS:
        return False
    if request.form.get("person", str(person.id)) != str(person.id):
        return False
    args = request.view_args or {}
    try:
        organisation = organisations.find(reference=str(args.get("slug", "")))
        if organisation.slug != args.get("slug"):
            return False
        role = organisations.role_of(user=person, organisation=organisation)
        if role is None or not at_least(role, MembershipRole.ASSESSOR):
            return False
        assessment = assessments.get(
            organisation=organisation, assessment_id=int(args.get("assessment_id", 0))
        )
        rating = next(r for r in assessment.ratings if r.domain.key == args.get("domain_key"))
        answers, base_version = _posted(rating)
        drafts.keep(rating=rating, person=person, answers=answers, base_version=base_version)
    except (DomainError, StopIteration):
        return False
    return True


def kept_at_text(draft: Draft) -> str:
    """When a draft was last kept: "14:05" today, "14:05 on 3 December" before (UK time)."""
    moment = draft.kept_at.replace(tzinfo=UTC).astimezone(LOCAL_TIME)
    if moment.date() == datetime.now(LOCAL_TIME).date():
        return f"{moment:%H:%M}"
    return f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"


def _rating(organisation: Organisation, assessment_id: int, domain_key: str) -> Rating:
    try:
        assessment = assessments.get(organisation=organisation, assessment_id=assessment_id)
    except NotFound:
        abort(404)
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        abort(404)
    return rating


def _posted(rating: Rating) -> tuple[DraftAnswers, int]:
    """The domain form's fields as posted (by the page's script, or by the form itself),
    and the version the person opened. The page sends only what its controls allow; other
    values are refused (DomainError), not guessed at."""
    form = request.form
    guided = any(journey.criteria_by_level(rating.domain).values())
    answers = DraftAnswers(
        level=_number(form.get("level"), "level"),
        evidence=form.get("evidence", ""),
        reason_for_change=form.get("reason_for_change", ""),
        ambition=_number(form.get("ambition"), "ambition"),
        ambition_reason=form.get("ambition_reason", ""),
        level_differs_reason=form.get("level_differs_reason", ""),
        criteria=(
            tuple(sorted({_whole(v, "criteria") for v in form.getlist("criteria")}))
            if guided
            else None
        ),
    )
    version = form.get("version")
    return answers, (_whole(version, "version") if version else rating.version)


def _number(value: str | None, field: str) -> int | None:
    return None if value in (None, "") else _whole(value, field)


def _whole(value: str | None, field: str) -> int:
    number = whole_number((value or "").strip())
    if number is None:
        raise DomainError("Not a choice the page offers", field=field)
    return number


def _epoch(naive_utc: datetime) -> float:
    return naive_utc.replace(tzinfo=UTC).timestamp()
