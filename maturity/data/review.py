"""An approver's review of a submitted assessment: moderate, approve, send back, reopen.

Each decision is audited, kept in the assessment's sign-off trail with its reason
(:mod:`maturity.data.decisions`) and committed here. Changes to a rating (a moderated level,
a review comment) are also kept in its history as RatingChange rows, so the assessment's
history page shows who changed what, not only the assessor's own saves.

Whoever edited or submitted an assessment may not moderate or approve it
(:mod:`maturity.data.duties`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from maturity.data import commit, decisions, duties, history, journey
from maturity.data.audit import record
from maturity.domain.errors import ConflictError, DomainError, LockedError, NotFound
from maturity.domain.periods import Period
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import (
    Assessment,
    AssessmentStatus,
    DecisionKind,
    Membership,
    Rating,
    User,
)

SENT_BACK = "assessment.sent_back"
REOPENED = "assessment.reopened"


@dataclass(frozen=True)
class Decision:
    """The latest time an approver returned the assessment to draft, and why."""

    action: str  # "sent back" or "reopened"
    by: str
    on: datetime
    text: str


def waiting_for_approval(*, user: User) -> list[Assessment]:
    """Submitted assessments this person may approve, longest waiting first, in one query.

    Only a direct approver role counts: overseeing a body gives read access, never approval.
    Administrators act as approvers everywhere, so they see every one.
    """
    query = (
        select(Assessment)
        .join(Assessment.organisation)
        .options(
            contains_eager(Assessment.organisation),
            # The list needs neither ratings nor the submitter's service roles: their eager
            # defaults would each add a query.
            joinedload(Assessment.submitted_by).lazyload(User.roles),
            lazyload(Assessment.ratings),
        )
        .where(Assessment.status == AssessmentStatus.SUBMITTED)
    )
    if not user.is_admin:
        approves = select(Membership.organisation_id).where(
            Membership.user_id == user.id, Membership.role == MembershipRole.APPROVER
        )
        query = query.where(Assessment.organisation_id.in_(approves))
    found = db.session.scalars(query).unique().all()
    # Sorted here: databases disagree on where unknown submission times go.
    return sorted(
        found,
        key=lambda a: (a.submitted_at or datetime.min, a.organisation.name, Period.parse(a.period)),
    )


def previous(*, assessment: Assessment) -> Assessment | None:
    """The latest charted (submitted or approved) assessment before this one's period:
    the same one the assessor's pages measure a change of level from."""
    return journey.previous_assessment(assessment=assessment)


def latest_decision(*, assessment: Assessment) -> Decision | None:
    """Why the assessment was last sent back or reopened, if it was."""
    found = decisions.latest(
        assessment=assessment, kinds=(DecisionKind.SENT_BACK, DecisionKind.REOPENED)
    )
    if found is None:
        return None
    return Decision(
        action="reopened" if found.kind == DecisionKind.REOPENED else "sent back",
        by=found.by,
        on=found.at,
        text=found.reason,
    )


def latest_approval(*, assessment: Assessment) -> decisions.SignOff | None:
    """The approval of an approved assessment, with its comment."""
    if assessment.status != AssessmentStatus.APPROVED:
        return None
    return decisions.latest(assessment=assessment, kinds=(DecisionKind.APPROVED,))


def moderate(
    *,
    assessment: Assessment,
    domain_key: str,
    level: int | None,
    note: str,
    actor: User | None,
    expected_version: int | None = None,
) -> Rating:
    """Set (or, with ``level`` None, clear) the level the approver judges was reached."""
    _require(assessment, AssessmentStatus.SUBMITTED, doing="moderated")
    duties.refuse_if_involved(assessment=assessment, actor=actor, doing="moderate")
    rating = _rating(assessment, domain_key)
    if expected_version is not None and rating.version != expected_version:
        raise ConflictError(
            f"Someone else changed the moderated level of '{rating.domain.name}' since you "
            "opened this page. Check theirs below and enter yours again.",
            field="moderated_level",
        )
    framework = assessment.framework
    note = note.strip()
    if level is not None:
        if not 0 <= level <= framework.top_level:
            raise DomainError("Choose a level from the list", field="moderated_level")
        if level == rating.level:
            raise DomainError(
                f"{framework.level_name(level)} is the assessed level: choose a different "
                "level, or agree with the assessed level",
                field="moderated_level",
            )
        if not note:
            raise DomainError("Enter why you judged a different level", field="moderated_note")
    before = _moderation(rating)
    rating.moderated_level = level
    rating.moderated_note = note
    after = _moderation(rating)
    if before != after:
        # Touching the assessment bumps its version, so a moderation racing an approval
        # fails instead of changing an assessment that was approved meanwhile.
        assessment.updated_at = _now()
        _history(assessment, rating, actor, before, after)
        decisions.record(
            assessment=assessment,
            kind=DecisionKind.MODERATED,
            actor=actor,
            reason=note,
            domain_key=domain_key,
            details={"level_before": before["moderated_level"], "level_after": level},
        )
        record(
            action="rating.moderated",
            actor=actor,
            organisation=assessment.organisation,
            subject=f"{assessment.period} {domain_key}",
            details={"assessment_id": assessment.id, "before": before, "after": after},
        )
        commit()
    return rating


def approve(*, assessment: Assessment, actor: User | None, comment: str = "") -> Assessment:
    """Approve and lock, with an optional comment for the sign-off. Review comments are
    answered by then, so they are cleared (the send-back's decision and the ratings'
    history keep them)."""
    _require(assessment, AssessmentStatus.SUBMITTED, doing="approved")
    duties.refuse_if_involved(assessment=assessment, actor=actor, doing="approve")
    comment = comment.strip()
    for rating in assessment.ratings:
        if rating.review_comment:
            _history(
                assessment,
                rating,
                actor,
                {"review_comment": rating.review_comment},
                {"review_comment": ""},
            )
            rating.review_comment = ""
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_at = _now()
    assessment.approved_by = actor
    moderated = sorted(r.domain.key for r in assessment.ratings if r.moderated_level is not None)
    decisions.record(
        assessment=assessment,
        kind=DecisionKind.APPROVED,
        actor=actor,
        reason=comment,
        details={"moderated": moderated},
        at=assessment.approved_at,
    )
    record(
        action="assessment.approved",
        actor=actor,
        organisation=assessment.organisation,
        subject=assessment.period,
        details={"assessment_id": assessment.id, "moderated": moderated, "comment": comment},
    )
    commit()
    return assessment


def send_back(
    *,
    assessment: Assessment,
    actor: User | None,
    comment: str,
    domain_comments: Mapping[str, str],
) -> Assessment:
    """Return a submitted assessment to draft with an overall comment and, per domain, the
    comments the assessor sees on that domain's page. Earlier comments are replaced."""
    _require(assessment, AssessmentStatus.SUBMITTED, doing="sent back")
    comment = comment.strip()
    if not comment:
        raise DomainError("Enter what needs to change before you can approve it", field="comment")
    given: dict[str, str] = {}
    for rating in assessment.ratings:
        new = domain_comments.get(rating.domain.key, "").strip()
        if new:
            given[rating.domain.key] = new
        if new != rating.review_comment:
            _history(
                assessment,
                rating,
                actor,
                {"review_comment": rating.review_comment},
                {"review_comment": new},
            )
            rating.review_comment = new
    assessment.status = AssessmentStatus.DRAFT
    decisions.record(
        assessment=assessment,
        kind=DecisionKind.SENT_BACK,
        actor=actor,
        reason=comment,
        details={"domains": given},
    )
    record(
        action=SENT_BACK,
        actor=actor,
        organisation=assessment.organisation,
        subject=assessment.period,
        details={"assessment_id": assessment.id, "comment": comment, "domains": given},
    )
    commit()
    return assessment


def reopen(*, assessment: Assessment, actor: User | None, reason: str) -> Assessment:
    """Return an approved assessment to draft so it can be corrected; it must then be
    submitted and approved again. The reason and the approval it undoes are audited."""
    _require(assessment, AssessmentStatus.APPROVED, doing="reopened")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why you are reopening the assessment", field="reason")
    approval = {
        "approved_by": assessment.approved_by.email if assessment.approved_by else None,
        "approved_at": assessment.approved_at.isoformat() if assessment.approved_at else None,
    }
    assessment.status = AssessmentStatus.DRAFT
    assessment.approved_at = None
    assessment.approved_by = None
    decisions.record(
        assessment=assessment,
        kind=DecisionKind.REOPENED,
        actor=actor,
        reason=reason,
        details=approval,
    )
    record(
        action=REOPENED,
        actor=actor,
        organisation=assessment.organisation,
        subject=assessment.period,
        details={"assessment_id": assessment.id, "reason": reason, **approval},
    )
    commit()
    return assessment


# What each decision needs the assessment to be, and what to say when it is not.
_REFUSALS: dict[tuple[str, AssessmentStatus], str] = {
    ("moderated", AssessmentStatus.DRAFT): (
        "is a draft: levels can be moderated once it has been submitted"
    ),
    ("moderated", AssessmentStatus.APPROVED): (
        "has been approved and is locked: reopen it to change a moderated level"
    ),
    ("approved", AssessmentStatus.DRAFT): "is a draft: it can be approved once it is submitted",
    ("approved", AssessmentStatus.APPROVED): "has already been approved",
    ("sent back", AssessmentStatus.DRAFT): "is already a draft with the assessor",
    ("sent back", AssessmentStatus.APPROVED): (
        "has been approved and is locked: reopen it instead, giving a reason"
    ),
    ("reopened", AssessmentStatus.DRAFT): (
        "is a draft: only an approved assessment can be reopened"
    ),
    ("reopened", AssessmentStatus.SUBMITTED): "has not been approved yet: send it back instead",
}


def _require(assessment: Assessment, status: AssessmentStatus, *, doing: str) -> None:
    if assessment.status != status:
        reason = _REFUSALS.get((doing, assessment.status), f"cannot be {doing} now")
        raise LockedError(f"The {assessment.period} assessment {reason}")


def _rating(assessment: Assessment, domain_key: str) -> Rating:
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        raise NotFound(f"{assessment.framework.name} has no domain {domain_key!r}")
    return rating


def _moderation(rating: Rating) -> dict[str, Any]:
    return {"moderated_level": rating.moderated_level, "moderated_note": rating.moderated_note}


def _history(
    assessment: Assessment,
    rating: Rating,
    actor: User | None,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    history.record(assessment=assessment, rating=rating, actor=actor, before=before, after=after)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
