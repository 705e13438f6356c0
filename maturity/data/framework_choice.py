"""Which framework a page, a new assessment or a CSV file is about, of those an organisation
has enabled or has assessed on; and the words of the versions its periods were assessed in.

An organisation may have several frameworks enabled (``OrganisationFramework``) and
assessments on several versions of each. Pages show one framework at a time; periods on
different versions of it are matched domain by domain by key
(:mod:`maturity.domain.wording` says where the words changed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, or_, select

from maturity.data import assessments, frameworks, organisations
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.periods import Period
from maturity.domain.spreadsheet_cells import unescape_text
from maturity.domain.wording import Words
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY
from maturity.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    Organisation,
    OrganisationFramework,
)


@dataclass(frozen=True)
class FrameworkOption:
    """A framework key a page may switch to, by its latest version's name."""

    key: str
    name: str
    version: int
    id: int


def enabled_frameworks(*, organisation: Organisation) -> list[Framework]:
    """The latest version of each framework enabled for the organisation: what a new
    assessment may be made on. The default framework first, then by name."""
    chosen = frameworks.for_organisation(organisation=organisation)
    return sorted(chosen, key=lambda f: (f.key != DEFAULT_FRAMEWORK_KEY, f.name))


def _versions_and_assessments(organisation: Organisation) -> Sequence[Row[Any]]:
    """Every version of the frameworks the organisation may show (enabled for it, or
    assessed on), each with the organisation's assessments on it, in one query."""
    enabled = select(OrganisationFramework.framework_key).where(
        OrganisationFramework.organisation_id == organisation.id
    )
    used = (
        select(Framework.key)
        .join(Assessment, Assessment.framework_id == Framework.id)
        .where(Assessment.organisation_id == organisation.id)
    )
    return db.session.execute(
        select(
            Framework.id,
            Framework.key,
            Framework.version,
            Framework.name,
            Assessment.period,
            Assessment.created_at,
            Assessment.status,
            Assessment.id.label("assessment_id"),
        )
        .outerjoin(
            Assessment,
            (Assessment.framework_id == Framework.id)
            & (Assessment.organisation_id == organisation.id),
        )
        .where(or_(Framework.key.in_(enabled), Framework.key.in_(used)))
    ).all()


def may_show(*, organisation: Organisation, key: str) -> bool:
    """Whether the organisation's pages may show the framework ``key`` (as
    :func:`framework_to_show` decides), in one query and without loading the framework."""
    keys = {row.key for row in _versions_and_assessments(organisation)}
    return key in keys or (key == DEFAULT_FRAMEWORK_KEY and not keys)


def framework_to_show(
    *, organisation: Organisation, key: str | None
) -> tuple[Framework, list[FrameworkOption]]:
    """The framework version a page of the organisation's shows, and every framework its
    pages may show (those enabled for it and those it has assessed on: a framework
    disabled later keeps its history readable).

    Of ``key`` (the query's choice) when given, else of the framework the organisation
    most recently submitted an assessment on (with none submitted, began one on), else
    the first enabled, else the default. The version is the one the latest period on that
    key was assessed on, so the page uses its words;
    without an assessment, the latest version. A key the organisation has no use of is
    not found. Two queries (the second loads the chosen framework), whatever the history.
    """
    rows = _versions_and_assessments(organisation)
    options = latest_options(rows)
    assessed = [row for row in rows if row.assessment_id is not None]
    if key is None:
        # What the pages and the report chart is what was submitted: a draft just begun on
        # a new framework should not hide years of history on the old one.
        charted = [row for row in assessed if row.status != AssessmentStatus.DRAFT]
        if charted or assessed:
            latest_first = max(
                charted or assessed, key=lambda row: (row.created_at, row.assessment_id)
            )
            key = latest_first.key
        else:
            key = options[0].key if options else DEFAULT_FRAMEWORK_KEY
    latest = {option.key: option for option in options}
    if key not in latest:
        if key == DEFAULT_FRAMEWORK_KEY and not latest:
            # Nothing enabled and nothing assessed: the default still gives an empty page.
            return frameworks.current(), []
        raise NotFound(f"The framework {key!r} is not used by {organisation.name}")
    on_key = [row for row in assessed if row.key == key]
    chosen = max(on_key, key=lambda row: Period.parse(row.period)).id if on_key else latest[key].id
    return db.session.get_one(Framework, chosen), options


def frameworks_for_oversight(
    *, organisation_ids: list[int], key: str | None
) -> tuple[Framework, list[FrameworkOption]]:
    """The framework an oversight page shows (``key``, else the default) in its latest
    version, and every framework the bodies have assessed on, to switch to."""
    used = (
        select(Framework.key)
        .join(Assessment, Assessment.framework_id == Framework.id)
        .where(Assessment.organisation_id.in_(organisation_ids))
    )
    rows = db.session.execute(
        select(Framework.id, Framework.key, Framework.version, Framework.name).where(
            or_(Framework.key.in_(used), Framework.key == DEFAULT_FRAMEWORK_KEY)
        )
    ).all()
    options = latest_options(rows)
    latest = {option.key: option for option in options}
    key = key or options[0].key
    if key not in latest:
        raise NotFound(f"The framework {key!r} is not used by these bodies")
    return db.session.get_one(Framework, latest[key].id), options


def oversight_may_show(*, organisation: Organisation, key: str) -> bool:
    """Whether an oversight page (or its PDF) of ``organisation`` may show the framework
    ``key``, as :func:`frameworks_for_oversight` decides: one its bodies assessed on, or the
    default."""
    from maturity.data import oversight  # it reads assessments, as this module does

    ids = [body.id for body in oversight.overseen(organisation=organisation)]
    try:
        frameworks_for_oversight(organisation_ids=ids, key=key)
    except NotFound:
        return False
    return True


def latest_options(rows: Sequence[Any]) -> list[FrameworkOption]:
    """Each key's latest version, from rows of framework id, key, version and name: the
    default framework first, then by name."""
    latest: dict[str, FrameworkOption] = {}
    for row in rows:
        if row.key not in latest or row.version > latest[row.key].version:
            latest[row.key] = FrameworkOption(row.key, row.name, row.version, row.id)
    return sorted(latest.values(), key=lambda o: (o.key != DEFAULT_FRAMEWORK_KEY, o.name))


def versions_by_period(*, organisation: Organisation, framework: Framework) -> dict[str, Framework]:
    """The version of ``framework``'s key each charted period was assessed on: periods
    on different versions are matched domain by domain by key, and pages say where the
    words changed between them (:mod:`maturity.domain.wording`)."""
    return {
        a.period: a.framework
        for a in assessments.for_organisation(organisation=organisation)
        if a.status in assessments.CHARTED and a.framework.key == framework.key
    }


def words(framework: Framework) -> Words:
    """A framework version's words, as plain values."""
    return Words(
        version=framework.version,
        domains={d.key: d.name for d in framework.domains},
        levels=tuple(level.name for level in framework.levels),
        descriptors={
            (d.key, descriptor.level_number): descriptor.text
            for d in framework.domains
            for descriptor in d.descriptors
        },
    )


def framework_for_file(*, data: bytes | str) -> Framework:
    """The framework a CSV file is for (it has no framework column): of the frameworks
    enabled for the organisations it names, the one whose domains include every domain it
    names; the default when it names no known organisation. Raises DomainError, naming
    them, when more than one fits or none does."""
    names, domains = _named(data)
    known = organisations.all_by_reference()
    ids = {known[name].id for name in names if name in known}
    # One query whatever the number of organisations a file names.
    enabled = set(
        db.session.scalars(
            select(OrganisationFramework.framework_key).where(
                OrganisationFramework.organisation_id.in_(ids)
            )
        )
    )
    candidates = {f.key: f for f in frameworks.latest_versions() if f.key in enabled}
    if not candidates:
        return frameworks.current()
    if len(candidates) == 1:  # the file's bad domains are reported line by line
        return next(iter(candidates.values()))
    fitting = [f for f in candidates.values() if domains <= _domain_words(f)]
    if len(fitting) == 1:
        return fitting[0]
    listed = ", ".join(f"{f.name} ({f.key})" for f in candidates.values())
    if not fitting:
        raise DomainError(
            "Nothing was imported: the file's domains are not all in one framework enabled "
            f"for its organisations ({listed}). Use one framework's domain keys or names."
        )
    raise DomainError(
        "Nothing was imported: the file's domains fit more than one framework enabled for "
        f"its organisations ({listed}). Import it from the organisation's page in the "
        "service, which shows the framework it imports to."
    )


def _named(data: bytes | str) -> tuple[set[str], set[str]]:
    """The organisations and domains a file names (casefolded domains), read leniently:
    the full parse reports whatever is wrong with the file."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        return set(), set()
    names: set[str] = set()
    domains: set[str] = set()
    for row in rows:
        fields = {
            (k or "").strip().lower(): (v or "") for k, v in row.items() if isinstance(v, str)
        }
        # As the full parse reads them: a download's "'=Body" names "=Body".
        if name := unescape_text(fields.get("organisation", "").strip()):
            names.add(name)
        if domain := unescape_text(fields.get("domain", "").strip()):
            domains.add(domain.casefold())
    return names, domains


def _domain_words(framework: Framework) -> set[str]:
    return {w.casefold() for d in framework.domains for w in (d.key, d.name)}
