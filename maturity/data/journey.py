"""What the assessor's journey needs to know about an assessment: the period before it
(what a change of level is measured from), what is carried forward from it, where each
domain has got to, and the level its ticked criteria suggest."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from maturity.data import framework_choice
from maturity.domain import assessment_rules as rules
from maturity.domain import guided
from maturity.domain.assessment_rules import Answers, PreviousPeriod, TaskStatus
from maturity.domain.periods import Period
from maturity.extensions import db
from maturity.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Criterion,
    Framework,
    FrameworkDomain,
    ImprovementAction,
    Organisation,
    Rating,
)

T = TypeVar("T")

# Submitted or approved: the assessments charted (``assessments.CHARTED``, which imports this).
DECIDED = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def frameworks_used(*, organisation_ids: list[int]) -> list[Framework]:
    """The latest version of each framework any of these bodies has assessed on, and the
    default's, the default first (as :func:`frameworks_for_oversight` offers them)."""
    _, options = framework_choice.frameworks_for_oversight(
        organisation_ids=organisation_ids, key=None
    )
    return [db.session.get_one(Framework, option.id) for option in options]


def previous_period(*, assessment: Assessment) -> PreviousPeriod | None:
    """The levels judged in the latest earlier submitted or approved assessment (the
    approver's moderated level where there is one): what a change of level is measured
    from."""
    earlier = _latest_earlier(
        organisation_id=assessment.organisation_id,
        framework_key=assessment.framework.key,
        period=assessment.period,
        statuses=DECIDED,
    )
    if earlier is None:
        return None
    assessment_id, period = earlier
    ratings = db.session.scalars(
        select(Rating)
        .where(Rating.assessment_id == assessment_id)
        .options(joinedload(Rating.domain))
    )
    return PreviousPeriod(period=period, levels={r.domain.key: r.judged_level for r in ratings})


def previous_assessment(*, assessment: Assessment) -> Assessment | None:
    """The latest earlier submitted or approved assessment itself, for pages that show its
    ratings beside this one's (the same rule as :func:`previous_period`)."""
    # The assessments themselves in one query; only the chosen one's ratings are loaded.
    query = _earlier(assessment.organisation_id, assessment.framework.key, DECIDED).options(
        lazyload(Assessment.ratings)
    )
    candidates = [(a.period, a) for a in db.session.scalars(query)]
    return _latest(candidates, assessment.period)


def problems_by_domain(
    *, assessment: Assessment, previous: PreviousPeriod | None
) -> dict[str, list[rules.Problem]]:
    """What stops each domain counting as finished, by domain key."""
    names = [level.name for level in assessment.framework.levels]
    return {
        r.domain.key: rules.problems(
            answers_of(r),
            previous_level=previous.level(r.domain.key) if previous else None,
            level_names=names,
        )
        for r in assessment.ratings
    }


def task_statuses(*, assessment: Assessment) -> dict[str, TaskStatus]:
    """Each domain's status in the task list, by domain key."""
    problems = problems_by_domain(
        assessment=assessment, previous=previous_period(assessment=assessment)
    )
    return {
        r.domain.key: rules.task_status(
            answers_of(r), carried_forward=r.carried_forward, problems=problems[r.domain.key]
        )
        for r in assessment.ratings
    }


def criteria_by_level(domain: FrameworkDomain) -> dict[int, list[Criterion]]:
    """The domain's good-practice criteria, by level number (loaded with the framework)."""
    return {d.level_number: list(d.criteria) for d in domain.descriptors}


def suggested_level(domain: FrameworkDomain, ticked: set[int]) -> int | None:
    """The level the ticked criteria (ids) suggest; None for a domain without criteria."""
    criteria = {n: {c.id for c in found} for n, found in criteria_by_level(domain).items()}
    levels = [level.number for level in domain.framework.levels]
    return guided.suggest(levels, criteria, ticked)


def answers_of(rating: Rating) -> Answers:
    """A saved rating's answers, with the level its ticked criteria suggest."""
    ticked = frozenset(c.id for c in rating.criteria)
    return Answers(
        level=rating.level,
        evidence=rating.evidence,
        reason_for_change=rating.reason_for_change,
        ambition=rating.ambition,
        ambition_reason=rating.ambition_reason,
        ticked=ticked,
        suggested=suggested_level(rating.domain, set(ticked)),
        level_differs_reason=rating.level_differs_reason,
    )


def _latest_earlier(
    *,
    organisation_id: int,
    framework_key: str,
    period: str,
    statuses: tuple[AssessmentStatus, ...],
) -> tuple[int, str] | None:
    """The id and period of the organisation's latest assessment before ``period``."""
    rows = db.session.execute(
        _earlier(organisation_id, framework_key, statuses).with_only_columns(
            Assessment.id, Assessment.period
        )
    ).all()
    return _latest([(label, (id_, label)) for id_, label in rows], period)


def _earlier(
    organisation_id: int, framework_key: str, statuses: tuple[AssessmentStatus, ...]
) -> Select[tuple[Assessment]]:
    return (
        select(Assessment)
        .join(Framework, Assessment.framework_id == Framework.id)
        .where(
            Assessment.organisation_id == organisation_id,
            Framework.key == framework_key,
            Assessment.status.in_(statuses),
        )
    )


def _latest(candidates: list[tuple[str, T]], period: str) -> T | None:
    """Of (period label, value) pairs, the value of the latest period before ``period``."""
    this = Period.parse(period)
    earlier = [(Period.parse(label), index) for index, (label, _) in enumerate(candidates)]
    earlier = [row for row in earlier if row[0] < this]
    if not earlier:
        return None
    return candidates[max(earlier)[1]][1]


def carried_ratings(
    *, organisation: Organisation, framework: Framework, period: str
) -> tuple[int | None, dict[str, Rating]]:
    """The latest earlier approved assessment's id and its ratings by domain key."""
    source = _latest_earlier(
        organisation_id=organisation.id,
        framework_key=framework.key,
        period=period,
        statuses=(AssessmentStatus.APPROVED,),
    )
    if source is None:
        return None, {}
    ratings = db.session.scalars(
        select(Rating)
        .where(Rating.assessment_id == source[0])
        .options(joinedload(Rating.domain), selectinload(Rating.actions))
    )
    return source[0], {r.domain.key: r for r in ratings}


def carry(*, old: Rating | None, new: Rating) -> None:
    """Start ``new`` from last period's agreed answers: the judged level, the ambition (with
    its reason) and the open actions. Evidence and the reason for change are this period's
    to write, so they start empty."""
    if old is None:
        return
    new.level = old.judged_level
    new.ambition = old.ambition
    new.ambition_reason = old.ambition_reason
    if old.domain.framework_id == new.domain.framework_id:
        # The same version's criteria: what was met last period is where this one starts.
        # (A new version's criteria are new statements, so they start unticked.)
        new.criteria = list(old.criteria)
        new.level_differs_reason = old.level_differs_reason
    new.carried_forward = old.judged_level is not None
    new.actions = [
        ImprovementAction(
            position=action.position,
            what=action.what,
            owner=action.owner,
            due_date=action.due_date,
            status=ActionStatus.OPEN,
            carried_forward=True,
        )
        for action in old.actions
        if action.status == ActionStatus.OPEN
    ]
