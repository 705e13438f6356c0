"""What the organisation report says beyond the chart, read in a fixed number of queries.

The chart's numbers come from :func:`maturity.data.assessments.progress`; this module reads
the words around them (evidence, reasons, moderation notes, improvement actions) and the
sign-off. It returns plain frozen records, so the report's content is built by pure code
(:mod:`maturity.reports.organisation_content`) and never lazy-loads while rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from maturity.data.assessments import CHARTED
from maturity.domain.periods import Period
from maturity.extensions import db
from maturity.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Framework,
    ImprovementAction,
    Organisation,
    Rating,
)


@dataclass(frozen=True)
class ActionRecord:
    what: str
    owner: str
    due_date: date | None
    done: bool


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
    the number of periods: assessments with their approver, ratings, domains, actions.
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
            joinedload(Assessment.approved_by),
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
    return [_record(a) for a in chosen]


def _record(assessment: Assessment) -> AssessmentRecord:
    approver = assessment.approved_by
    return AssessmentRecord(
        period=assessment.period,
        approved=assessment.status == AssessmentStatus.APPROVED,
        approved_by=(approver.name or approver.email) if approver is not None else None,
        approved_at=assessment.approved_at,
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
