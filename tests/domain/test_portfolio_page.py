"""The oversight page for many bodies, from plain values: what a person asks for (search,
level filter, sort, page: maturity/domain/portfolio_query.py), what they get, and the
summary of every body (maturity/domain/portfolio_page.py)."""

from __future__ import annotations

import pytest

from maturity.domain import portfolio_page as listing
from maturity.domain import portfolio_query as query
from maturity.domain.portfolio_page import Standing
from maturity.domain.progress import DomainInfo

LEVELS = ("Existing", "Functioning", "Enabling", "Challenging", "Optimising")
DOMAINS = (DomainInfo("a", "Alpha", "#000000"), DomainInfo("b", "Beta", "#000000"))
KEYS = ["a", "b"]

ALPHA = Standing(1, "Alpha Body", "alpha-body", True, (2, 4), (False, True), (1, 4))
BRAVO = Standing(2, "bravo", "bravo", True, (0, None), (False, False), (3, 1))
CHARLIE = Standing(3, "Charlie", "charlie", False, (None, None), (False, False), (2, 2))
DELTA = Standing(4, "delta agency", "delta-agency", True, (5, 1), (False, False), (None, None))
EVERY = [CHARLIE, DELTA, ALPHA, BRAVO]


def _choose(**args: str) -> query.Choice:
    return query.choose(args, domains=DOMAINS, levels=LEVELS)


def _names(standings: list[Standing]) -> list[str]:
    return [s.name for s in standings]


def test_nothing_asked_is_every_body_by_name_on_page_one() -> None:
    choice = _choose()
    assert choice == query.Choice()
    assert not choice.filtered and choice.query() == {}
    assert _names(listing.ordered(listing.matching(EVERY, choice, KEYS), choice.sort, KEYS)) == [
        "Alpha Body",
        "bravo",
        "Charlie",
        "delta agency",
    ]


def test_the_search_is_part_of_the_name_in_any_case() -> None:
    choice = _choose(q="  AGENCY ")
    assert choice.search == "AGENCY" and choice.query() == {"q": "AGENCY"}
    assert _names(listing.matching(EVERY, choice, KEYS)) == ["delta agency"]
    assert _names(listing.matching(EVERY, _choose(q="body  "), KEYS)) == ["Alpha Body"]


@pytest.mark.parametrize(
    ("compare", "level", "names"),
    [
        ("at-most", "2", ["Alpha Body", "bravo"]),
        ("exactly", "2", ["Alpha Body"]),
        ("at-least", "2", ["delta agency", "Alpha Body"]),
        ("at-least", "FUNCTIONING", ["delta agency", "Alpha Body"]),  # a name, any case
        ("at-most", "0", ["bravo"]),
    ],
)
def test_the_level_filter_leaves_out_bodies_without_that_level(
    compare: str, level: str, names: list[str]
) -> None:
    choice = _choose(domain="a", compare=compare, level=level)
    assert not choice.errors and choice.filtered
    assert choice.query() == {"domain": "a", "compare": compare, "level": str(choice.level)}
    assert _names(listing.matching(EVERY, choice, KEYS)) == names


def test_search_and_filter_together() -> None:
    choice = _choose(q="a", domain="a", compare="at-least", level="3")
    assert _names(listing.matching(EVERY, choice, KEYS)) == ["delta agency"]


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"domain": "a", "level": "6"}, "level", "Select a level from the list: 0 to 5"),
        ({"domain": "a", "level": "Enablingx"}, "level", "Select a level from the list"),
        ({"domain": "a", "level": "-1"}, "level", "Select a level from the list"),
        # Digits to str.isdigit() that int() does not read, and more digits than a level has.
        ({"domain": "a", "level": "²"}, "level", "Select a level from the list"),
        ({"domain": "a", "level": "9" * 5000}, "level", "Select a level from the list"),
        ({"domain": "nonsense", "level": "2"}, "domain", "Select the domain the level is in"),
        ({"level": "2"}, "domain", "Select the domain the level is in"),
        ({"domain": "a", "compare": "below", "level": "2"}, "compare", "Select at most, exactly"),
        ({"q": "x" * 201}, "q", "Body name must be 200 characters or fewer"),
    ],
)
def test_bad_input_says_what_is_wrong_and_is_not_applied(
    args: dict[str, str], field: str, message: str
) -> None:
    choice = _choose(**args)
    assert choice.errors[field].startswith(message)
    assert choice.level is None and choice.search == "" and choice.query() == {}


def test_a_domain_without_a_level_is_no_filter() -> None:
    choice = _choose(domain="b", compare="exactly", level="")
    assert not choice.errors and not choice.filtered and choice.query() == {}


@pytest.mark.parametrize(
    ("page", "expected"),
    [("", 1), ("2", 2), ("0", 1), ("-3", 1), ("two", 1), ("1.5", 1), ("²", 1), ("9" * 5000, 1)],
)
def test_a_page_that_makes_no_sense_is_the_first(page: str, expected: int) -> None:
    choice = _choose(page=page)
    assert choice.page == expected and not choice.errors


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("name", ["Alpha Body", "bravo", "Charlie", "delta agency"]),
        ("name-desc", ["delta agency", "Charlie", "bravo", "Alpha Body"]),
        ("a", ["bravo", "Alpha Body", "delta agency", "Charlie"]),
        ("a-desc", ["delta agency", "Alpha Body", "bravo", "Charlie"]),
        ("b", ["delta agency", "Alpha Body", "bravo", "Charlie"]),
        # Net change: Alpha +1 (a) +0 (b), bravo -3 (a only); Charlie and delta none.
        ("change", ["bravo", "Alpha Body", "Charlie", "delta agency"]),
        ("change-desc", ["Alpha Body", "bravo", "Charlie", "delta agency"]),
        ("nonsense", ["Alpha Body", "bravo", "Charlie", "delta agency"]),
    ],
)
def test_sorting_keeps_bodies_without_a_value_last(sort: str, names: list[str]) -> None:
    choice = _choose(sort=sort)
    assert _names(listing.ordered(EVERY, choice.sort, KEYS)) == names


def test_the_change_is_levels_up_less_levels_down_where_both_are_known() -> None:
    assert ALPHA.change == 1
    assert BRAVO.change == -3
    assert DELTA.change is None  # nothing to compare with
    assert Standing(5, "E", "e", True, (3, 1), (False, False), (1, 3)).change == 0


def test_the_summary_counts_every_body_whatever_is_shown() -> None:
    summary = listing.summarise(EVERY, domains=DOMAINS, top=len(LEVELS))
    assert summary.bodies == 4 and summary.unassessed == 1
    assert [d.counts for d in summary.distribution] == [(1, 0, 1, 0, 0, 1), (0, 1, 0, 0, 1, 0)]
    assert [(m.up, m.same, m.down) for m in summary.movement] == [(1, 0, 1), (0, 1, 0)]
    page = _page(EVERY, _choose(q="zzz"))
    assert page.matching == 0 and page.rows == () and page.summary == summary


def test_no_bodies_at_all() -> None:
    summary = listing.summarise([], domains=DOMAINS, top=len(LEVELS))
    assert summary.bodies == 0 and [d.counts for d in summary.distribution] == [(0,) * 6] * 2


def _page(standings: list[Standing], choice: query.Choice) -> listing.PortfolioPage:
    return listing.build_page(
        standings,
        choice=choice,
        domains=DOMAINS,
        levels=LEVELS,
        period="2018",
        previous_period="2017",
        periods=("2017", "2018"),
    )


def _many(count: int) -> list[Standing]:
    return [
        Standing(n, f"Body {n:03d}", f"body-{n:03d}", True, (n % 6, 1), (False, False), (1, 1))
        for n in range(count)
    ]


def test_pages_of_fifty_and_the_last_page_when_asked_past_it() -> None:
    bodies = _many(120)
    first = _page(bodies, _choose())
    assert (first.page, first.pages, first.matching) == (1, 3, 120)
    assert (first.first_shown, first.last_shown) == (1, 50)
    assert first.rows[0].body.name == "Body 000" and len(first.rows) == 50
    third = _page(bodies, _choose(page="3"))
    assert [r.body.name for r in third.rows][:2] == ["Body 100", "Body 101"]
    assert (third.first_shown, third.last_shown) == (101, 120)
    assert _page(bodies, _choose(page="99")).page == 3
    assert first.summary == third.summary


def test_pagination_links_the_ends_and_the_neighbours() -> None:
    bodies = _many(50 * 9)
    assert _page(bodies, _choose(page="1")).pagination() == [1, 2, None, 9]
    assert _page(bodies, _choose(page="5")).pagination() == [1, None, 4, 5, 6, None, 9]
    assert _page(bodies, _choose(page="9")).pagination() == [1, None, 8, 9]
    assert _page(_many(3), _choose()).pagination() == [1]


def test_rows_shown_carry_names_changes_and_moderation() -> None:
    page = _page(EVERY, _choose())
    alpha, bravo, charlie, delta = page.rows
    assert [(c.name, c.change, c.moderated) for c in alpha.cells] == [
        ("Functioning", "up", False),
        ("Challenging", "same", True),
    ]
    assert [c.name for c in bravo.cells] == ["Not yet at Existing", "Not answered"]
    assert not charlie.assessed
    assert page.changes == (1, -3, None, None)
    assert delta.body.slug == "delta-agency"


def test_the_form_offers_the_frameworks_shape() -> None:
    seven = tuple(f"Level {n}" for n in range(1, 8))
    many = tuple(DomainInfo(f"d{n}", f"Domain {n}", "#000000") for n in range(6))
    page = listing.build_page(
        [],
        choice=query.choose({"domain": "d5", "level": "7"}, domains=many, levels=seven),
        domains=many,
        levels=seven,
        period=None,
        previous_period=None,
        periods=(),
    )
    assert page.level_options[:2] == [("", "Any level"), ("7", "Level 7 (7)")]
    assert page.level_options[-1] == ("0", "Not yet at Level 1")
    assert len(page.domain_options) == 6 and page.choice.level == 7
    assert query.choose({"domain": "d5", "level": "8"}, domains=many, levels=seven).errors


def test_downloads_have_every_body_by_name() -> None:
    portfolio = listing.portfolio(
        EVERY,
        domains=DOMAINS,
        levels=LEVELS,
        period="2018",
        previous_period="2017",
        periods=("2017", "2018"),
    )
    assert [row.body.name for row in portfolio.rows] == [
        "Alpha Body",
        "bravo",
        "Charlie",
        "delta agency",
    ]
    assert portfolio.unassessed == 1
