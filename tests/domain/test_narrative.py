"""The plain-English summary: one sentence per domain, true for every data set."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity.domain.narrative import facts, summary
from maturity.domain.progress import DomainInfo, Progress

LEVELS = ("Existing", "Functioning", "Enabling", "Challenging", "Optimising")
DOMAINS = (
    DomainInfo("developing", "Developing a framework", "#12436D"),
    DomainInfo("reporting", "Reporting performance information", "#28A197"),
    DomainInfo("using", "Using the framework", "#801650"),
)


def progress(rows, domains=DOMAINS, levels=LEVELS) -> Progress:  # type: ignore[no-untyped-def]
    return Progress(
        title="Maturity",
        levels=levels,
        domains=domains,
        periods=tuple(rows),
        values={(p, d.key): row[i] for p, row in rows.items() for i, d in enumerate(domains)},
    )


def test_the_example_from_the_brief():
    data = progress({"2014": (1, 1, 1), "2015": (2, 1, 1), "2016": (2, 2, 1), "2017": (3, 3, 1)})
    assert summary(data) == [
        "Developing a framework rose from Functioning to Enabling between 2016 and 2017.",
        "Reporting performance information rose from Functioning to Enabling "
        "between 2016 and 2017.",
        "Using the framework has been at Existing since 2014.",
    ]


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ((3, 1), "D fell from Enabling to Existing between 2014 and 2015."),
        ((1, 3, 3), "D has been at Enabling since 2015."),
        ((2,), "D was at Functioning in 2014."),
        ((None, 2), "D was at Functioning in 2015."),
        ((2, None, 2), "D was at Functioning in 2016."),
        ((2, None, 2, 2), "D has been at Functioning since 2016."),
        ((0, 0), "D has not yet reached Existing in any period since 2014."),
        ((0,), "D was not yet at Existing in 2014."),
        ((0, 1), "D rose from not yet at Existing to Existing between 2014 and 2015."),
        ((1, 0), "D fell from Existing to not yet at Existing between 2014 and 2015."),
        ((None, None), "D has not been answered in any period shown."),
        (
            (2, 2, None),
            "D was at Functioning from 2014 to 2015, and has not been answered since 2015.",
        ),
        (
            (0, 0, None),
            "D was not yet at Existing from 2014 to 2015, and has not been answered since 2015.",
        ),
        (
            (1, 2, None, None),
            "D rose from Existing to Functioning between 2014 and 2015, "
            "and has not been answered since 2015.",
        ),
    ],
)
def test_one_sentence_per_domain(values, sentence):  # type: ignore[no-untyped-def]
    periods = [str(2014 + i) for i in range(len(values))]
    data = progress(
        {p: (v,) for p, v in zip(periods, values, strict=True)},
        domains=(DomainInfo("d", "D", "#000000"),),
    )
    assert summary(data) == [sentence]


def test_nothing_charted_says_nothing():
    assert summary(progress({})) == []


# --- The property: every sentence, parsed back, holds of the data. -------------------------

TAIL = r"(?:, and has not been answered since (?P<u>\S+))?\.$"
FORMS = {
    "unanswered": re.compile(r"^ has not been answered in any period shown\.$"),
    "moved": re.compile(
        r"^ (?P<verb>rose|fell) from (?P<a>.+) to (?P<b>.+) between (?P<p>\S+) and (?P<q>\S+)"
        + TAIL
    ),
    "once": re.compile(r"^ was (?:at )?(?P<x>.+) in (?P<p>\S+)" + TAIL),
    "held zero": re.compile(
        r"^ has not yet reached (?P<first>.+) in any period since (?P<p>\S+)" + TAIL
    ),
    "was zero": re.compile(r"^ was not yet at (?P<first>.+) from (?P<p>\S+) to (?P<q>\S+)" + TAIL),
    "held": re.compile(r"^ has been at (?P<x>.+) since (?P<p>\S+)" + TAIL),
    "was": re.compile(r"^ was at (?P<x>.+) from (?P<p>\S+) to (?P<q>\S+)" + TAIL),
}


def _number(levels: tuple[str, ...], name: str) -> int:
    if name == f"not yet at {levels[0]}":
        return 0
    return levels.index(name) + 1


@st.composite
def progresses(draw):  # type: ignore[no-untyped-def]
    domain_count = draw(st.integers(1, 7))
    level_count = draw(st.integers(3, 7))
    period_count = draw(st.integers(0, 20))
    levels = tuple(f"Level {chr(65 + i)}" for i in range(level_count))
    domains = tuple(DomainInfo(f"d{i}", f"Domain {i + 1}", "#000000") for i in range(domain_count))
    start = draw(st.integers(2000, 2030))
    periods = tuple(str(start + i) for i in range(period_count))
    value = st.one_of(st.none(), st.integers(0, level_count))
    values = {(p, d.key): draw(value) for p in periods for d in domains}
    return Progress(
        title="Maturity", levels=levels, domains=domains, periods=periods, values=values
    )


def _check(data: Progress, domain: DomainInfo, rest: str) -> None:
    periods = list(data.periods)
    values = [data.level(p, domain.key) for p in periods]
    answered = [i for i, v in enumerate(values) if v is not None]
    matched = [(kind, m) for kind, form in FORMS.items() if (m := form.match(rest))]
    assert matched, rest
    kind, m = matched[0]
    if kind == "unanswered":
        assert not answered
        return
    last = answered[-1]
    # The tail is there exactly when later periods were not answered.
    if m.group("u") is None:
        assert last == len(periods) - 1
    else:
        assert periods.index(m.group("u")) == last < len(periods) - 1
    if kind == "moved":
        p, q = periods.index(m.group("p")), periods.index(m.group("q"))
        before, after = _number(data.levels, m.group("a")), _number(data.levels, m.group("b"))
        assert q == last and p == q - 1
        assert (values[p], values[q]) == (before, after)
        assert (m.group("verb") == "rose") == (after > before) and before != after
        return
    if kind in ("held zero", "was zero"):
        assert m.group("first") == data.levels[0]
        level = 0
    else:
        level = _number(data.levels, m.group("x"))
    since = periods.index(m.group("p"))
    until = periods.index(m.group("q")) if "q" in m.groupdict() else last
    if kind in ("once", "held", "held zero"):
        until = last
    if kind == "once":
        assert since == last
    else:
        assert since < until  # "since" and "from … to" span more than one period
    assert until == last
    assert all(values[i] == level for i in range(since, until + 1))
    assert since == 0 or values[since - 1] != level
    if kind == "once" and since > 0:
        # A single period after another answered one would have been a move.
        assert values[since - 1] is None


@settings(max_examples=300, deadline=None)
@given(progresses())
def test_every_sentence_is_true_of_the_data(data):  # type: ignore[no-untyped-def]
    sentences = summary(data)
    if not data.periods:
        assert sentences == []
        return
    assert len(sentences) == len(data.domains)
    for domain, sentence in zip(data.domains, sentences, strict=True):
        assert sentence.startswith(domain.name)
        _check(data, domain, sentence[len(domain.name) :])


@given(progresses())
def test_facts_name_every_domain_once(data):  # type: ignore[no-untyped-def]
    found = facts(data)
    assert [f.domain for f in found] == ([d.name for d in data.domains] if data.periods else [])
