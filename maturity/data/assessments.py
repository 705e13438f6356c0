"""Assessments and their ratings: starting, saving, submitting, and reading progress."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import select

from maturity.data import commit, decisions, drafts, history, journey, valid_id
from maturity.data.audit import record
from maturity.domain import assessment_rules as rules
from maturity.domain.assessment_rules import Answers, ProblemsFound, TaskStatus
from maturity.domain.errors import ConflictError, DomainError, LockedError, NotFound
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.progress import DomainInfo, Progress
from maturity.extensions import db
from maturity.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    DecisionKind,
    Framework,
    Organisation,
    Rating,
    User,
)

CHARTED = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def start(
    *,
    organisation: Organisation,
    framework: Framework,
    period: str,
    actor: User | None,
    status: AssessmentStatus = AssessmentStatus.DRAFT,
) -> Assessment:
    """A new assessment for the period, with a rating for every domain.

    The ratings start from the organisation's latest approved assessment of an earlier
    period, when there is one (see :func:`begin`), so nobody re-types last year.
    """
    label = _label(period)
    # Read what the error message needs first: once the new row is pending, a lazy load
    # would flush it and raise the duplicate outside commit().
    duplicate = DomainError(
        f"{organisation.name} already has an assessment for {label}", field="period"
    )
    # The database's unique constraint is per version; the rule is per framework key.
    if (organisation.id, label) in by_period(framework=framework, organisations=[organisation]):
        raise duplicate
    assessment = begin(
        organisation=organisation,
        framework=framework,
        period=label,
        actor=actor,
        status=status,
        carry_forward=True,
    )
    commit(on_integrity_error=duplicate)
    return assessment


def for_organisation(*, organisation: Organisation) -> list[Assessment]:
    """Every assessment of the organisation, earliest period first."""
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == organisation.id)
    ).all()
    return sorted(assessments, key=lambda a: Period.parse(a.period))


def get(*, organisation: Organisation, assessment_id: int) -> Assessment:
    """The organisation's assessment; another organisation's id is simply not found."""
    if not valid_id(assessment_id):
        raise NotFound("Assessment not found")
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.id == assessment_id, Assessment.organisation_id == organisation.id
        )
    )
    if assessment is None:
        raise NotFound("Assessment not found")
    return assessment


def save_rating(
    *,
    assessment: Assessment,
    domain_key: str,
    level: int | None,
    evidence: str,
    reason_for_change: str,
    ambition: int | None,
    actor: User | None,
    expected_version: int | None = None,
    ambition_reason: str = "",
    complete: bool = False,
    checked: bool = True,
    criteria: Collection[int] | None = None,
    level_differs_reason: str | None = None,
) -> Rating:
    """Save one domain's answers on a draft; a stale ``expected_version`` is a conflict.

    ``complete``: the person says the domain is done ("Save and continue"), so the rules
    for a finished answer apply (:func:`maturity.domain.assessment_rules.problems`);
    a draft may be saved half-answered, and :func:`submit` applies them to every domain.
    ``checked``: the person has looked at these answers, which clears the carried-forward
    mark; a save made only on the way to changing an action leaves it unless an answer
    changed. ``criteria``: the ids of the good-practice criteria ticked as met (guided
    scoring), and ``level_differs_reason`` why the level is not the one they suggest;
    None leaves either as it is.
    """
    refuse_if_locked(assessment=assessment)
    framework = assessment.framework
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        raise NotFound(f"{framework.name} has no domain {domain_key!r}")
    if expected_version is not None and rating.version != expected_version:
        raise ConflictError(
            f"Someone else saved '{rating.domain.name}' since you opened it. "
            "Your answers have not been saved: check theirs and enter yours again.",
            field="level",
        )
    for field, value in (("level", level), ("ambition", ambition)):
        if value is not None and not 0 <= value <= framework.top_level:
            raise DomainError("Choose a level from the list", field=field)
    ticked = _ticked(rating, criteria)
    answers = Answers(
        level=level,
        evidence=evidence.strip(),
        reason_for_change=reason_for_change.strip(),
        ambition=ambition,
        ambition_reason=ambition_reason.strip(),
        ticked=frozenset(c.id for c in ticked),
        suggested=journey.suggested_level(rating.domain, {c.id for c in ticked}),
        level_differs_reason=(
            rating.level_differs_reason
            if level_differs_reason is None
            else level_differs_reason.strip()
        ),
    )
    if complete:
        previous = journey.previous_period(assessment=assessment)
        found = rules.problems(
            answers,
            previous_level=previous.level(domain_key) if previous else None,
            level_names=[lv.name for lv in framework.levels],
        )
        if found:
            raise ProblemsFound(found)
    before = _rating_values(rating)
    rating.level = answers.level
    rating.evidence = answers.evidence
    rating.reason_for_change = answers.reason_for_change
    rating.ambition = answers.ambition
    rating.ambition_reason = answers.ambition_reason
    rating.level_differs_reason = answers.level_differs_reason
    if criteria is not None:
        rating.criteria = ticked
    if checked or _answers_changed(before, _rating_values(rating)):
        rating.carried_forward = False
    after = _rating_values(rating)
    if before != after:
        # Touching the assessment bumps its version too, so a save racing a submit fails
        # instead of slipping into an assessment that is no longer a draft.
        assessment.updated_at = datetime.now(UTC).replace(tzinfo=None)
        history.record(
            assessment=assessment, rating=rating, actor=actor, before=before, after=after
        )
    # What the person was typing is saved now: their kept draft goes, in the same commit.
    dropped_draft = drafts.drop(rating=rating, person=actor)
    if before != after or dropped_draft:
        commit()
    return rating


def submit(*, assessment: Assessment, actor: User | None) -> Assessment:
    """Send a finished draft for approval: every domain answered, checked and complete."""
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise LockedError(f"The {assessment.period} assessment has already been submitted")
    refuse_if_locked(assessment=assessment)
    unanswered = [r.domain.name for r in assessment.ordered_ratings if r.level is None]
    if unanswered:
        raise DomainError(
            "Answer every domain before you submit: " + ", ".join(unanswered), field="ratings"
        )
    statuses = journey.task_statuses(assessment=assessment)
    unchecked = [
        r.domain.name
        for r in assessment.ordered_ratings
        if statuses[r.domain.key] == TaskStatus.CARRIED_FORWARD
    ]
    if unchecked:
        raise DomainError(
            "Check the answers carried forward before you submit: " + ", ".join(unchecked),
            field="ratings",
        )
    unfinished = [
        r.domain.name
        for r in assessment.ordered_ratings
        if statuses[r.domain.key] != TaskStatus.COMPLETED
    ]
    if unfinished:
        raise DomainError(
            "Complete every domain before you submit: " + ", ".join(unfinished),
            field="ratings",
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = datetime.now(UTC).replace(tzinfo=None)
    assessment.submitted_by = actor
    # The sign-off trail names the submitter; separation of duties keeps them from approving.
    decisions.record(
        assessment=assessment,
        kind=DecisionKind.SUBMITTED,
        actor=actor,
        at=assessment.submitted_at,
    )
    record(
        action="assessment.submitted",
        actor=actor,
        organisation=assessment.organisation,
        subject=assessment.period,
        details={"assessment_id": assessment.id},
    )
    commit()
    return assessment


def progress(
    *,
    organisation: Organisation,
    framework: Framework,
    first: str | None = None,
    last: str | None = None,
) -> Progress:
    """Figure 8's data: each submitted or approved period's levels, and the latest ambition.

    A level is the approver's moderated one where they set it; ``Progress.moderated`` and
    ``Progress.unapproved`` let every chart, table and report say so.
    """
    low = Period.parse(first) if first else None
    high = Period.parse(last) if last else None
    charted = [
        a
        for a in for_organisation(organisation=organisation)
        if a.status in CHARTED
        and a.framework.key == framework.key
        and (low is None or Period.parse(a.period) >= low)
        and (high is None or Period.parse(a.period) <= high)
    ]
    values: dict[tuple[str, str], int | None] = {}
    moderated: set[tuple[str, str]] = set()
    for assessment in charted:
        for rating in assessment.ratings:
            values[(assessment.period, rating.domain.key)] = rating.judged_level
            if rating.moderated_level is not None:
                moderated.add((assessment.period, rating.domain.key))
    ambition: dict[str, int | None] = {}
    if charted:
        ambition = {r.domain.key: r.ambition for r in charted[-1].ratings}
    return Progress(
        title=framework.figure_title,
        levels=tuple(level.name for level in framework.levels),
        domains=tuple(DomainInfo(d.key, d.name, d.colour) for d in framework.domains),
        periods=tuple(a.period for a in charted),
        values=values,
        ambition=ambition,
        moderated=frozenset(moderated),
        unapproved=frozenset(a.period for a in charted if a.status != AssessmentStatus.APPROVED),
    )


def _ticked(rating: Rating, criteria: Collection[int] | None) -> list[Criterion]:
    """The criteria to keep as ticked: ``criteria`` (ids), each one of this domain's."""
    if criteria is None:
        return list(rating.criteria)
    known = {c.id: c for found in journey.criteria_by_level(rating.domain).values() for c in found}
    if not set(criteria) <= set(known):
        raise DomainError("Choose the criteria met from the list", field="criteria")
    return [known[i] for i in sorted(set(criteria))]


def _rating_values(rating: Rating) -> dict[str, object]:
    values: dict[str, object] = {
        "level": rating.level,
        "evidence": rating.evidence,
        "reason_for_change": rating.reason_for_change,
        "ambition": rating.ambition,
        "ambition_reason": rating.ambition_reason,
        "carried_forward": rating.carried_forward,
    }
    if any(journey.criteria_by_level(rating.domain).values()):
        # Guided scoring's answers, only where the domain has criteria. The criteria's
        # words, not ids, so the history reads as the page did.
        values["criteria_met"] = "\n".join(c.text for c in rating.criteria)
        values["level_differs_reason"] = rating.level_differs_reason
    return values


def _answers_changed(before: dict[str, object], after: dict[str, object]) -> bool:
    return {k: v for k, v in before.items() if k != "carried_forward"} != {
        k: v for k, v in after.items() if k != "carried_forward"
    }


def refuse_if_locked(*, assessment: Assessment) -> None:
    """Only a draft's answers and actions may change."""
    if not assessment.is_editable:
        raise LockedError(
            f"The {assessment.period} assessment has been {assessment.status.value} "
            "and can no longer be changed"
        )


def begin(
    *,
    organisation: Organisation,
    framework: Framework,
    period: str,
    actor: User | None,
    status: AssessmentStatus = AssessmentStatus.DRAFT,
    carry_forward: bool = False,
) -> Assessment:
    """Like :func:`start`, but left uncommitted, for callers writing many things at once.

    With ``carry_forward``, each rating starts from the organisation's latest approved
    assessment of an earlier period: its judged level, ambition and open actions, marked
    as carried forward until someone checks them. Imports and the demo write their own
    answers, so they start empty.
    """
    label = _label(period)
    domains = list(framework.domains)
    # Read before the new assessment is added: a query then would flush it early.
    source_id, carried = (
        journey.carried_ratings(organisation=organisation, framework=framework, period=label)
        if carry_forward
        else (None, {})
    )
    ratings = []
    for domain in domains:
        rating = Rating(domain=domain)
        journey.carry(old=carried.get(domain.key), new=rating)
        ratings.append(rating)
    assessment = Assessment(
        organisation=organisation,
        framework=framework,
        period=label,
        status=status,
        created_by=actor,
        ratings=ratings,
        carried_forward_from_id=source_id,
    )
    db.session.add(assessment)
    record(
        action="assessment.started",
        actor=actor,
        organisation=organisation,
        subject=label,
        details={"carried_forward_from": source_id} if source_id else None,
    )
    return assessment


def _label(period: str) -> str:
    try:
        return Period.parse(period).label
    except InvalidPeriod as exc:
        raise DomainError(str(exc), field="period") from exc


def by_period(
    *, framework: Framework, organisations: list[Organisation]
) -> dict[tuple[int, str], Assessment]:
    """The assessments of these organisations on any version of the framework (one
    assessment per organisation, framework and period), in one query, by (id, period)."""
    ids = [o.id for o in organisations if o.id is not None]
    if not ids:
        return {}
    found = db.session.scalars(
        select(Assessment).where(
            Assessment.framework_id.in_(select(Framework.id).where(Framework.key == framework.key)),
            Assessment.organisation_id.in_(ids),
        )
    )
    return {(a.organisation_id, a.period): a for a in found}


def notes(*, organisation: Organisation, framework: Framework) -> dict[tuple[str, str], Note]:
    """What was written in each charted period, by (period, domain key): the evidence and
    the reason for change, for comparing two periods side by side."""
    return {
        (a.period, r.domain.key): Note(evidence=r.evidence, reason_for_change=r.reason_for_change)
        for a in for_organisation(organisation=organisation)
        if a.status in CHARTED and a.framework.key == framework.key
        for r in a.ratings
    }


from maturity.domain.comparison import Note  # noqa: E402
