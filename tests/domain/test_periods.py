import pytest
from hypothesis import given
from hypothesis import strategies as st

from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.slugs import slugify


@pytest.mark.parametrize(
    ("text", "label", "financial"),
    [("2018", "2018", False), (" 2018-19 ", "2018-19", True), ("1999-00", "1999-00", True)],
)
def test_calendar_and_financial_years_are_read(text, label, financial):
    period = Period.parse(text)
    assert period.label == label
    assert period.financial is financial


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-20", "the second year must follow the first, like 2018-19"),
        ("18", "Enter a period as a calendar year, like 2018, or a financial year"),
        ("2018/19", "Enter a period as a calendar year"),
        ("", "Enter a period as a calendar year"),
        ("1066", "Enter a year between"),
    ],
)
def test_anything_else_is_refused_with_a_message(text, message):
    with pytest.raises(InvalidPeriod, match=message):
        Period.parse(text)


def test_periods_sort_by_year_calendar_before_financial():
    labels = ["2019", "2018-19", "2017", "2018"]
    assert [str(p) for p in sorted(map(Period.parse, labels))] == [
        "2017",
        "2018",
        "2018-19",
        "2019",
    ]


@given(st.integers(min_value=1990, max_value=2100), st.booleans())
def test_a_label_reads_back_as_the_same_period(year, financial):
    period = Period(year, financial)
    assert Period.parse(period.label) == period


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Home Office & NCA", "home-office-nca"), ("  HM Treasury ", "hm-treasury"), ("A--B", "a-b")],
)
def test_slugs_follow_the_product_rule(name, slug):
    assert slugify(name) == slug
