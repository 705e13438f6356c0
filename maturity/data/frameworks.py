"""Frameworks in the database, installed from the shipped data files."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from maturity.domain.errors import NotFound
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, FrameworkSpec
from maturity.models import Descriptor, Framework, FrameworkDomain, FrameworkLevel


def install(*, spec: FrameworkSpec, session: Session) -> Framework:
    """Add a framework version unless it is there already; released versions never change."""
    existing = session.scalar(
        select(Framework).where(Framework.key == spec.key, Framework.version == spec.version)
    )
    if existing is not None:
        return existing
    framework = Framework(
        key=spec.key,
        version=spec.version,
        name=spec.name,
        figure_title=spec.figure_title,
        definitions_title=spec.definitions_title,
        source=spec.source,
        notes=list(spec.notes),
    )
    framework.levels = [
        FrameworkLevel(number=number, name=name) for number, name in enumerate(spec.levels, start=1)
    ]
    framework.domains = [
        FrameworkDomain(
            position=position,
            key=domain.key,
            name=domain.name,
            colour=domain.colour,
            descriptors=[
                Descriptor(level_number=number, text=text)
                for number, text in enumerate(domain.descriptors, start=1)
            ],
        )
        for position, domain in enumerate(spec.domains, start=1)
    ]
    session.add(framework)
    session.flush()
    return framework


def current(*, key: str = DEFAULT_FRAMEWORK_KEY) -> Framework:
    framework = db.session.scalar(
        select(Framework).where(Framework.key == key).order_by(Framework.version.desc()).limit(1)
    )
    if framework is None:
        raise NotFound(f"The framework {key!r} is not installed: run `flask db upgrade`")
    return framework
