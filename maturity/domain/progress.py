"""An organisation's levels over the periods, as plain values for the chart, tables and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from maturity.domain.levels import level_name


@dataclass(frozen=True)
class DomainInfo:
    key: str
    name: str
    colour: str


@dataclass(frozen=True)
class Progress:
    """What Figure 8 shows: per period and domain the level reached, plus the ambition.

    ``levels`` are the level names, lowest first (level 1 is ``levels[0]``). A value is
    ``None`` when not answered, ``0`` when not yet at the first level, else 1..len(levels).
    ``moderated`` names the (period, domain key) values an approver set, and ``unapproved``
    the periods submitted but not yet approved: readers must be told both.
    """

    title: str
    levels: tuple[str, ...]
    domains: tuple[DomainInfo, ...]
    periods: tuple[str, ...]
    values: dict[tuple[str, str], int | None] = field(default_factory=dict)
    ambition: dict[str, int | None] = field(default_factory=dict)
    ambition_label: str = "Ambition"
    moderated: frozenset[tuple[str, str]] = frozenset()
    unapproved: frozenset[str] = frozenset()

    def level(self, period: str, domain_key: str) -> int | None:
        return self.values.get((period, domain_key))

    def level_name(self, number: int | None) -> str:
        return level_name(self.levels, number)

    def is_moderated(self, period: str, domain_key: str) -> bool:
        return (period, domain_key) in self.moderated

    def is_approved(self, period: str) -> bool:
        return period in self.periods and period not in self.unapproved

    @property
    def has_ambition(self) -> bool:
        return any(v is not None for v in self.ambition.values())

    @property
    def has_moderation(self) -> bool:
        return bool(self.moderated)


def level_change(before: int | None, after: int | None) -> str:
    """How a level moved from the previous period, in words: "Up 1 level", "Same level"."""
    if before is None or after is None:
        return "Not known"
    steps = after - before
    if steps == 0:
        return "Same level"
    plural = "level" if abs(steps) == 1 else "levels"
    return f"{'Up' if steps > 0 else 'Down'} {abs(steps)} {plural}"
