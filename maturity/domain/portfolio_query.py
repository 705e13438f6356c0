"""What a person asks the oversight page for, from its query string: part of a body's name,
a level filter (a domain, a comparison and a level), the sort and the page; checked against
the framework's shape, with a message for each thing that cannot be understood.

Pure (no Flask, no database); :mod:`maturity.domain.portfolio_page` does the asking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from maturity.domain.portfolio import DESCENDING, NAME_SORT
from maturity.domain.progress import DomainInfo
from maturity.domain.whole_numbers import whole_number

CHANGE_SORT = "change"
SEARCH_MAX = 200
# The comparisons a level filter offers, as the query gives them and as the page says them.
COMPARISONS: dict[str, str] = {"at-most": "at most", "exactly": "exactly", "at-least": "at least"}
DEFAULT_COMPARISON = "at-most"


@dataclass(frozen=True)
class Choice:
    """What the person asked for, checked against the framework's shape. A filter with a
    problem is not applied, and ``errors`` says why, by the id of the field at fault."""

    search: str = ""
    domain: str = ""  # the filter's domain key; "" when no level filter
    comparison: str = DEFAULT_COMPARISON
    level: int | None = None
    sort: str = NAME_SORT
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        return bool(self.search) or self.level is not None

    def query(self) -> dict[str, str]:
        """The query string that asks for this choice again (links keep it)."""
        kept = {"q": self.search, "sort": "" if self.sort == NAME_SORT else self.sort}
        if self.level is not None:
            kept |= {"domain": self.domain, "compare": self.comparison, "level": str(self.level)}
        return {name: value for name, value in kept.items() if value}


def sorts(domains: Sequence[DomainInfo]) -> set[str]:
    columns = {NAME_SORT, CHANGE_SORT} | {d.key for d in domains}
    return columns | {column + DESCENDING for column in columns}


def parse_level(text: str, levels: Sequence[str]) -> int | None:
    """A level as a number (0 to the top) or a level's name, any case; None if neither."""
    text = text.strip()
    if (number := whole_number(text)) is not None:
        return number if number <= len(levels) else None
    names = [name.casefold() for name in levels]
    return names.index(text.casefold()) + 1 if text.casefold() in names else None


def choose(
    args: Mapping[str, str], *, domains: Sequence[DomainInfo], levels: Sequence[str]
) -> Choice:
    """The choice from a query string: ``q`` (part of a body's name), ``domain``,
    ``compare`` and ``level`` (the level filter), ``sort`` and ``page``. A sort or page
    that makes no sense falls back quietly (they come from links, not from typing)."""
    errors: dict[str, str] = {}
    search = " ".join(args.get("q", "").split())
    if len(search) > SEARCH_MAX:
        errors["q"] = f"Body name must be {SEARCH_MAX} characters or fewer"
        search = ""
    keys = [d.key for d in domains]
    domain = args.get("domain", "").strip()
    comparison = args.get("compare", "").strip() or DEFAULT_COMPARISON
    level_text = args.get("level", "").strip()
    level = parse_level(level_text, levels) if level_text else None
    if level_text and level is None:
        errors["level"] = f"Select a level from the list: 0 to {len(levels)}, or a level's name"
    if level_text and domain not in keys:
        errors["domain"] = "Select the domain the level is in, from the list"
    if comparison not in COMPARISONS:
        errors["compare"] = "Select at most, exactly or at least"
    if {"level", "domain", "compare"} & errors.keys():
        domain, comparison, level = "", DEFAULT_COMPARISON, None
    elif level is None:
        domain = ""
    sort = args.get("sort", "")
    page = args.get("page", "")
    return Choice(
        search=search,
        domain=domain,
        comparison=comparison,
        level=level,
        sort=sort if sort in sorts(domains) else NAME_SORT,
        page=max(whole_number(page) or 1, 1),
        errors=errors,
    )
