"""The oversight page for many bodies: find, filter, sort and page through them, with a
summary of every body that does not change as the person pages.

Pure (no Flask, no database). The data layer gives one lean :class:`Standing` per body
(its levels for the chosen period and the one before); everything here works on those,
and only the page of rows shown becomes :class:`~maturity.domain.portfolio.Row` objects.
Sizes come from the framework's shape (its domains and level names), never the NAO's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from maturity.domain.levels import level_name
from maturity.domain.portfolio import (
    DESCENDING,
    NAME_SORT,
    Body,
    Cell,
    Distribution,
    Movement,
    Portfolio,
    Row,
    aria_sort,
    palette_index,
    sort_link,
)
from maturity.domain.portfolio_query import CHANGE_SORT, Choice
from maturity.domain.progress import DomainInfo

PER_PAGE = 50


class Standing(NamedTuple):
    """One body's judged levels (moderated where set), one per domain in the framework's
    order: for the chosen period and for the one before. A NamedTuple, not a dataclass:
    a department has a thousand of these per request and they must stay cheap."""

    id: int
    name: str
    slug: str
    assessed: bool  # has a submitted or approved assessment for the chosen period
    levels: tuple[int | None, ...]  # None: not answered, or not assessed
    moderated: tuple[bool, ...]
    before: tuple[int | None, ...]  # None: not assessed, or not answered, in the one before

    @property
    def change(self) -> int | None:
        """Levels moved up less levels moved down since the period before, over the
        domains rated in both; None when no domain can be compared."""
        total = None
        for now, before in zip(self.levels, self.before, strict=True):
            if now is not None and before is not None:
                total = (total or 0) + now - before
        return total


def matching(standings: Sequence[Standing], choice: Choice, keys: Sequence[str]) -> list[Standing]:
    """The bodies whose name holds the search (any case) and whose level in the filter's
    domain compares as asked; a level filter leaves out bodies without that level."""
    found = list(standings)
    if choice.search:
        needle = choice.search.casefold()
        found = [s for s in found if needle in s.name.casefold()]
    if choice.level is not None:
        index, wanted = keys.index(choice.domain), choice.level
        if choice.comparison == "at-most":
            found = [s for s in found if (v := s.levels[index]) is not None and v <= wanted]
        elif choice.comparison == "at-least":
            found = [s for s in found if (v := s.levels[index]) is not None and v >= wanted]
        else:
            found = [s for s in found if s.levels[index] == wanted]
    return found


def ordered(standings: Sequence[Standing], sort: str, keys: Sequence[str]) -> list[Standing]:
    """By name (any case), by a domain's level or by the change since the period before.
    Bodies without a value always come last and ties go by name, so the order never
    depends on the database's (as :func:`maturity.domain.portfolio.sort_rows`)."""
    column = sort.removesuffix(DESCENDING)
    descending = sort.endswith(DESCENDING)
    by_name = sorted(standings, key=lambda s: (s.name.casefold(), s.id))
    if column == NAME_SORT:
        return by_name[::-1] if descending else by_name
    if column == CHANGE_SORT:
        values = {s.id: s.change for s in by_name}
    else:
        index = keys.index(column)
        values = {s.id: s.levels[index] for s in by_name}
    with_value = [s for s in by_name if values[s.id] is not None]
    without = [s for s in by_name if values[s.id] is None]
    with_value.sort(key=lambda s: values[s.id] or 0, reverse=descending)
    return with_value + without


@dataclass(frozen=True)
class Summary:
    """Every body, whatever the search, filter or page: how many, how many without an
    assessment for the period, how many at each level and how many moved, per domain."""

    bodies: int
    unassessed: int
    distribution: tuple[Distribution, ...]
    movement: tuple[Movement, ...]


def summarise(standings: Sequence[Standing], *, domains: Sequence[DomainInfo], top: int) -> Summary:
    """Column by column (a domain's levels of every body at once), which keeps the work
    per body small: this runs over every body on every page."""
    assessed = [s for s in standings if s.assessed]
    nows = list(zip(*(s.levels for s in assessed), strict=True)) or [() for _ in domains]
    befores = list(zip(*(s.before for s in assessed), strict=True)) or [() for _ in domains]
    distribution, movement = [], []
    for domain, now, before in zip(domains, nows, befores, strict=True):
        at = Counter(now)
        distribution.append(Distribution(domain, tuple(at[n] for n in range(top + 1))))
        moved = Counter(
            (a > b) - (a < b)
            for a, b in zip(now, before, strict=True)
            if a is not None and b is not None
        )
        movement.append(Movement(domain, up=moved[1], same=moved[0], down=moved[-1]))
    return Summary(
        bodies=len(standings),
        unassessed=len(standings) - len(assessed),
        distribution=tuple(distribution),
        movement=tuple(movement),
    )


def row(standing: Standing, *, domains: Sequence[DomainInfo], levels: Sequence[str]) -> Row:
    """One body as the table shows it (and the CSV and XLSX downloads write it)."""
    top = len(levels)
    cells = (
        tuple(
            Cell(
                domain_key=domain.key,
                level=level,
                name=level_name(levels, level),
                moderated=moderated,
                change=_change(before, level),
                palette_index=None if level is None else palette_index(level, top),
            )
            for domain, level, moderated, before in zip(
                domains, standing.levels, standing.moderated, standing.before, strict=True
            )
        )
        if standing.assessed
        else ()
    )
    return Row(body=Body(id=standing.id, name=standing.name, slug=standing.slug), cells=cells)


def _change(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return ""
    return "up" if after > before else "down" if after < before else "same"


@dataclass(frozen=True)
class PortfolioPage:
    """What the oversight page shows: one page of the bodies found, in order, and the
    summary of them all. Its names match :class:`~maturity.domain.portfolio.Portfolio`'s
    where they mean the same, so the summary tables are one template for both."""

    period: str | None
    previous_period: str | None
    periods: tuple[str, ...]
    levels: tuple[str, ...]
    domains: tuple[DomainInfo, ...]
    choice: Choice
    summary: Summary
    matching: int  # bodies that match the search and filter, on every page
    page: int
    pages: int
    rows: tuple[Row, ...]  # this page's
    changes: tuple[int | None, ...]  # each row's net change since the period before

    @property
    def sort(self) -> str:
        return self.choice.sort

    @property
    def distribution(self) -> tuple[Distribution, ...]:
        return self.summary.distribution

    @property
    def movement(self) -> tuple[Movement, ...]:
        return self.summary.movement

    @property
    def unassessed(self) -> int:
        return self.summary.unassessed

    @property
    def level_numbers(self) -> tuple[int, ...]:
        return tuple(range(len(self.levels) + 1))

    def level_name(self, number: int | None) -> str:
        return level_name(self.levels, number)

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.matching else 0

    @property
    def last_shown(self) -> int:
        return min(self.matching, self.page * PER_PAGE)

    def sort_key(self, column: str) -> str:
        return sort_link(self.sort, column)

    def aria_sort(self, column: str) -> str:
        return aria_sort(self.sort, column)

    # The form's choices, as (value, text) pairs.
    @property
    def period_options(self) -> list[tuple[str, str]]:
        return [(p, p) for p in reversed(self.periods)]

    @property
    def domain_options(self) -> list[tuple[str, str]]:
        return [(d.key, d.name) for d in self.domains]

    @property
    def level_options(self) -> list[tuple[str, str]]:
        """Any level, then the top level down to 0, each named with its number."""
        return [("", "Any level")] + [
            (str(n), self.level_name(n) + (f" ({n})" if n else ""))
            for n in reversed(self.level_numbers)
        ]

    def domain_name(self, key: str) -> str:
        return next((d.name for d in self.domains if d.key == key), key)

    def pagination(self) -> list[int | None]:
        """The page numbers to link to: the first, the last, and those next to this one;
        None where numbers are left out (an ellipsis)."""
        numbers: list[int | None] = []
        for number in range(1, self.pages + 1):
            if number in (1, self.pages) or abs(number - self.page) <= 1:
                numbers.append(number)
            elif numbers and numbers[-1] is not None:
                numbers.append(None)
        return numbers


def build_page(
    standings: Sequence[Standing],
    *,
    choice: Choice,
    domains: tuple[DomainInfo, ...],
    levels: tuple[str, ...],
    period: str | None,
    previous_period: str | None,
    periods: tuple[str, ...],
) -> PortfolioPage:
    """The page: the summary of every body, then the bodies found, sorted, and the page of
    them asked for (the last page when asked for one past it)."""
    keys = [d.key for d in domains]
    found = ordered(matching(standings, choice, keys), choice.sort, keys)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    number = min(choice.page, pages)
    shown = found[(number - 1) * PER_PAGE : number * PER_PAGE]
    return PortfolioPage(
        period=period,
        previous_period=previous_period,
        periods=periods,
        levels=levels,
        domains=domains,
        choice=choice,
        summary=summarise(standings, domains=domains, top=len(levels)),
        matching=len(found),
        page=number,
        pages=pages,
        rows=tuple(row(s, domains=domains, levels=levels) for s in shown),
        changes=tuple(s.change for s in shown),
    )


def portfolio(
    standings: Sequence[Standing],
    *,
    domains: tuple[DomainInfo, ...],
    levels: tuple[str, ...],
    period: str | None,
    previous_period: str | None,
    periods: tuple[str, ...],
) -> Portfolio:
    """Every body, by name, as the CSV and XLSX downloads write them: whatever the page's
    search, filter or page, a download has them all."""
    keys = [d.key for d in domains]
    summary = summarise(standings, domains=domains, top=len(levels))
    return Portfolio(
        period=period,
        previous_period=previous_period,
        periods=periods,
        levels=levels,
        domains=domains,
        rows=tuple(
            row(s, domains=domains, levels=levels) for s in ordered(standings, NAME_SORT, keys)
        ),
        distribution=summary.distribution,
        movement=summary.movement,
        sort=NAME_SORT,
    )
