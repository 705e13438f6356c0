"""The oversight view's shape: rows, sorting, distribution and moves, from plain data."""

from __future__ import annotations

import pytest

from maturity.domain import portfolio
from maturity.domain.portfolio import (
    PALETTE,
    Body,
    Levels,
    aria_sort,
    contrast_ratio,
    sort_link,
)
from maturity.domain.progress import DomainInfo

LEVELS = ("Existing", "Functioning", "Enabling", "Leading", "Exemplary")
DOMAINS = (DomainInfo("a", "Alpha", "#000000"), DomainInfo("b", "Beta", "#000000"))
ALPHA, BRAVO, CHARLIE = Body(1, "Alpha Body", "alpha"), Body(2, "bravo", "bravo"), Body(3, "C", "c")


def _data(entries: dict[tuple[int, str], tuple[int, int]]) -> Levels:
    data = Levels()
    for (body_id, period), (a, b) in entries.items():
        data.add(body_id=body_id, period=period, domain_key="a", level=a)
        data.add(body_id=body_id, period=period, domain_key="b", level=b, moderated=True)
    return data


def _build(data: Levels, **kwargs: str | None) -> portfolio.Portfolio:
    return portfolio.build(
        bodies=[CHARLIE, ALPHA, BRAVO], data=data, levels=LEVELS, domains=DOMAINS, **kwargs
    )


DATA = {(1, "2017"): (1, 2), (1, "2018"): (2, 2), (2, "2017"): (3, 3), (2, "2018"): (1, 4)}


def test_the_latest_period_is_the_default_and_bodies_without_one_say_so() -> None:
    built = _build(_data(DATA))
    assert built.period == "2018" and built.previous_period == "2017"
    assert built.periods == ("2017", "2018")
    assert [row.body.name for row in built.rows] == ["Alpha Body", "bravo", "C"]
    alpha, _, charlie = built.rows
    assert [(c.level, c.name, c.moderated) for c in alpha.cells] == [
        (2, "Functioning", False),
        (2, "Functioning", True),
    ]
    assert not charlie.assessed and built.unassessed == 1


def test_an_unknown_or_bad_period_falls_back_to_the_latest() -> None:
    assert _build(_data(DATA), period="2017").period == "2017"
    assert _build(_data(DATA), period="1999").period == "2018"
    assert _build(_data(DATA), period="rubbish").period == "2018"
    assert _build(Levels()).period is None


def test_distribution_counts_bodies_per_level_and_domain() -> None:
    built = _build(_data(DATA))
    assert built.distribution[0].counts == (0, 1, 1, 0, 0, 0)
    assert built.distribution[1].counts == (0, 0, 1, 0, 1, 0)


def test_moves_since_the_previous_period() -> None:
    built = _build(_data(DATA))
    alpha, beta = built.movement
    assert (alpha.up, alpha.same, alpha.down) == (1, 0, 1)
    assert (beta.up, beta.same, beta.down) == (1, 1, 0)
    first = _build(_data(DATA), period="2017")
    assert first.previous_period is None
    assert all(m.up == m.same == m.down == 0 for m in first.movement)


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("name", ["Alpha Body", "bravo", "C"]),
        ("name-desc", ["C", "bravo", "Alpha Body"]),
        ("a", ["bravo", "Alpha Body", "C"]),
        ("a-desc", ["Alpha Body", "bravo", "C"]),
        ("b-desc", ["bravo", "Alpha Body", "C"]),
        ("nonsense", ["Alpha Body", "bravo", "C"]),
    ],
)
def test_sorting_keeps_bodies_without_a_level_last(sort: str, names: list[str]) -> None:
    built = _build(_data(DATA), sort=sort)
    assert [row.body.name for row in built.rows] == names


def test_headers_say_how_the_table_is_sorted() -> None:
    built = _build(_data(DATA), sort="a")
    assert aria_sort(built.sort, "a") == "ascending" and sort_link(built.sort, "a") == "a-desc"
    assert aria_sort(built.sort, "name") == "none" and sort_link(built.sort, "name") == "name"
    assert aria_sort(_build(_data(DATA), sort="a-desc").sort, "a") == "descending"


def test_every_palette_colour_has_text_that_passes_aa() -> None:
    for fill, text in PALETTE:
        assert contrast_ratio(text, fill) >= 4.5, (fill, text)


def test_the_palette_spreads_over_any_number_of_levels() -> None:
    assert [portfolio.palette_index(n, 5) for n in range(6)] == [0, 1, 2, 3, 4, 5]
    assert portfolio.palette_index(3, 3) == len(PALETTE) - 1
    assert portfolio.palette_index(0, 9) == 0


def test_a_bodys_progress_comes_from_the_loaded_levels() -> None:
    data = _data(DATA)
    progress = data.progress(body_id=1, title="T", levels=LEVELS, domains=DOMAINS)
    assert progress.periods == ("2017", "2018")
    assert progress.level("2018", "a") == 2
    assert progress.is_moderated("2018", "b")
    assert data.progress(body_id=3, title="T", levels=LEVELS, domains=DOMAINS).periods == ()
