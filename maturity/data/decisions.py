"""The sign-off trail: each submission, moderation, send-back, approval and reopening of an
assessment, with who, when and why.

Written in the caller's unit of work (the caller commits), beside the audit event of the same
decision; read back for the assessment's history page, the review page and the report's
sign-off block (:mod:`maturity.data.report_content`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from maturity.extensions import db
from maturity.models import Assessment, AssessmentDecision, DecisionKind, Framework, User

# Who made each decision: their name, without their service roles (a query more).
_ACTOR = joinedload(AssessmentDecision.actor).lazyload(User.roles)

# What each decision is called on a page and in the report.
LABELS = {
    DecisionKind.SUBMITTED: "Submitted",
    DecisionKind.MODERATED: "Moderated",
    DecisionKind.SENT_BACK: "Sent back",
    DecisionKind.APPROVED: "Approved",
    DecisionKind.REOPENED: "Reopened",
}


@dataclass(frozen=True)
class SignOff:
    """One decision, ready to show: "Reopened by Alex Approver on 3 March 2019: reason"."""

    kind: DecisionKind
    label: str
    by: str  # the person's name, or their email when they gave none
    at: datetime  # naive UTC
    reason: str  # "" when none was asked for or given
    domain: str  # the domain's name, for a moderation; "" for the whole assessment
    outcome: str  # for a moderation, "Functioning" or "Agreed with the assessed level"


def record(
    *,
    assessment: Assessment,
    kind: DecisionKind,
    actor: User | None,
    reason: str = "",
    domain_key: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add a decision to the trail; ``at`` is now unless given (the demo's history)."""
    db.session.add(
        AssessmentDecision(
            assessment=assessment,
            kind=kind,
            actor=actor,
            reason=reason,
            domain_key=domain_key,
            details=details or {},
            # Set here rather than by the database so every backend keeps the same clock (UTC).
            occurred_at=at or datetime.now(UTC).replace(tzinfo=None),
        )
    )


def for_assessment(*, assessment: Assessment) -> list[SignOff]:
    """The assessment's decisions, oldest first, in one query."""
    return for_assessments(assessments=[assessment]).get(assessment.id, [])


def for_assessments(*, assessments: Collection[Assessment]) -> dict[int, list[SignOff]]:
    """Each assessment's decisions, oldest first, by assessment id, in one query whatever
    the number of assessments (the report reads every charted period at once)."""
    if not assessments:
        return {}
    frameworks = {a.id: a.framework for a in assessments}
    found: dict[int, list[SignOff]] = {a.id: [] for a in assessments}
    for decision in _query(found):
        found[decision.assessment_id].append(_shown(decision, frameworks[decision.assessment_id]))
    return found


def latest(*, assessment: Assessment, kinds: Iterable[DecisionKind]) -> SignOff | None:
    """The most recent of the assessment's decisions of these kinds."""
    decision = db.session.scalar(
        select(AssessmentDecision)
        .options(_ACTOR)
        .where(
            AssessmentDecision.assessment_id == assessment.id,
            AssessmentDecision.kind.in_(list(kinds)),
        )
        .order_by(AssessmentDecision.occurred_at.desc(), AssessmentDecision.id.desc())
        .limit(1)
    )
    return _shown(decision, assessment.framework) if decision else None


def _query(assessment_ids: Iterable[int]) -> list[AssessmentDecision]:
    return list(
        db.session.scalars(
            select(AssessmentDecision)
            .options(_ACTOR)
            .where(AssessmentDecision.assessment_id.in_(list(assessment_ids)))
            # By id within a time: rows are only ever added.
            .order_by(AssessmentDecision.occurred_at, AssessmentDecision.id)
        )
    )


def _shown(decision: AssessmentDecision, framework: Framework) -> SignOff:
    domain, outcome = "", ""
    if decision.kind == DecisionKind.MODERATED:
        names = {d.key: d.name for d in framework.domains}
        domain = names.get(decision.domain_key or "", decision.domain_key or "")
        level = decision.details.get("level_after")
        outcome = "Agreed with the assessed level" if level is None else framework.level_name(level)
    return SignOff(
        kind=decision.kind,
        label=LABELS[decision.kind],
        by=name_of(decision.actor),
        at=decision.occurred_at,
        reason=decision.reason,
        domain=domain,
        outcome=outcome,
    )


def name_of(person: User | None) -> str:
    if person is None:
        return "The system"
    return person.name or person.email
