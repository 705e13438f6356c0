"""Reads for oversight: the bodies an organisation oversees, and their levels in every
period for the reports the workers build. The oversight page's own reads, for a thousand
bodies at a time, are in :mod:`maturity.data.oversight_page`.

A constant number of queries whatever the number of bodies and periods: the tree in one,
the levels of every overseen body in every period in another.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select

from maturity.data.assessments import CHARTED
from maturity.domain.oversight import ancestors
from maturity.domain.periods import Period
from maturity.domain.portfolio import Body, Levels
from maturity.extensions import db
from maturity.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    FrameworkDomain,
    Organisation,
    Rating,
)


def overseen(*, organisation: Organisation | None) -> list[Body]:
    """Every body below ``organisation`` in the oversight tree (its descendants), or every
    organisation when ``organisation`` is None (an administrator's full portfolio)."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.slug, Organisation.parent_id)
    ).all()
    parents = {row.id: row.parent_id for row in rows}
    return [
        Body(id=row.id, name=row.name, slug=row.slug)
        for row in rows
        if organisation is None or organisation.id in ancestors(row.id, parents)
    ]


def counters(*, organisation: Organisation) -> list[tuple[int, str, str, int | None, int]]:
    """Id, name, slug, parent and change counter (``data_version``) of every body below
    ``organisation``, in one query: what an oversight report of them was built from, short
    of the levels themselves (maturity/reports/freshness.py)."""
    rows = db.session.execute(
        select(
            Organisation.id,
            Organisation.name,
            Organisation.slug,
            Organisation.parent_id,
            Organisation.data_version,
        ).order_by(Organisation.id)
    ).all()
    parents = {row.id: row.parent_id for row in rows}
    return [
        (row.id, row.name, row.slug, row.parent_id, row.data_version)
        for row in rows
        if organisation.id in ancestors(row.id, parents)
    ]


def ancestors_of(*, organisation_ids: set[int]) -> set[int]:
    """Every organisation above any of ``organisation_ids`` in the oversight tree."""
    rows = db.session.execute(select(Organisation.id, Organisation.parent_id)).all()
    parents = {row.id: row.parent_id for row in rows}
    found: set[int] = set()
    for organisation_id in organisation_ids:
        found.update(ancestors(organisation_id, parents))
    return found


def overseeing(*, organisation_ids: set[int]) -> set[int]:
    """Those of ``organisation_ids`` that have a body reporting to them."""
    if not organisation_ids:
        return set()
    query = select(Organisation.parent_id).where(
        Organisation.parent_id.in_(sorted(organisation_ids))
    )
    return {parent for parent in db.session.scalars(query.distinct()) if parent is not None}


def has_overseen(*, organisation: Organisation) -> bool:
    """Whether any body reports to this one (directly is enough: the rest follow)."""
    child = db.session.scalar(
        select(Organisation.id).where(Organisation.parent_id == organisation.id).limit(1)
    )
    return child is not None


def _charted(framework: Framework, ids: list[int]) -> list[ColumnElement[bool]]:
    return [
        # Every version of the framework: periods on different versions match by domain key.
        Assessment.framework_id.in_(select(Framework.id).where(Framework.key == framework.key)),
        Assessment.status.in_(CHARTED),
        Assessment.organisation_id.in_(ids),
    ]


def periods(*, framework: Framework, bodies: list[Body]) -> tuple[str, ...]:
    """The periods any of the bodies has a submitted or approved assessment for, earliest
    first, in one query."""
    ids = [body.id for body in bodies]
    if not ids:
        return ()
    query = select(Assessment.period).where(*_charted(framework, ids)).distinct()
    return tuple(sorted(db.session.scalars(query), key=Period.parse))


def levels(
    *, framework: Framework, bodies: list[Body], only: Sequence[str] | None = None
) -> Levels:
    """The judged level (moderated where set) of every body, period and domain, from
    submitted and approved assessments of ``framework`` only, in one query; ``only``
    limits it to those periods (the page needs two, the PDF every one)."""
    found = Levels()
    ids = [body.id for body in bodies]
    if not ids or (only is not None and not only):
        return found
    query = (
        select(
            Assessment.organisation_id,
            Assessment.period,
            FrameworkDomain.key,
            Rating.level,
            Rating.moderated_level,
            Rating.ambition,
            Assessment.status,
        )
        .join(Rating, Rating.assessment_id == Assessment.id)
        .join(FrameworkDomain, FrameworkDomain.id == Rating.domain_id)
        .where(*_charted(framework, ids))
    )
    if only is not None:
        query = query.where(Assessment.period.in_(list(only)))
    for (
        organisation_id,
        period,
        domain_key,
        level,
        moderated,
        ambition,
        status,
    ) in db.session.execute(query):
        found.add(
            body_id=organisation_id,
            period=period,
            domain_key=domain_key,
            level=moderated if moderated is not None else level,
            moderated=moderated is not None,
            ambition=ambition,
            approved=status == AssessmentStatus.APPROVED,
        )
    return found
