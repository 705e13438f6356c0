"""Assessments and their ratings: starting, saving, submitting, and reading progress."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from maturity.data import commit
from maturity.data.audit import record
from maturity.domain.errors import ConflictError, DomainError, LockedError, NotFound
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.progress import DomainInfo, Progress
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Framework, Organisation, Rating, User

CHARTED = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def start(
    *,
    organisation: Organisation,
    framework: Framework,
    period: str,
    actor: User | None,
    status: AssessmentStatus = AssessmentStatus.DRAFT,
) -> Assessment:
    """A new assessment for the period, with an unanswered rating for every domain."""
    label = _label(period)
    # Read what the error message needs first: once the new row is pending, a lazy load
    # would flush it and raise the duplicate outside commit().
    duplicate = DomainError(
        f"{organisation.name} already has an assessment for {label}", field="period"
    )
    assessment = begin(
        organisation=organisation, framework=framework, period=label, actor=actor, status=status
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
    if not 0 < assessment_id < 2**31:  # beyond any id, and beyond what the database takes
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
) -> Rating:
    """Save one domain's answers on a draft; a stale ``expected_version`` is a conflict."""
    if not assessment.is_editable:
        raise LockedError(
            f"The {assessment.period} assessment has been {assessment.status.value} "
            "and can no longer be changed"
        )
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
    before = _rating_values(rating)
    rating.level = level
    rating.evidence = evidence.strip()
    rating.reason_for_change = reason_for_change.strip()
    rating.ambition = ambition
    after = _rating_values(rating)
    if before != after:
        # Touching the assessment bumps its version too, so a save racing a submit fails
        # instead of slipping into an assessment that is no longer a draft.
        assessment.updated_at = datetime.now(UTC).replace(tzinfo=None)
        record(
            action="rating.saved",
            actor=actor,
            organisation=assessment.organisation,
            subject=f"{assessment.period} {domain_key}",
            details={"before": before, "after": after},
        )
        commit()
    return rating


def submit(*, assessment: Assessment, actor: User | None) -> Assessment:
    if not assessment.is_editable:
        raise LockedError(f"The {assessment.period} assessment has already been submitted")
    unanswered = [r.domain.name for r in assessment.ratings if r.level is None]
    if unanswered:
        raise DomainError(
            "Answer every domain before you submit: " + ", ".join(unanswered), field="ratings"
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = datetime.now(UTC).replace(tzinfo=None)
    assessment.submitted_by = actor
    record(
        action="assessment.submitted",
        actor=actor,
        organisation=assessment.organisation,
        subject=assessment.period,
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
    """Figure 8's data: each submitted or approved period's levels, and the latest ambition."""
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
    for assessment in charted:
        for rating in assessment.ratings:
            values[(assessment.period, rating.domain.key)] = rating.level
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
    )


def _rating_values(rating: Rating) -> dict[str, object]:
    return {
        "level": rating.level,
        "evidence": rating.evidence,
        "reason_for_change": rating.reason_for_change,
        "ambition": rating.ambition,
    }


def begin(
    *,
    organisation: Organisation,
    framework: Framework,
    period: str,
    actor: User | None,
    status: AssessmentStatus = AssessmentStatus.DRAFT,
) -> Assessment:
    """Like :func:`start`, but left uncommitted, for callers writing many things at once."""
    label = _label(period)
    domains = list(framework.domains)
    assessment = Assessment(
        organisation=organisation,
        framework=framework,
        period=label,
        status=status,
        created_by=actor,
        ratings=[Rating(domain=domain) for domain in domains],
    )
    db.session.add(assessment)
    record(action="assessment.started", actor=actor, organisation=organisation, subject=label)
    return assessment


def _label(period: str) -> str:
    try:
        return Period.parse(period).label
    except InvalidPeriod as exc:
        raise DomainError(str(exc), field="period") from exc


def by_period(
    *, framework: Framework, organisations: list[Organisation]
) -> dict[tuple[int, str], Assessment]:
    """The framework's assessments of these organisations in one query, by (id, period)."""
    ids = [o.id for o in organisations if o.id is not None]
    if not ids:
        return {}
    found = db.session.scalars(
        select(Assessment).where(
            Assessment.framework_id == framework.id, Assessment.organisation_id.in_(ids)
        )
    )
    return {(a.organisation_id, a.period): a for a in found}
