"""Reads for the oversight page: for a department with a thousand bodies and ten periods,
in a constant number of queries and without an object per body per period.

One statement gives the frameworks the bodies have assessed on and the periods of each
(:func:`framework_and_periods`); another one lean row per body with its levels for the two
periods the page shows, pivoted by the database (:func:`standings`). The tree of bodies is
a recursive query inside each, never a list of a thousand ids.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.orm import aliased

from maturity.data import framework_choice
from maturity.data.assessments import CHARTED
from maturity.data.framework_choice import FrameworkOption
from maturity.domain.errors import NotFound
from maturity.domain.periods import Period
from maturity.domain.portfolio_page import Standing
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY
from maturity.models import Assessment, Framework, FrameworkDomain, Organisation, Rating


def _below(root: BindParameter[int] | None) -> Select[tuple[int]]:
    """The ids of every body below the organisation ``root`` stands for (a recursive
    query, run inside whichever statement uses it), or of every organisation when None.
    UNION, not UNION ALL: a cycle in bad data ends rather than loops; and the root is never
    below itself (as :func:`maturity.domain.oversight.ancestors`)."""
    if root is None:
        return select(Organisation.id)
    tree = select(Organisation.id).where(Organisation.parent_id == root).cte("tree", recursive=True)
    tree = tree.union(select(Organisation.id).join(tree, Organisation.parent_id == tree.c.id))
    return select(tree.c.id).where(tree.c.id != root)


def framework_and_periods(
    *, organisation: Organisation | None, key: str | None
) -> tuple[Framework, list[FrameworkOption], tuple[str, ...]]:
    """The framework the oversight page of ``organisation`` shows (``key``, else the
    default) in its latest version, every framework the bodies below have assessed on (to
    switch to, as :func:`framework_choice.frameworks_for_oversight` offers them), and the
    periods any of them has a submitted or approved assessment for on the one shown (any
    version), earliest first. One pass over the bodies' assessments gives all three: that
    pass is what costs, for a thousand bodies with ten periods each.

    Raises NotFound for a key none of the bodies has used."""
    rows = (
        db.session.connection()
        .execute(_assessed_statement(overseen=organisation is not None), _root(organisation))
        .all()
    )
    used = {row.key for row in rows if row.period is not None} | {DEFAULT_FRAMEWORK_KEY}
    options = framework_choice.latest_options([row for row in rows if row.key in used])
    latest = {option.key: option for option in options}
    key = key or options[0].key
    if key not in latest:
        raise NotFound(f"The framework {key!r} is not used by these bodies")
    periods = {row.period for row in rows if row.key == key and row.charted}
    return (
        db.session.get_one(Framework, latest[key].id),
        options,
        tuple(sorted(periods, key=Period.parse)),
    )


def _root(organisation: Organisation | None) -> dict[str, int]:
    return {} if organisation is None else {"root": organisation.id}


@functools.lru_cache(maxsize=2)
def _assessed_statement(*, overseen: bool) -> Select[Any]:
    """Every version of every framework, with each period the bodies have assessed it in
    and whether any of those is submitted or approved. The pairs come from the index alone;
    the status, which is not in it, is asked only once per pair (EXISTS stops at the first
    body): two thirds of the time of reading the status of every assessment. Built once
    (see :func:`_standings_statement`)."""
    below = _below(bindparam("root") if overseen else None)  # one CTE, used twice
    pairs = (
        select(Assessment.framework_id, Assessment.period)
        .where(Assessment.organisation_id.in_(below))
        .distinct()
        .subquery()
    )
    charted = aliased(Assessment)
    return select(
        Framework.id,
        Framework.key,
        Framework.version,
        Framework.name,
        pairs.c.period,
        exists()
        .where(
            charted.framework_id == pairs.c.framework_id,
            charted.period == pairs.c.period,
            charted.status.in_(CHARTED),
            charted.organisation_id.in_(below),
        )
        .label("charted"),
    ).outerjoin(pairs, pairs.c.framework_id == Framework.id)


def standings(
    *,
    framework: Framework,
    organisation: Organisation | None,
    period: str | None,
    previous: str | None,
) -> list[Standing]:
    """One lean row per body below ``organisation`` (every organisation when None) with
    its judged level (moderated where set) in each of ``framework``'s domains for
    ``period`` and for ``previous``, in one query: a thousand rows for a thousand bodies,
    not an object per rating. A body with no rating for ``period`` has no assessment for it
    (as :meth:`maturity.domain.portfolio.Levels.assessed`)."""
    keys = tuple(domain.key for domain in framework.domains)
    statement = _standings_statement(keys, overseen=organisation is not None)
    parameters = {
        "framework_key": framework.key,
        "period": period,
        "previous": previous,
        **_root(organisation),
    }
    count, first_before = len(keys), 3 + len(keys)
    levels, moderated = _decoders(len(framework.levels))
    level_of, moderated_of = levels.__getitem__, moderated.__getitem__
    # The core connection, not the ORM session: plain rows, whose handling by the session
    # cost more than the query; one comprehension, as this runs for each of the bodies.
    # By body: two assessments of one key for one period (against the rule) would make
    # two rows, of which one is kept.
    rows = {row[0]: row for row in db.session.connection().execute(statement, parameters).all()}
    return [
        Standing(
            row[0],
            row[1],
            row[2],
            (now := row[3:first_before]).count(None) < count,
            tuple(map(level_of, now)),
            tuple(map(moderated_of, now)),
            tuple(row[first_before:]),
        )
        for row in rows.values()
    ]


# The judged level for the chosen period comes as one number per domain: twice the level,
# plus one when an approver moderated it; -2 when not answered; NULL without a rating.
# One column per domain rather than two, which also tells "not answered" from "no rating".
_NOT_ANSWERED = -2


@functools.lru_cache(maxsize=32)
def _decoders(top: int) -> tuple[dict[int | None, int | None], dict[int | None, bool]]:
    """Each code's level and whether it was moderated, by lookup (a thousand bodies times
    the domains: a dict's ``get`` mapped over them is the cheapest way in Python)."""
    levels: dict[int | None, int | None] = {None: None, _NOT_ANSWERED: None}
    moderated: dict[int | None, bool] = {None: False, _NOT_ANSWERED: False}
    for code in range(2 * top + 2):
        levels[code] = code >> 1
        moderated[code] = code & 1 == 1
    return levels, moderated


@functools.lru_cache(maxsize=32)
def _standings_statement(keys: tuple[str, ...], *, overseen: bool) -> Select[Any]:
    """The query of :func:`standings` for a framework's domain keys, built once: building
    and keying a statement this size for each request cost as much as running it.

    Each body joined to its assessment in each of the two periods and each of those to its
    rating in each domain (matched by key across the framework's versions): a join per
    domain and period rather than GROUP BY over every rating with an aggregate per column,
    which cost a sixth more. One assessment per body, framework key and period is the
    rule (maturity/data/assessments.py), so one row per body; :func:`standings` keeps one
    should bad data break it."""
    versions = select(Framework.id).where(Framework.key == bindparam("framework_key"))

    def assessment(period: BindParameter[str]) -> tuple[Any, ColumnElement[bool]]:
        found = aliased(Assessment)
        return found, and_(
            found.organisation_id == Organisation.id,
            found.period == period,
            found.framework_id.in_(versions),
            found.status.in_(CHARTED),
        )

    def rating(of: Any, key: str) -> tuple[Any, ColumnElement[bool]]:
        found = aliased(Rating)
        domains = (
            select(FrameworkDomain.id)
            .join(Framework, Framework.id == FrameworkDomain.framework_id)
            .where(Framework.key == bindparam("framework_key"), FrameworkDomain.key == key)
        )
        return found, and_(found.assessment_id == of.id, found.domain_id.in_(domains))

    now, now_on = assessment(bindparam("period", type_=String))
    before, before_on = assessment(bindparam("previous", type_=String))
    now_ratings = [rating(now, key) for key in keys]
    before_ratings = [rating(before, key) for key in keys]
    query = select(
        Organisation.id,
        Organisation.name,
        Organisation.slug,
        *[
            case(
                (
                    r.id.is_not(None),  # no rating (no assessment): NULL, not "not answered"
                    func.coalesce(r.moderated_level, r.level, _NOT_ANSWERED // 2) * 2
                    + case((r.moderated_level.is_(None), 0), else_=1),
                )
            )
            for r, _ in now_ratings
        ],
        *[func.coalesce(r.moderated_level, r.level) for r, _ in before_ratings],
    ).select_from(Organisation)
    query = query.outerjoin(now, now_on)
    for joined, on in now_ratings:
        query = query.outerjoin(joined, on)
    query = query.outerjoin(before, before_on)
    for joined, on in before_ratings:
        query = query.outerjoin(joined, on)
    return query.where(Organisation.id.in_(_below(bindparam("root") if overseen else None)))
