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
    """

    title: str
    levels: tuple[str, ...]
    domains: tuple[DomainInfo, ...]
    periods: tuple[str, ...]
    values: dict[tuple[str, str], int | None] = field(default_factory=dict)
    ambition: dict[str, int | None] = field(default_factory=dict)
    ambition_label: str = "Ambition"

    def level(self, period: str, domain_key: str) -> int | None:
        return self.values.get((period, domain_key))

    def level_name(self, number: int | None) -> str:
        return level_name(self.levels, number)

    @property
    def has_ambition(self) -> bool:
        return any(v is not None for v in self.ambition.values())
