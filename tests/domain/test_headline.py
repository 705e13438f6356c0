"""The headline under the report's figure: always a true sentence about the charted data."""

from __future__ import annotations

import pytest

from maturity.domain.headline import headline, movement
from maturity.domain.progress import DomainInfo, Progress

LEVELS = ("Existing", "Functioning", "Enabling", "Challenging", "Optimising")
DOMAINS = (
    DomainInfo("developing", "Developing a framework", "#12436D"),
    DomainInfo("reporting", "Reporting performance information", "#28A197"),
    DomainInfo("using", "Using the framework", "#801650"),
)


def progress(rows: dict[str, tuple[int | None, ...]], domains=DOMAINS) -> Progress:
    return Progress(
        title="Maturity of performance measurement",
        levels=LEVELS,
        domains=domains,
        periods=tuple(rows),
        values={(p, d.key): row[i] for p, row in rows.items() for i, d in enumerate(domains)},
    )


@pytest.mark.parametrize(
    ("rows", "sentence"),
    [
        (
            {"2014": (1, 1, 1), "2016": (1, 2, 1), "2018": (3, 2, 1)},
            "Home Office's maturity rose in 2 of 3 domains between 2014 and 2018.",
        ),
        (
            {"2014": (1, 1, 1), "2018": (2, 2, 2)},
            "Home Office's maturity rose in all 3 domains between 2014 and 2018.",
        ),
        (
            {"2014": (2, 2, 2), "2015": (4, 4, 4), "2018": (2, 2, 2)},
            "Home Office's maturity stayed the same in all 3 domains between 2014 and 2018.",
        ),
        (
            {"2014": (2, 2, 2), "2018": (3, 1, 1)},
            "Home Office's maturity rose in 1 of 3 domains and fell in 2 between 2014 and 2018.",
        ),
        (
            {"2017-18": (3, 3, 3), "2018-19": (2, 3, 3)},
            "Home Office's maturity fell in 1 of 3 domains between 2017-18 and 2018-19.",
        ),
        (
            {"2014": (0, 1, None), "2018": (1, 1, 2)},
            "Home Office's maturity rose in 1 of 3 domains between 2014 and 2018; "
            "1 was not assessed in both years.",
        ),
        (
            {"2014": (None, None, None), "2018": (1, 1, 2)},
            "Home Office's maturity was assessed in 2 periods between 2014 and 2018.",
        ),
        ({"2018": (3, 2, 2)}, "Home Office's maturity was assessed in 2018."),
        ({}, "Home Office has no submitted assessments yet."),
    ],
)
def test_the_headline_says_what_the_chart_shows(rows, sentence):
    assert headline("Home Office", progress(rows)) == sentence


def test_only_the_first_and_last_periods_are_compared():
    moved = movement(progress({"2014": (1, 3, 2), "2015": (5, 5, 5), "2018": (2, 3, 1)}))
    assert (moved.rose, moved.fell, moved.same) == (1, 1, 1)


def test_a_one_domain_framework_is_not_counted_out_of_one():
    only = (DOMAINS[0],)
    assert (
        headline("NCA", progress({"2014": (1,), "2018": (3,)}, domains=only))
        == "NCA's maturity rose between 2014 and 2018."
    )


def test_the_counts_follow_the_framework_not_a_fixed_three():
    five = tuple(DomainInfo(f"d{i}", f"Domain {i}", "#12436D") for i in range(5))
    rows = {"2014": (1, 1, 1, 1, 1), "2018": (2, 2, 1, 1, 1)}
    assert headline("Body", progress(rows, domains=five)) == (
        "Body's maturity rose in 2 of 5 domains between 2014 and 2018."
    )


@pytest.mark.parametrize(
    ("first", "last", "sentence"),
    [
        ("2019", "2020", "Home Office has no submitted assessments between 2019 and 2020."),
        ("2019", "2019", "Home Office has no submitted assessments in 2019."),
        ("2019", None, "Home Office has no submitted assessments from 2019 on."),
        (None, "2012", "Home Office has no submitted assessments up to 2012."),
        (None, None, "Home Office has no submitted assessments in the chosen periods."),
    ],
)
def test_an_empty_range_is_not_called_no_assessments_yet(first, last, sentence):
    """The body has assessments, just not in the periods chosen: "yet" would be false."""
    said = headline("Home Office", progress({}), first=first, last=last, assessed_outside=True)
    assert said == sentence


def test_a_body_with_no_assessments_anywhere_has_none_yet_whatever_the_range():
    said = headline("Home Office", progress({}), first="2019", last="2020")
    assert said == "Home Office has no submitted assessments yet."
