"""The suggested level from ticked criteria: unit examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from maturity.domain.guided import differs, is_guided, suggest

# Level n has criteria "n.a" and "n.b": four levels, as a framework other than the NAO's.
LEVELS = [1, 2, 3, 4]
CRITERIA = {n: {f"{n}.a", f"{n}.b"} for n in LEVELS}


def test_all_criteria_of_the_first_two_levels_suggest_the_second() -> None:
    assert suggest(LEVELS, CRITERIA, {"1.a", "1.b", "2.a", "2.b", "3.a"}) == 2


def test_a_gap_below_stops_the_suggestion_however_much_is_ticked_above() -> None:
    ticked = {"1.a", "1.b", "2.a", "3.a", "3.b", "4.a", "4.b"}
    assert suggest(LEVELS, CRITERIA, ticked) == 1


def test_nothing_ticked_suggests_not_yet_at_the_first_level() -> None:
    assert suggest(LEVELS, CRITERIA, set()) == 0


def test_everything_ticked_suggests_the_top_level() -> None:
    assert suggest(LEVELS, CRITERIA, set().union(*CRITERIA.values())) == 4


def test_a_level_without_criteria_stands_when_the_levels_around_it_do() -> None:
    criteria = {1: {"1.a"}, 2: set(), 3: {"3.a"}}
    assert suggest([1, 2, 3], criteria, {"1.a", "3.a"}) == 3
    assert suggest([1, 2, 3], criteria, {"1.a"}) == 2
    assert suggest([1, 2, 3], criteria, {"3.a"}) == 0


def test_a_first_level_without_criteria_is_suggested_when_the_next_is_not_met() -> None:
    # As in the example framework in docs/: nothing to tick for the first level.
    criteria = {2: {"2.a", "2.b"}, 3: {"3.a"}}
    assert suggest([1, 2, 3, 4], criteria, set()) == 1
    assert suggest([1, 2, 3, 4], criteria, {"2.a", "2.b"}) == 2


def test_no_level_above_the_last_with_criteria_is_suggested() -> None:
    criteria = {1: {"1.a"}, 2: {"2.a"}}
    assert suggest([1, 2, 3, 4], criteria, {"1.a", "2.a"}) == 2


def test_a_domain_without_criteria_has_no_suggestion() -> None:
    assert not is_guided({1: set(), 2: set()})
    assert suggest([1, 2], {1: set(), 2: set()}, set()) is None


def test_a_different_level_differs_only_when_both_are_known() -> None:
    assert differs(3, 2)
    assert not differs(2, 2)
    assert not differs(None, 2)
    assert not differs(2, None)
    assert differs(0, 1)


shapes = st.integers(min_value=1, max_value=7).flatmap(
    lambda levels: st.tuples(
        st.just(list(range(1, levels + 1))),
        st.dictionaries(
            st.integers(min_value=1, max_value=levels),
            st.frozensets(st.integers(min_value=0, max_value=30), min_size=1, max_size=4),
        ),
        st.frozensets(st.integers(min_value=0, max_value=30)),
    )
)


@given(shapes)
def test_every_level_up_to_the_suggestion_is_fully_met(shape) -> None:  # type: ignore[no-untyped-def]
    levels, criteria, ticked = shape
    suggested = suggest(levels, criteria, ticked)
    if not any(criteria.values()):
        assert suggested is None
        return
    assert suggested is not None
    with_criteria = [n for n in levels if criteria.get(n)]
    # Every criterion up to the suggestion is met...
    for number in range(1, suggested + 1):
        assert criteria.get(number, frozenset()) <= ticked
    # ...it is never above the highest level anything can confirm...
    assert suggested <= max(with_criteria)
    # ...and the first level above it with criteria has one unticked.
    above = [n for n in with_criteria if n > suggested]
    if above:
        assert not criteria[above[0]] <= ticked
        # Levels with nothing to tick below that one stand.
        assert suggested == above[0] - 1


@given(shapes, st.frozensets(st.integers(min_value=0, max_value=30)))
def test_ticking_more_never_lowers_the_suggestion(shape, more) -> None:  # type: ignore[no-untyped-def]
    levels, criteria, ticked = shape
    before = suggest(levels, criteria, ticked)
    after = suggest(levels, criteria, ticked | more)
    assert before is None or (after is not None and after >= before)
