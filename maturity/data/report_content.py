"""What the organisation report says beyond the chart, read in a fixed number of queries.

The chart's numbers come from :func:`maturity.data.assessments.progress`; this module reads
the words around them (evidence, reasons, moderation notes, improvement actions with their
status) and the sign-off: who submitted and approved each period, with the approval's
comment, and every decision of its sign-off trail (moderations, send-backs, reopenings,
each with who, when and why). It returns plain frozen records, so the report's content is
built by pure code (:mod:`maturity.reports.organisation_content`) and never lazy-loads while
rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from maturity.data import decisions
from maturity.data.assessments import CHARTED
from maturity.domain.periods import Period
from maturity.extensions import db
from maturity.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    DecisionKind,
    Framework,
    ImprovementAction,
    Organisation,
    Rating,
    User,
)


@dataclass(frozen=True)
class ActionRecord:
    what: str
    owner: str
    due_date: date | None
    done: bool

    def status_on(self, day: date) -> str:
        """ "Done", "Overdue" (open and due before ``day``, the report's date) or "Open"."""
        if self.done:
            return "Done"
        if self.due_date is not None and self.due_date < day:
            return "Overdue"
        return "Open"


@dataclass(frozen=True)
class DecisionRecord:
    """One entry of a period's sign-off trail, oldest first: "Reopened", "Alex Approver",
    when, "Figures restated"."""

    kind: str  # "submitted", "moderated", "sent-back", "approved" or "reopened"
    label: str  # "Submitted", "Moderated", "Sent back", "Approved", "Reopened"
    by: str  # the person's name, or their email when they gave none
    at: datetime  # naive UTC
    reason: str  # the reason, comment or moderation note; "" when none was given
    domain: str  # a moderation's domain name; "" for the whole assessment
    outcome: str  # a moderation's level name, or "Agreed with the assessed level"


@dataclass(frozen=True)
class RatingRecord:
    domain_key: str
    level: int | None  # as assessed
    moderated_level: int | None
    moderated_note: str
    evidence: str
    reason_for_change: str
    ambition: int | None
    actions: tuple[ActionRecord, ...]


@dataclass(frozen=True)
class AssessmentRecord:
    period: str
    approved: bool
    approved_by: str | None  # the approver's name, or their email when they gave none
    approved_at: datetime | None
    ratings: dict[str, RatingRecord]  # by domain key
    submitted_by: str | None = None  # the current submission's submitter
    submitted_at: datetime | None = None
    approval_comment: str = ""  # the current approval's comment, when approved
    decisions: tuple[DecisionRecord, ...] = ()  # the sign-off trail, oldest first


def charted(
    *,
    organisation: Organisation,
    framework: Framework,
    first: Period | None = None,
    last: Period | None = None,
) -> list[AssessmentRecord]:
    """The submitted and approved assessments the chart shows, earliest period first.

    Same selection as ``assessments.progress`` (the framework's key, any version), so every
    section of the report speaks of the same periods as the chart. Four queries whatever
    the number of periods: assessments with their approver and submitter, ratings, domains,
    actions; and one for the sign-off trails of them all.
    """
    found = db.session.scalars(
        select(Assessment)
        .join(Assessment.framework)
        .where(
            Assessment.organisation_id == organisation.id,
            Assessment.status.in_(CHARTED),
            Framework.key == framework.key,
        )
        .options(
            # Names only: the people's service roles would be a query more each.
            joinedload(Assessment.approved_by).lazyload(User.roles),
            joinedload(Assessment.submitted_by).lazyload(User.roles),
            selectinload(Assessment.ratings).options(
                joinedload(Rating.domain),
                selectinload(Rating.actions),
            ),
        )
    ).unique()
    chosen = [
        a
        for a in found
        if (first is None or Period.parse(a.period) >= first)
        and (last is None or Period.parse(a.period) <= last)
    ]
    chosen.sort(key=lambda a: Period.parse(a.period))
    trails = decisions.for_assessments(assessments=chosen)
    return [_record(a, trails.get(a.id, [])) for a in chosen]


def _record(assessment: Assessment, trail: list[decisions.SignOff]) -> AssessmentRecord:
    approver, submitter = assessment.approved_by, assessment.submitted_by
    approved = assessment.status == AssessmentStatus.APPROVED
    # The approval in force is the last one: an earlier one was undone by a reopening.
    approval = next((d for d in reversed(trail) if d.kind == DecisionKind.APPROVED), None)
    return AssessmentRecord(
        period=assessment.period,
        approved=approved,
        approved_by=(approver.name or approver.email) if approver is not None else None,
        approved_at=assessment.approved_at,
        submitted_by=(submitter.name or submitter.email) if submitter is not None else None,
        submitted_at=assessment.submitted_at,
        approval_comment=approval.reason if approved and approval is not None else "",
        decisions=tuple(
            DecisionRecord(
                kind=d.kind.value,
                label=d.label,
                by=d.by,
                at=d.at,
                reason=d.reason,
                domain=d.domain,
                outcome=d.outcome,
            )
            for d in trail
        ),
        ratings={
            rating.domain.key: RatingRecord(
                domain_key=rating.domain.key,
                level=rating.level,
                moderated_level=rating.moderated_level,
                moderated_note=rating.moderated_note,
                evidence=rating.evidence,
                reason_for_change=rating.reason_for_change,
                ambition=rating.ambition,
                actions=tuple(_action(action) for action in rating.actions),
            )
            for rating in assessment.ratings
        },
    )


def _action(action: ImprovementAction) -> ActionRecord:
    return ActionRecord(
        what=action.what,
        owner=action.owner,
        due_date=action.due_date,
        done=action.status == ActionStatus.DONE,
    )
