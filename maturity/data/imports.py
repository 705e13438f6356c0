"""Ratings in and out as CSV: an import is all or nothing, an export reads back the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from maturity.data import assessments, commit, framework_choice, organisations
from maturity.data.audit import record
from maturity.domain import csv_format
from maturity.domain.csv_format import LineError, Record, Shape
from maturity.domain.errors import DomainError
from maturity.domain.slugs import slugify
from maturity.extensions import db
from maturity.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    Organisation,
    OrganisationFramework,
    User,
)

PROGRESS_EVERY = 500  # rows between progress reports on a large import

# PostgreSQL refuses a longer name; SQLite would quietly keep it.


class ImportRejected(DomainError):
    """The file has bad rows; ``errors`` holds one per bad row and nothing was written."""

    def __init__(self, errors: Iterable[LineError]) -> None:
        self.errors = tuple(csv_format.merge(errors))
        count = len(self.errors)
        super().__init__(
            f"Nothing was imported: {count} {'line has' if count == 1 else 'lines have'} errors"
        )


@dataclass(frozen=True)
class ImportSummary:
    ratings: int
    organisations: int
    periods: int
    assessments_started: int
    organisations_created: tuple[str, ...]
    # Rows for approved assessments that already hold exactly what the file says.
    unchanged: int = 0


def shape_of(*, framework: Framework) -> Shape:
    return Shape(
        levels=tuple(level.name for level in framework.levels),
        domains=tuple((domain.key, domain.name) for domain in framework.domains),
    )


def import_csv(
    *,
    data: bytes | str,
    create_organisations: bool = False,
    actor: User | None = None,
    progress: Callable[[int, int], None] | None = None,
    framework: Framework | None = None,
) -> ImportSummary:
    """Apply a CSV file to one framework's assessments in one transaction: ``framework``,
    else the one :func:`maturity.data.framework_choice.framework_for_file` finds.

    ``progress(done, total)`` is called as rows are written, for a command line to show.
    """
    framework = framework or framework_choice.framework_for_file(data=data)
    parsed = csv_format.parse(data, shape_of(framework=framework))
    try:
        plan = _Plan.make(records=parsed.records, framework=framework, create=create_organisations)
        errors = [*parsed.errors, *plan.errors]
        if errors:
            raise ImportRejected(errors)
        summary = plan.write(actor=actor, progress=progress)
        commit(
            on_integrity_error=DomainError(
                "Someone else added the same organisations or assessments while the file was "
                "being imported. Nothing was imported: run the import again."
            )
        )
    except BaseException:
        db.session.rollback()
        raise
    return summary


def export_rows(*, organisation: Organisation, framework: Framework | None = None) -> list[Record]:
    """Every answered rating on ``framework`` (any version of its key; by default the one
    the organisation's pages show first), in period then domain order.

    Other frameworks' assessments are left out: a file is imported to one framework, so
    only these read back as they are.
    """
    framework = (
        framework or framework_choice.framework_to_show(organisation=organisation, key=None)[0]
    )
    return [
        Record(
            organisation=organisation.name,
            period=assessment.period,
            domain=rating.domain.key,
            level=rating.level,
            ambition=rating.ambition,
            evidence=rating.evidence,
        )
        for assessment in assessments.for_organisation(organisation=organisation)
        if assessment.framework.key == framework.key
        for rating in assessment.ordered_ratings
        if rating.level is not None
    ]


@dataclass
class _Plan:
    """What an import will write, worked out (and checked) before anything is written."""

    framework: Framework
    rows: list[tuple[Record, Organisation | str]]
    existing: dict[tuple[int, str], Assessment]
    errors: list[LineError]
    unchanged: int = 0

    @classmethod
    def make(cls, *, records: Iterable[Record], framework: Framework, create: bool) -> _Plan:
        known = organisations.all_by_reference()
        slugs = {o.slug: o for o in known.values()}
        records = list(records)
        # A body the file adds may be named on one row and given by its slug on another:
        # the slug then means the name ("home-office-nca" for "Home Office & NCA").
        named: dict[str, str] = {}
        for row in records:
            slug = slugify(row.organisation)
            if row.organisation not in known and slug != row.organisation:
                named.setdefault(slug, row.organisation)
        new_names: dict[str, tuple[str, int]] = {}
        errors: list[LineError] = []
        rows: list[tuple[Record, Organisation | str]] = []
        for row in records:
            found = known.get(row.organisation)
            if found is None and create and row.organisation in named:
                row = replace(row, organisation=named[row.organisation])
            if found is not None:
                rows.append((row, found))
            elif problem := _cannot_create(row, create, slugs, new_names):
                errors.append(LineError(row.line, problem))
            else:
                new_names.setdefault(slugify(row.organisation), (row.organisation, row.line))
                rows.append((row, row.organisation))
        known_targets = {id(o): o for _, o in rows if isinstance(o, Organisation)}
        existing = assessments.by_period(
            framework=framework, organisations=list(known_targets.values())
        )
        plan = cls(framework, [], existing, errors)
        seen: dict[tuple[object, str, str], int] = {}
        for row, target in rows:
            # A slug and a name can name the same body; the file parser cannot know that.
            who = target.id if isinstance(target, Organisation) else target
            key = (who, row.period, row.domain)
            if key in seen:
                errors.append(LineError(row.line, _duplicate(row, seen[key])))
                continue
            seen[key] = row.line
            current = (
                existing.get((target.id, row.period)) if isinstance(target, Organisation) else None
            )
            if current is not None and not any(r.domain.key == row.domain for r in current.ratings):
                errors.append(LineError(row.line, _not_in_version(row, current)))
                continue
            if current is not None and not current.is_editable:
                # Re-importing an export of decided history changes nothing, so it is allowed.
                if _holds(current, row):
                    plan.unchanged += 1
                else:
                    errors.append(LineError(row.line, _locked(row, current)))
                continue
            plan.rows.append((row, target))
        return plan

    def write(
        self, *, actor: User | None, progress: Callable[[int, int], None] | None = None
    ) -> ImportSummary:
        created = {
            name: Organisation(name=name, slug=slugify(name))
            for name in dict.fromkeys(t for _, t in self.rows if isinstance(t, str))
        }
        db.session.add_all(created.values())
        # A body the file creates has the file's framework enabled, to carry on with it.
        db.session.add_all(
            OrganisationFramework(organisation=o, framework_key=self.framework.key)
            for o in created.values()
        )
        db.session.flush()
        for organisation in created.values():
            record(
                action="organisation.created",
                actor=actor,
                organisation=organisation,
                subject=organisation.name,
                details={"source": "import"},
            )
        touched: dict[tuple[int, str], Assessment] = {}
        changes: dict[int, dict[str, object]] = {}
        started = 0
        new_assessments: list[Assessment] = []
        now = datetime.now(UTC).replace(tzinfo=None)
        for done, (row, target) in enumerate(self.rows, start=1):
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(self.rows)):
                progress(done, len(self.rows))
            organisation = created[target] if isinstance(target, str) else target
            key = (organisation.id, row.period)
            assessment = touched.get(key) or self.existing.get(key)
            if assessment is None:
                # Imported history is already decided, so it is charted straight away.
                assessment = assessments.begin(
                    organisation=organisation,
                    framework=self.framework,
                    period=row.period,
                    actor=actor,
                    status=AssessmentStatus.SUBMITTED,
                )
                assessment.submitted_at = now
                assessment.submitted_by = actor
                started += 1
                new_assessments.append(assessment)
            touched[key] = assessment
            # By domain key, not id: a new assessment's ratings have no ids until flushed, and
            # an existing one may be on an earlier version of the framework.
            rating = next(r for r in assessment.ratings if r.domain.key == row.domain)
            before = (rating.level, rating.ambition, rating.evidence)
            rating.level, rating.ambition, rating.evidence = row.level, row.ambition, row.evidence
            if before != (row.level, row.ambition, row.evidence):
                changes.setdefault(id(assessment), {})[row.domain] = {
                    "before": dict(zip(("level", "ambition", "evidence"), before, strict=True)),
                    "after": {
                        "level": row.level,
                        "ambition": row.ambition,
                        "evidence": row.evidence,
                    },
                }
        for assessment in new_assessments:
            # A period the file answers only in part is a draft: submitting needs every domain.
            if any(rating.level is None for rating in assessment.ratings):
                assessment.status = AssessmentStatus.DRAFT
                assessment.submitted_at = None
                assessment.submitted_by = None
        for assessment in touched.values():
            if id(assessment) in changes:
                record(
                    action="assessment.imported",
                    actor=actor,
                    organisation=assessment.organisation,
                    subject=assessment.period,
                    details={"changes": changes[id(assessment)]},
                )
        return ImportSummary(
            ratings=len(self.rows),
            organisations=len({organisation_id for organisation_id, _ in touched}),
            periods=len({period for _, period in touched}),
            assessments_started=started,
            organisations_created=tuple(created),
            unchanged=self.unchanged,
        )


def _duplicate(row: Record, first_line: int) -> str:
    return (
        f"duplicate of line {first_line}: the same organisation, period ({row.period}) "
        f"and domain ({row.domain})"
    )


def _holds(assessment: Assessment, row: Record) -> bool:
    return any(
        rating.domain.key == row.domain
        and (rating.level, rating.ambition, rating.evidence)
        == (row.level, row.ambition, row.evidence)
        for rating in assessment.ratings
    )


def _not_in_version(row: Record, assessment: Assessment) -> str:
    framework = assessment.framework
    return (
        f"the {row.period} assessment of {assessment.organisation.name} is on version "
        f"{framework.version} of {framework.name}, which has no domain {row.domain!r}"
    )


def _locked(row: Record, assessment: Assessment) -> str:
    return (
        f"the {row.period} assessment of {assessment.organisation.name} has been "
        f"{assessment.status.value} and is locked: an import cannot change it"
    )


def _cannot_create(
    row: Record, create: bool, slugs: dict[str, Organisation], new: dict[str, tuple[str, int]]
) -> str | None:
    """Why the row's unknown organisation cannot be created, or None when it can."""
    name = row.organisation
    if not create:
        return (
            f"no organisation has the name or slug {name!r}: check the spelling, "
            "or import with --create-organisations to add it"
        )
    slug = slugify(name)
    if not slug:
        return f"{name!r} cannot be a new organisation's name: it needs a letter or a digit"
    if len(name) > organisations.NAME_LENGTH:
        return f"an organisation's name must be {organisations.NAME_LENGTH} characters or fewer"
    if slug in slugs:
        return (
            f"no organisation has the name or slug {name!r}, and it cannot be added: "
            f"{slugs[slug].name!r} already has the address {slug!r}"
        )
    other, line = new.get(slug, (name, row.line))
    if other != name:
        return f"{name!r} and {other!r} (line {line}) would have the same address {slug!r}"
    return None


@dataclass(frozen=True)
class PreviewRow:
    """One row of a file as an import would apply it, worked out without writing."""

    line: int
    period: str
    domain: str
    # "new" (no level yet), "changed" or "unchanged".
    status: str
    # (level, ambition, evidence) now; None when the period or the rating has no level yet.
    before: tuple[int | None, int | None, str] | None
    after: tuple[int, int | None, str]


@dataclass(frozen=True)
class Preview:
    rows: tuple[PreviewRow, ...]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def fingerprint(self) -> str:
        """Changes when anything the preview showed has changed since."""
        import hashlib
        import json

        text = json.dumps(
            [list(map(str, (r.line, r.status, r.before, r.after))) for r in self.rows]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def preview(*, data: bytes | str, organisation: Organisation, framework: Framework) -> Preview:
    """What importing ``data`` to ``framework`` would do to ``organisation``'s ratings,
    without writing.

    Every row must be for ``organisation``: a row for any other body is an error at its line
    (whether or not that body exists, which is not revealed). Raises :class:`ImportRejected`
    with the same line errors an import would give.
    """
    parsed = csv_format.parse(data, shape_of(framework=framework))
    known = organisations.all_by_reference()
    mine: list[Record] = []
    errors: list[LineError] = [*parsed.errors]
    for row in parsed.records:
        found = known.get(row.organisation)
        if found is not None and found.id == organisation.id:
            mine.append(row)
        else:
            errors.append(
                LineError(
                    row.line,
                    f"the organisation {row.organisation!r} is not {organisation.name}: "
                    f"this page imports ratings for {organisation.name} only",
                )
            )
    plan = _Plan.make(records=mine, framework=framework, create=False)
    errors.extend(plan.errors)
    if errors:
        raise ImportRejected(errors)
    rows = []
    for row in mine:
        assessment = plan.existing.get((organisation.id, row.period))
        rating = (
            next((r for r in assessment.ratings if r.domain.key == row.domain), None)
            if assessment is not None
            else None
        )
        after = (row.level, row.ambition, row.evidence)
        if rating is None or rating.level is None:
            status, before = "new", None
        else:
            before = (rating.level, rating.ambition, rating.evidence)
            status = "unchanged" if before == after else "changed"
        rows.append(PreviewRow(row.line, row.period, row.domain, status, before, after))
    return Preview(tuple(rows))
