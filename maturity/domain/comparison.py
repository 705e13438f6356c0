"""Year on year: each domain's change between periods, its gap to the ambition, how long it
has stayed at its level, and two periods side by side.

Pure: no Flask, no database. Everything is driven by the framework's shape in ``Progress``
(its domains and level names), never by a fixed number of domains or levels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from maturity.domain.progress import DomainInfo, Progress


def _levels(count: int) -> str:
    return f"{count} level{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Change:
    """How a level moved from one period to a later one; ``steps`` None when unknown."""

    steps: int | None

    @property
    def symbol(self) -> str:
        if self.steps is None:
            return ""
        return "▲" if self.steps > 0 else "▼" if self.steps < 0 else "="

    @property
    def words(self) -> str:
        """Like "up 2 levels", "same level", "down 1 level"; "not known" without both."""
        if self.steps is None:
            return "not known"
        if self.steps == 0:
            return "same level"
        return f"{'up' if self.steps > 0 else 'down'} {_levels(abs(self.steps))}"

    @property
    def short(self) -> str:
        """The visible mark: "up 2", "same", "down 1"."""
        if self.steps is None:
            return ""
        if self.steps == 0:
            return "same"
        return f"{'up' if self.steps > 0 else 'down'} {abs(self.steps)}"


def change(before: int | None, after: int | None) -> Change:
    if before is None or after is None:
        return Change(None)
    return Change(after - before)


@dataclass(frozen=True)
class Cell:
    period: str
    level: int | None
    name: str
    change: Change  # from the previous period shown; unknown for the first
    first: bool


@dataclass(frozen=True)
class DomainRow:
    domain: DomainInfo
    cells: tuple[Cell, ...]
    gap: str
    periods_at_level: int | None


def gap_to_ambition(level: int | None, ambition: int | None) -> str:
    """Like "2 levels below ambition", "At ambition", "1 level above ambition"."""
    if ambition is None:
        return "No ambition set"
    if level is None:
        return "Not known: latest period not answered"
    distance = ambition - level
    if distance == 0:
        return "At ambition"
    where = "below" if distance > 0 else "above"
    return f"{_levels(abs(distance))} {where} ambition"


def periods_at_level(values: Sequence[int | None]) -> int | None:
    """How many periods, counting back from the last, have had the last period's level.

    ``None`` when the last period was not answered (an unanswered period is unknown, so it
    also ends the count)."""
    if not values or values[-1] is None:
        return None
    current = values[-1]
    count = 0
    for value in reversed(values):
        if value != current:
            break
        count += 1
    return count


def rows(progress: Progress) -> list[DomainRow]:
    """The table under the progress chart: one row per domain, one cell per period."""
    result = []
    for domain in progress.domains:
        values = [progress.level(period, domain.key) for period in progress.periods]
        cells = tuple(
            Cell(
                period=period,
                level=value,
                name=progress.level_name(value),
                change=change(values[i - 1], value) if i else Change(None),
                first=i == 0,
            )
            for i, (period, value) in enumerate(zip(progress.periods, values, strict=True))
        )
        latest = values[-1] if values else None
        result.append(
            DomainRow(
                domain=domain,
                cells=cells,
                gap=gap_to_ambition(latest, progress.ambition.get(domain.key)),
                periods_at_level=periods_at_level(values),
            )
        )
    return result


@dataclass(frozen=True)
class Choice:
    """The periods chosen from a form, or the errors to show beside its fields."""

    first: str | None
    last: str | None
    errors: dict[str, str]


def choose_range(periods: Sequence[str], first: str | None, last: str | None) -> Choice:
    """Validate "from" and "to" against the charted ``periods`` (earliest first).

    Empty means "from the earliest" or "to the latest"."""
    errors: dict[str, str] = {}
    first = (first or "").strip() or None
    last = (last or "").strip() or None
    if first is not None and first not in periods:
        errors["from"] = "Choose a period to start from, from the list"
    if last is not None and last not in periods:
        errors["to"] = "Choose a period to end with, from the list"
    if (
        not errors
        and first is not None
        and last is not None
        and periods.index(first) > periods.index(last)
    ):
        errors["to"] = f"Choose a period to end with that is {first} or later"
    if errors:
        return Choice(None, None, errors)
    return Choice(first, last, errors)


def choose_pair(periods: Sequence[str], a: str | None, b: str | None) -> Choice:
    """Validate two periods to compare: both charted, different, the first the earlier.

    With neither given, the latest two periods are chosen (when there are two)."""
    a = (a or "").strip() or None
    b = (b or "").strip() or None
    if a is None and b is None:
        if len(periods) < 2:
            return Choice(None, None, {})
        return Choice(periods[-2], periods[-1], {})
    errors: dict[str, str] = {}
    if a is None or a not in periods:
        errors["a"] = "Choose the first period to compare, from the list"
    if b is None or b not in periods:
        errors["b"] = "Choose the second period to compare, from the list"
    if not errors and a == b:
        errors["b"] = "Choose two different periods"
    if not errors and a is not None and b is not None and periods.index(a) > periods.index(b):
        errors["b"] = f"Choose a second period later than {a}"
    if errors:
        return Choice(None, None, errors)
    return Choice(a, b, errors)


@dataclass(frozen=True)
class Note:
    """What was written for one domain in one period."""

    evidence: str = ""
    reason_for_change: str = ""


@dataclass(frozen=True)
class Reason:
    period: str
    text: str


@dataclass(frozen=True)
class Compared:
    domain: DomainInfo
    first: int | None
    last: int | None
    first_name: str
    last_name: str
    change: Change
    reasons: tuple[Reason, ...]
    first_evidence: str
    last_evidence: str


def compare(
    progress: Progress,
    first: str,
    last: str,
    notes: Mapping[tuple[str, str], Note],
) -> list[Compared]:
    """Per domain the levels in ``first`` and ``last``, the change, the reasons for change
    recorded in the periods after ``first`` up to ``last``, and both periods' evidence."""
    start, end = progress.periods.index(first), progress.periods.index(last)
    between = progress.periods[start + 1 : end + 1]
    result = []
    for domain in progress.domains:
        before, after = progress.level(first, domain.key), progress.level(last, domain.key)
        reasons = tuple(
            Reason(period, text)
            for period in between
            if (text := notes.get((period, domain.key), Note()).reason_for_change.strip())
        )
        result.append(
            Compared(
                domain=domain,
                first=before,
                last=after,
                first_name=progress.level_name(before),
                last_name=progress.level_name(after),
                change=change(before, after),
                reasons=reasons,
                first_evidence=notes.get((first, domain.key), Note()).evidence,
                last_evidence=notes.get((last, domain.key), Note()).evidence,
            )
        )
    return result
