"""What changed in a framework's words between two of its versions.

Periods assessed on different versions of one framework are compared domain by domain,
matched by key (a domain's key outlives its name). Where a domain's name, a level's name
or a descriptor differs between the versions of two periods shown side by side, the pages
say so, because "the same level" may then mean different words. Pure: no Flask, no
database.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Words:
    """One framework version's words: domain names by key, level names lowest first, and
    descriptors by (domain key, level number)."""

    version: int
    domains: Mapping[str, str]
    levels: tuple[str, ...]
    descriptors: Mapping[tuple[str, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class WordingChange:
    """The words that differ between the versions used in two periods."""

    before_period: str
    after_period: str
    before_version: int
    after_version: int
    sentences: tuple[str, ...]

    @property
    def heading(self) -> str:
        return (
            f"The framework's wording changed between {self.before_period} "
            f"(version {self.before_version}) and {self.after_period} "
            f"(version {self.after_version})"
        )


def differences(before: Words, after: Words) -> tuple[str, ...]:
    """Each difference in words, as a sentence, in the order of the matrix."""
    found: list[str] = []
    for key, name in before.domains.items():
        if key not in after.domains:
            found.append(f"The domain '{name}' is not in version {after.version}")
        elif after.domains[key] != name:
            found.append(f"The domain '{name}' is now called '{after.domains[key]}'")
    for key, name in after.domains.items():
        if key not in before.domains:
            found.append(f"The domain '{name}' is new in version {after.version}")
    for number, (old, new) in enumerate(zip(before.levels, after.levels, strict=False), 1):
        if old != new:
            found.append(f"Level {number} '{old}' is now called '{new}'")
    if len(before.levels) != len(after.levels):
        found.append(
            f"Version {before.version} has {len(before.levels)} levels; "
            f"version {after.version} has {len(after.levels)}"
        )
    for key, name in after.domains.items():
        for number, level in enumerate(after.levels, 1):
            old_text = before.descriptors.get((key, number))
            new_text = after.descriptors.get((key, number))
            if old_text is not None and new_text is not None and old_text != new_text:
                found.append(f"The description of '{name}' at level {number} ('{level}') changed")
    return tuple(found)


def between(
    before_period: str, before: Words, after_period: str, after: Words
) -> WordingChange | None:
    """The change of words from one period's version to a later period's, if any."""
    if before.version == after.version:
        return None
    sentences = differences(before, after)
    if not sentences:
        return None
    return WordingChange(before_period, after_period, before.version, after.version, sentences)


def along(periods: Sequence[tuple[str, Words]]) -> list[WordingChange]:
    """Every change of words from one shown period to the next (periods earliest first)."""
    return [
        change
        for (first, old), (second, new) in itertools.pairwise(periods)
        if (change := between(first, old, second, new)) is not None
    ]
