"""Frameworks in the database: loading versions, finding them, and which keys each
organisation may assess against.

A framework version is immutable: loading never changes one, it adds a new version. Each
assessment points at the version it was made with, so its pages and reports show that
version's words: use ``assessment.framework``, not :func:`current`, for an assessment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from maturity.data import by_id, commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, FrameworkSpec, checksum
from maturity.models import (
    Assessment,
    Criterion,
    Descriptor,
    Framework,
    FrameworkDomain,
    FrameworkLevel,
    Organisation,
    OrganisationFramework,
    User,
)


def current(*, key: str = DEFAULT_FRAMEWORK_KEY) -> Framework:
    """The latest version of the framework ``key``: the one new assessments use."""
    framework = db.session.scalar(
        select(Framework).where(Framework.key == key).order_by(Framework.version.desc()).limit(1)
    )
    if framework is None:
        raise NotFound(f"The framework {key!r} is not installed: run `flask db upgrade`")
    return framework


def get(*, framework_id: int) -> Framework:
    framework = by_id(Framework, framework_id)
    if framework is None:
        raise NotFound("No such framework version")
    return framework


def with_assessment_counts() -> list[tuple[Framework, int]]:
    """Every version of every framework, by key then newest first, with how many
    assessments use each (a version in use is never changed)."""
    used = (
        select(Assessment.framework_id, func.count(Assessment.id).label("n"))
        .group_by(Assessment.framework_id)
        .subquery()
    )
    query = (
        select(Framework, func.coalesce(used.c.n, 0))
        .outerjoin(used, used.c.framework_id == Framework.id)
        .order_by(Framework.key, Framework.version.desc())
    )
    return [(framework, count) for framework, count in db.session.execute(query)]


def assessment_count(*, framework: Framework) -> int:
    count = db.session.scalar(
        select(func.count(Assessment.id)).where(Assessment.framework_id == framework.id)
    )
    return count or 0


@dataclass(frozen=True)
class Loaded:
    framework: Framework
    # False when this exact content was already loaded: nothing was written.
    created: bool

    @property
    def message(self) -> str:
        name = f"version {self.framework.version} of {self.framework.key}"
        if self.created:
            return f"Loaded {name} ({self.framework.name})"
        return f"{name.capitalize()} is already loaded with exactly this content: nothing changed"


def load(*, spec: FrameworkSpec, actor: User | None) -> Loaded:
    """Add the framework version ``spec`` describes, all of it or nothing.

    The same content again is a no-op; other content under a loaded key and version, or a
    version below the latest, is refused: versions are immutable and only ever go up.
    """
    digest = checksum(spec)
    # Only the columns compared: loading a whole version would read all its rows.
    versions = {
        version: (framework_id, loaded_checksum)
        for framework_id, version, loaded_checksum in db.session.execute(
            select(Framework.id, Framework.version, Framework.checksum).where(
                Framework.key == spec.key
            )
        )
    }
    if spec.version in versions:
        framework_id, loaded_checksum = versions[spec.version]
        if loaded_checksum == digest:
            return Loaded(get(framework_id=framework_id), created=False)
        raise DomainError(
            f"Version {spec.version} of {spec.key} is already loaded with different content; "
            "give the file a higher version",
            field="file",
        )
    if versions and spec.version < max(versions):
        raise DomainError(
            f"Version {max(versions)} of {spec.key} is already loaded; "
            f"give the file a version above {max(versions)}",
            field="file",
        )
    framework = Framework(
        key=spec.key,
        version=spec.version,
        name=spec.name,
        figure_title=spec.figure_title,
        definitions_title=spec.definitions_title,
        source=spec.source,
        notes=list(spec.notes),
        loaded_by=actor,
        checksum=digest,
    )
    db.session.add(framework)
    for number, level_name in enumerate(spec.levels, start=1):
        db.session.add(FrameworkLevel(framework=framework, number=number, name=level_name))
    for position, domain_spec in enumerate(spec.domains, start=1):
        domain = FrameworkDomain(
            framework=framework,
            position=position,
            key=domain_spec.key,
            name=domain_spec.name,
            colour=domain_spec.colour,
            description=domain_spec.description,
        )
        db.session.add(domain)
        for number, text in enumerate(domain_spec.descriptors, start=1):
            descriptor = Descriptor(domain=domain, level_number=number, text=text)
            db.session.add(descriptor)
            for index, statement in enumerate(domain_spec.criteria_for(number), start=1):
                db.session.add(Criterion(descriptor=descriptor, position=index, text=statement))
    record(
        action="framework.loaded",
        actor=actor,
        subject=f"{spec.key} version {spec.version}",
        details={"key": spec.key, "version": spec.version, "checksum": digest},
    )
    # Two people loading the same version at once: the second meets the unique key+version.
    commit(
        on_integrity_error=DomainError(
            f"Version {spec.version} of {spec.key} has just been loaded by someone else",
            field="file",
        )
    )
    return Loaded(framework, created=True)


def latest_versions() -> list[Framework]:
    """The latest version of each framework key, by name."""
    latest = select(Framework.key, func.max(Framework.version).label("version")).group_by(
        Framework.key
    )
    subquery = latest.subquery()
    query = select(Framework).join(
        subquery,
        (Framework.key == subquery.c.key) & (Framework.version == subquery.c.version),
    )
    return sorted(db.session.scalars(query), key=lambda framework: framework.name.casefold())


def enabled_keys(*, organisation: Organisation) -> list[str]:
    return sorted(
        db.session.scalars(
            select(OrganisationFramework.framework_key).where(
                OrganisationFramework.organisation_id == organisation.id
            )
        )
    )


def for_organisation(*, organisation: Organisation) -> list[Framework]:
    """The latest version of each framework enabled for the organisation, by name."""
    enabled = set(enabled_keys(organisation=organisation))
    return [framework for framework in latest_versions() if framework.key in enabled]


def enable(*, organisation: Organisation, key: str, actor: User | None) -> None:
    if db.session.scalar(select(Framework.id).where(Framework.key == key).limit(1)) is None:
        raise DomainError("Choose a framework that has been loaded", field="framework_key")
    if key in enabled_keys(organisation=organisation):
        return
    db.session.add(OrganisationFramework(organisation=organisation, framework_key=key))
    record(action="framework.enabled", actor=actor, organisation=organisation, subject=key)
    # Enabled at the same moment by someone else: the unique pair says it is already done.
    commit(
        on_integrity_error=DomainError(
            f"{key} has just been enabled for {organisation.name}", field="framework_key"
        )
    )


def disable(*, organisation: Organisation, key: str, actor: User | None) -> None:
    """New assessments may no longer use the framework; existing ones keep their version."""
    row = db.session.scalar(
        select(OrganisationFramework).where(
            OrganisationFramework.organisation_id == organisation.id,
            OrganisationFramework.framework_key == key,
        )
    )
    if row is None:
        raise DomainError(f"{key} is not enabled for {organisation.name}", field="framework_key")
    db.session.delete(row)
    record(action="framework.disabled", actor=actor, organisation=organisation, subject=key)
    commit()


def set_enabled(*, organisation: Organisation, keys: set[str], actor: User | None) -> None:
    """Exactly these framework keys are enabled for the organisation, in one change."""
    if not keys:
        raise DomainError(
            "Select at least one framework: an organisation needs one to assess against",
            field="keys",
        )
    loaded = {framework.key for framework in latest_versions()}
    if not keys <= loaded:
        raise DomainError("Choose frameworks from the list", field="keys")
    rows = {
        row.framework_key: row
        for row in db.session.scalars(
            select(OrganisationFramework).where(
                OrganisationFramework.organisation_id == organisation.id
            )
        )
    }
    for key in sorted(keys - set(rows)):
        db.session.add(OrganisationFramework(organisation=organisation, framework_key=key))
        record(action="framework.enabled", actor=actor, organisation=organisation, subject=key)
    for key in sorted(set(rows) - keys):
        db.session.delete(rows[key])
        record(action="framework.disabled", actor=actor, organisation=organisation, subject=key)
    commit(
        on_integrity_error=DomainError(
            "Someone else changed this organisation's frameworks at the same time: try again",
            field="keys",
        )
    )
