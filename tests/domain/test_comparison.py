"""Year on year: changes, gaps to the ambition, periods at a level, and two periods compared."""

from __future__ import annotations

import pytest

from maturity.domain import comparison
from maturity.domain.comparison import Change, Note, choose_pair, choose_range
from maturity.domain.progress import DomainInfo, Progress

LEVELS = ("Existing", "Functioning", "Enabling", "Challenging", "Optimising")
DOMAINS = (
    DomainInfo("developing", "Developing a framework", "#12436D"),
    DomainInfo("reporting", "Reporting performance information", "#28A197"),
    DomainInfo("using", "Using the framework", "#801650"),
)


def progress(rows, ambition=None, domains=DOMAINS, levels=LEVELS) -> Progress:  # type: ignore[no-untyped-def]
    return Progress(
        title="Maturity",
        levels=levels,
        domains=domains,
        periods=tuple(rows),
        values={(p, d.key): row[i] for p, row in rows.items() for i, d in enumerate(domains)},
        ambition=ambition or {},
    )


@pytest.mark.parametrize(
    ("before", "after", "symbol", "short", "words"),
    [
        (1, 3, "▲", "up 2", "up 2 levels"),
        (2, 2, "=", "same", "same level"),
        (3, 2, "▼", "down 1", "down 1 level"),
        (None, 2, "", "", "not known"),
        (2, None, "", "", "not known"),
        (0, 1, "▲", "up 1", "up 1 level"),
    ],
)
def test_a_change_is_said_in_words_and_marks(before, after, symbol, short, words):  # type: ignore[no-untyped-def]
    moved = comparison.change(before, after)
    assert (moved.symbol, moved.short, moved.words) == (symbol, short, words)


@pytest.mark.parametrize(
    ("level", "ambition", "gap"),
    [
        (1, 3, "2 levels below ambition"),
        (2, 3, "1 level below ambition"),
        (3, 3, "At ambition"),
        (4, 3, "1 level above ambition"),
        (0, 1, "1 level below ambition"),
        (2, None, "No ambition set"),
        (None, 3, "Not known: latest period not answered"),
    ],
)
def test_the_gap_to_the_ambition(level, ambition, gap):  # type: ignore[no-untyped-def]
    assert comparison.gap_to_ambition(level, ambition) == gap


@pytest.mark.parametrize(
    ("values", "count"),
    [
        ([], None),
        ([1], 1),
        ([1, 2, 2, 2], 3),
        ([2, 2, 1], 1),
        ([2, None, 2], 1),
        ([2, 2, None], None),
        ([0, 0], 2),
    ],
)
def test_periods_at_the_current_level(values, count):  # type: ignore[no-untyped-def]
    assert comparison.periods_at_level(values) == count


def test_rows_mark_each_change_from_the_previous_period():
    rows = comparison.rows(
        progress(
            {"2014": (1, 2, 1), "2015": (3, 2, None), "2016": (2, 2, 1)},
            ambition={"developing": 4, "reporting": 2},
        )
    )
    developing, reporting, using = rows
    assert [c.change for c in developing.cells] == [Change(None), Change(2), Change(-1)]
    assert [c.name for c in developing.cells] == ["Existing", "Enabling", "Functioning"]
    assert developing.cells[0].first and not developing.cells[1].first
    assert developing.gap == "2 levels below ambition"
    assert developing.periods_at_level == 1
    assert reporting.gap == "At ambition"
    assert reporting.periods_at_level == 3
    assert [c.change for c in using.cells] == [Change(None), Change(None), Change(None)]
    assert using.gap == "No ambition set"


def test_rows_follow_the_framework_shape():
    domains = (DomainInfo("only", "The only domain", "#000000"),)
    rows = comparison.rows(
        progress({"2020": (0,), "2021": (7,)}, domains=domains, levels=tuple("ABCDEFG"))
    )
    assert [c.name for c in rows[0].cells] == ["Not yet at A", "G"]
    assert rows[0].cells[1].change.words == "up 7 levels"


def test_rows_with_no_periods():
    rows = comparison.rows(progress({}))
    assert [r.cells for r in rows] == [(), (), ()]
    assert all(r.periods_at_level is None for r in rows)


PERIODS = ("2014", "2015", "2016", "2017-18")


@pytest.mark.parametrize(
    ("first", "last", "chosen", "errors"),
    [
        (None, None, (None, None), {}),
        ("", " ", (None, None), {}),
        ("2015", "2016", ("2015", "2016"), {}),
        ("2016", "2016", ("2016", "2016"), {}),
        ("2016", None, ("2016", None), {}),
        ("2013", None, (None, None), {"from": "Choose a period to start from, from the list"}),
        (
            "x" * 500,
            "<script>",
            (None, None),
            {
                "from": "Choose a period to start from, from the list",
                "to": "Choose a period to end with, from the list",
            },
        ),
        ("2016", "2015", (None, None), {"to": "Choose a period to end with that is 2016 or later"}),
    ],
)
def test_choosing_a_range(first, last, chosen, errors):  # type: ignore[no-untyped-def]
    choice = choose_range(PERIODS, first, last)
    assert (choice.first, choice.last) == chosen
    assert choice.errors == errors


@pytest.mark.parametrize(
    ("a", "b", "chosen", "errors"),
    [
        (None, None, ("2016", "2017-18"), {}),
        ("2014", "2016", ("2014", "2016"), {}),
        ("2016", "2016", (None, None), {"b": "Choose two different periods"}),
        ("2016", "2014", (None, None), {"b": "Choose a second period later than 2016"}),
        ("1999", "2014", (None, None), {"a": "Choose the first period to compare, from the list"}),
        ("2014", None, (None, None), {"b": "Choose the second period to compare, from the list"}),
    ],
)
def test_choosing_two_periods(a, b, chosen, errors):  # type: ignore[no-untyped-def]
    choice = choose_pair(PERIODS, a, b)
    assert (choice.first, choice.last) == chosen
    assert choice.errors == errors


def test_two_periods_need_two_periods():
    assert choose_pair(("2014",), None, None) == comparison.Choice(None, None, {})


def test_comparing_two_periods_gathers_the_reasons_in_between():
    data = progress({"2014": (1, 2, 1), "2015": (2, 2, 1), "2016": (3, 1, None)})
    notes = {
        ("2014", "developing"): Note("Early evidence", "Ignored: before the first period"),
        ("2015", "developing"): Note("", "We built a framework"),
        ("2016", "developing"): Note("Later evidence", "We used it\nwidely"),
        ("2016", "reporting"): Note("", "   "),
    }
    developing, reporting, using = comparison.compare(data, "2014", "2016", notes)
    assert (developing.first_name, developing.last_name) == ("Existing", "Enabling")
    assert developing.change == Change(2)
    assert [(r.period, r.text) for r in developing.reasons] == [
        ("2015", "We built a framework"),
        ("2016", "We used it\nwidely"),
    ]
    assert (developing.first_evidence, developing.last_evidence) == (
        "Early evidence",
        "Later evidence",
    )
    assert reporting.change == Change(-1) and reporting.reasons == ()
    assert using.change == Change(None) and using.last_name == "Not answered"
