"""The oversight view as plain values: every overseen body's levels for one period.

Pure (no Flask, no database): the table rows, the distribution of levels per domain, how
many bodies moved up or down since the previous period, and sorting. Every size comes from
the framework's shape (its domains and level names), never from the NAO model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maturity.domain.levels import level_name
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.progress import DomainInfo, Progress

NAME_SORT = "name"
DESCENDING = "-desc"
# Cell colours, lightest (level 0) to darkest (the top level), with a text colour each
# that passes WCAG AA (4.5:1) on it: tests/domain/test_portfolio.py checks every pair.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#f3f2f1", "#0b0c0c"),
    ("#d2e2f1", "#0b0c0c"),
    ("#9cc3e4", "#0b0c0c"),
    ("#5694ca", "#0b0c0c"),
    ("#1d70b8", "#ffffff"),
    ("#003078", "#ffffff"),
)
NO_ASSESSMENT_COLOURS = ("#ffffff", "#0b0c0c")


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    slug: str


@dataclass
class Levels:
    """Judged levels by (body id, period, domain key); ``moderated`` marks the approver's."""

    values: dict[tuple[int, str, str], int | None] = field(default_factory=dict)
    moderated: set[tuple[int, str, str]] = field(default_factory=set)
    ambition: dict[tuple[int, str, str], int | None] = field(default_factory=dict)
    unapproved: set[tuple[int, str]] = field(default_factory=set)

    def add(
        self,
        *,
        body_id: int,
        period: str,
        domain_key: str,
        level: int | None,
        moderated: bool = False,
        ambition: int | None = None,
        approved: bool = True,
    ) -> None:
        self.values[(body_id, period, domain_key)] = level
        self.ambition[(body_id, period, domain_key)] = ambition
        if moderated:
            self.moderated.add((body_id, period, domain_key))
        if not approved:
            self.unapproved.add((body_id, period))

    def progress(
        self, *, body_id: int, title: str, levels: tuple[str, ...], domains: tuple[DomainInfo, ...]
    ) -> Progress:
        """One body's Figure 8 data, as :func:`maturity.data.assessments.progress` gives it,
        from what is already loaded (no query per body)."""
        assessed = self.assessed()
        periods = tuple(p for p in self.periods() if (body_id, p) in assessed)
        return Progress(
            title=title,
            levels=levels,
            domains=domains,
            periods=periods,
            values={
                (p, d.key): self.values.get((body_id, p, d.key)) for p in periods for d in domains
            },
            ambition=(
                {d.key: self.ambition.get((body_id, periods[-1], d.key)) for d in domains}
                if periods
                else {}
            ),
            moderated=frozenset(
                (p, d.key)
                for p in periods
                for d in domains
                if (body_id, p, d.key) in self.moderated
            ),
            unapproved=frozenset(p for p in periods if (body_id, p) in self.unapproved),
        )

    def periods(self) -> tuple[str, ...]:
        """The periods any body has an assessment for, earliest first."""
        return tuple(sorted({period for _, period, _ in self.values}, key=Period.parse))

    def assessed(self) -> set[tuple[int, str]]:
        return {(body_id, period) for body_id, period, _ in self.values}


@dataclass(frozen=True)
class Cell:
    domain_key: str
    level: int | None
    name: str
    moderated: bool
    change: str  # "up", "down", "same" or "" when there is nothing to compare with
    palette_index: int | None  # None: not answered


@dataclass(frozen=True)
class Row:
    body: Body
    cells: tuple[Cell, ...]  # empty: no assessment for the period

    @property
    def assessed(self) -> bool:
        return bool(self.cells)

    def level(self, domain_key: str) -> int | None:
        return next((c.level for c in self.cells if c.domain_key == domain_key), None)


@dataclass(frozen=True)
class Movement:
    domain: DomainInfo
    up: int
    same: int
    down: int


@dataclass(frozen=True)
class Distribution:
    domain: DomainInfo
    counts: tuple[int, ...]  # bodies at level 0, 1, .. N


@dataclass(frozen=True)
class Portfolio:
    period: str | None
    previous_period: str | None
    periods: tuple[str, ...]
    levels: tuple[str, ...]  # level names, lowest first
    domains: tuple[DomainInfo, ...]
    rows: tuple[Row, ...]
    distribution: tuple[Distribution, ...]
    movement: tuple[Movement, ...]
    sort: str

    @property
    def level_numbers(self) -> tuple[int, ...]:
        return tuple(range(len(self.levels) + 1))

    def level_name(self, number: int | None) -> str:
        return level_name(self.levels, number)

    @property
    def unassessed(self) -> int:
        return sum(1 for row in self.rows if not row.assessed)

    @property
    def has_moderation(self) -> bool:
        return any(cell.moderated for row in self.rows for cell in row.cells)


def sort_link(sort: str, column: str) -> str:
    """The ``sort`` a column heading links to when the table is sorted by ``sort``:
    ascending, or descending when it is sorted ascending by that column already."""
    return column + DESCENDING if sort == column else column


def aria_sort(sort: str, column: str) -> str:
    """A column heading's ``aria-sort`` when the table is sorted by ``sort``."""
    if sort == column:
        return "ascending"
    if sort == column + DESCENDING:
        return "descending"
    return "none"


def palette_index(level: int, top_level: int) -> int:
    """Where a level sits on the palette, spread over it whatever the number of levels."""
    if top_level <= 0:
        return 0
    return round(level * (len(PALETTE) - 1) / top_level)


def choose_period(requested: str | None, periods: tuple[str, ...]) -> str | None:
    """The requested period when bodies have assessments for it, else the latest."""
    if requested:
        try:
            label = Period.parse(requested).label
        except InvalidPeriod:
            label = ""
        if label in periods:
            return label
    return periods[-1] if periods else None


def previous_period(chosen: str | None, periods: tuple[str, ...]) -> str | None:
    if chosen is None or chosen not in periods or periods.index(chosen) == 0:
        return None
    return periods[periods.index(chosen) - 1]


def build(
    *,
    bodies: list[Body],
    data: Levels,
    levels: tuple[str, ...],
    domains: tuple[DomainInfo, ...],
    period: str | None = None,
    sort: str | None = None,
    periods: tuple[str, ...] | None = None,
) -> Portfolio:
    """``periods``: every period the bodies have, when ``data`` holds only the chosen one
    and the one before (see :func:`previous_period`); by default, those in ``data``."""
    periods = data.periods() if periods is None else periods
    chosen = choose_period(period, periods)
    previous = previous_period(chosen, periods)
    assessed = data.assessed()
    top = len(levels)
    rows = []
    for body in bodies:
        cells: list[Cell] = []
        if chosen is not None and (body.id, chosen) in assessed:
            for domain in domains:
                key = (body.id, chosen, domain.key)
                level = data.values.get(key)
                before = (
                    data.values.get((body.id, previous, domain.key))
                    if previous and (body.id, previous) in assessed
                    else None
                )
                cells.append(
                    Cell(
                        domain_key=domain.key,
                        level=level,
                        name=level_name(levels, level),
                        moderated=key in data.moderated,
                        change=_change(before, level),
                        palette_index=None if level is None else palette_index(level, top),
                    )
                )
        rows.append(Row(body=body, cells=tuple(cells)))
    chosen_sort = _valid_sort(sort, domains)
    return Portfolio(
        period=chosen,
        previous_period=previous,
        periods=periods,
        levels=levels,
        domains=domains,
        rows=tuple(sort_rows(rows, chosen_sort)),
        distribution=tuple(
            Distribution(
                domain,
                tuple(
                    sum(1 for row in rows if row.assessed and row.level(domain.key) == n)
                    for n in range(top + 1)
                ),
            )
            for domain in domains
        ),
        movement=tuple(_movement(domain, rows) for domain in domains),
        sort=chosen_sort,
    )


def _change(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return ""
    return "up" if after > before else "down" if after < before else "same"


def _movement(domain: DomainInfo, rows: list[Row]) -> Movement:
    changes = [c.change for row in rows for c in row.cells if c.domain_key == domain.key]
    return Movement(domain, changes.count("up"), changes.count("same"), changes.count("down"))


def _valid_sort(sort: str | None, domains: tuple[DomainInfo, ...]) -> str:
    columns = {NAME_SORT} | {d.key for d in domains}
    if sort and sort.removesuffix(DESCENDING) in columns:
        return sort
    return NAME_SORT


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """By body name, or by a domain's level; bodies without a level always come last, and
    ties are broken by name so the order never depends on the database's."""
    column = sort.removesuffix(DESCENDING)
    descending = sort.endswith(DESCENDING)
    by_name = sorted(rows, key=lambda row: (row.body.name.casefold(), row.body.id))
    if column == NAME_SORT:
        return list(reversed(by_name)) if descending else by_name
    with_level = [row for row in by_name if row.level(column) is not None]
    without = [row for row in by_name if row.level(column) is None]
    with_level.sort(key=lambda row: row.level(column) or 0, reverse=descending)
    return with_level + without


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
