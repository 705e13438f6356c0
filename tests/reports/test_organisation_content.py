"""The report's view model, built without a database or a renderer."""

from __future__ import annotations

from datetime import date, datetime

from maturity.data.report_content import ActionRecord, AssessmentRecord, RatingRecord
from maturity.domain.progress import DomainInfo, Progress
from maturity.reports import organisation_content as content

LEVELS = ("One", "Two", "Three", "Four")
DOMAINS = (DomainInfo("a", "Alpha", "#12436D"), DomainInfo("b", "Beta", "#28A197"))


def rating(key: str, level: int | None, **extra) -> RatingRecord:  # type: ignore[no-untyped-def]
    values = {
        "moderated_level": None,
        "moderated_note": "",
        "evidence": "",
        "reason_for_change": "",
        "ambition": None,
        "actions": (),
    }
    values.update(extra)
    return RatingRecord(domain_key=key, level=level, **values)  # type: ignore[arg-type]


def progress(values: dict[tuple[str, str], int | None], **extra) -> Progress:  # type: ignore[no-untyped-def]
    periods = tuple(sorted({period for period, _ in values}))
    return Progress("Chart", LEVELS, DOMAINS, periods, values, **extra)


def test_changes_say_the_direction_the_size_and_the_new_level():
    shown = progress(
        {
            ("2016", "a"): 1,
            ("2016", "b"): 4,
            ("2017", "a"): 3,
            ("2017", "b"): 2,
            ("2018", "a"): 3,
            ("2018", "b"): None,
        }
    )
    records = [AssessmentRecord(p, True, "Ada", datetime(2019, 1, 1), {}) for p in shown.periods]
    built = content.build(progress=shown, records=records)
    assert [(row.previous, row.period, row.changes) for row in built.changes] == [
        ("2016", "2017", ("Up 2 levels to Three (3)", "Down 2 levels to Two (2)")),
        ("2017", "2018", ("Same level", "Not known")),
    ]


def test_sections_carry_each_periods_words_and_every_action_in_order():
    shown = progress({("2017", "a"): 1, ("2017", "b"): 1, ("2018", "a"): 2, ("2018", "b"): 1})
    records = [
        AssessmentRecord("2017", True, "Ada", datetime(2018, 2, 3), {"a": rating("a", 1)}),
        AssessmentRecord(
            "2018",
            False,
            None,
            None,
            {
                "a": rating(
                    "a",
                    1,
                    moderated_level=2,
                    moderated_note="  Minutes.  ",
                    evidence="Papers.",
                    reason_for_change="Adopted.",
                    actions=(
                        ActionRecord("Map it", "Lead", date(2019, 6, 30), False),
                        ActionRecord("Agree it", "", None, True),
                    ),
                )
            },
        ),
    ]
    built = content.build(progress=shown, records=records)
    alpha, beta = built.sections
    assert alpha.anchor == "domain-1" and beta.anchor == "domain-2"
    first, second = alpha.entries
    assert (first.period, first.level, first.evidence, first.is_draft) == (
        "2017",
        "One (1)",
        content.NOT_WRITTEN,
        False,
    )
    assert (second.level, second.assessed_level, second.moderated_note) == (
        "Two (2)",
        "One (1)",
        "Minutes.",
    )
    assert second.is_draft and second.reason_for_change == "Adopted."
    assert [(a.period, a.what, a.owner, a.due, a.status) for a in alpha.actions] == [
        ("2018", "Map it", "Lead", "30 June 2019", "Open"),
        ("2018", "Agree it", "Not named", "No date set", "Done"),
    ]
    assert beta.entries == () and beta.actions == ()
    assert built.is_draft
    assert [(s.period, s.status, s.approved_by, s.approved_on) for s in built.statuses] == [
        ("2017", content.APPROVED, "Ada", "3 February 2018"),
        ("2018", content.DRAFT, "", ""),
    ]


def test_nothing_submitted_gives_an_empty_report_content():
    built = content.build(progress=progress({}), records=[])
    assert built.period_span == "" and built.statuses == () and not built.is_draft
    assert built.summary == () and built.changes == () and built.chart_rows == ()
    assert [row.level for row in built.current] == ["", ""]
