"""Guided scoring: from the good-practice criteria an assessor ticks, the level to suggest.

The rule is this service's own, not the NAO's: the NAO's matrix gives a description per
level, and how ticked criteria add up to a level is a choice we made and state on the page
(:data:`RULE`). Pure: no Flask, no database; criteria are named by any hashable id.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

RULE = (
    "The suggested level is the highest level whose criteria are all met, with every "
    "criterion of every level below it met too. A level with no criteria counts as met "
    "when every level below it is, but the suggestion never goes above the highest level "
    "that has criteria."
)
NOT_THE_NAO = (
    "This rule is this service's own, not the National Audit Office's: use your judgement, "
    "and say why if you choose a different level."
)


def is_guided(criteria: Mapping[int, Collection[Hashable]]) -> bool:
    """Whether a domain has any criteria to tick (else it is scored as before)."""
    return any(criteria.values())


def suggest(
    levels: Sequence[int],
    criteria: Mapping[int, Collection[Hashable]],
    ticked: Collection[Hashable],
) -> int | None:
    """The suggested level for one domain (see :data:`RULE`), for ``levels`` in ascending
    order: 0 when the first level's criteria are not all met; None when the domain has no
    criteria at all.

    A framework may give criteria to some levels only (a first level often has none). Such
    a level is not contradicted by anything ticked, so it stands when every level below it
    stands; but nothing can confirm a level above the last one with criteria, so the
    suggestion stops there.
    """
    if not is_guided(criteria):
        return None
    met = set(ticked)
    reached = 0  # the highest level with criteria, all met so far
    unconfirmed = 0  # the highest level without criteria passed since then
    for number in levels:
        needed = criteria.get(number, ())
        if not needed:
            unconfirmed = number
            continue
        if not met.issuperset(needed):
            return max(reached, unconfirmed)
        reached = number
    return reached


def differs(level: int | None, suggested: int | None) -> bool:
    """A chosen level other than the suggestion, which the assessor must explain."""
    return level is not None and suggested is not None and level != suggested
