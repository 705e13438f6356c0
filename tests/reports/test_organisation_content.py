"""The report's view model, built without a database or a renderer."""

from __future__ import annotations

from datetime import date, datetime

from maturity.data.report_content import (
    ActionRecord,
    AssessmentRecord,
    DecisionRecord,
    RatingRecord,
)
from maturity.domain.progress import DomainInfo, Progress
from maturity.reports import organisation_content as content

DAY = date(2026, 11, 24)
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
    built = content.build(progress=shown, records=records, day=DAY)
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
                        ActionRecord("Publish it", "Lead", DAY, False),
                    ),
                )
            },
        ),
    ]
    built = content.build(progress=shown, records=records, day=DAY)
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
    # The status on the report's day: due before it and not done is overdue; due on it is not.
    assert [(a.period, a.what, a.owner, a.due, a.status) for a in alpha.actions] == [
        ("2018", "Map it", "Lead", "30 June 2019", "Overdue"),
        ("2018", "Agree it", "Not named", "No date set", "Done"),
        ("2018", "Publish it", "Lead", "24 November 2026", "Open"),
    ]
    assert [a.is_overdue for a in alpha.actions] == [True, False, False]
    earlier = content.build(progress=shown, records=records, day=date(2019, 6, 30))
    assert [a.status for a in earlier.sections[0].actions] == ["Open", "Done", "Open"]
    assert beta.entries == () and beta.actions == ()
    assert built.is_draft
    assert [(s.period, s.status, s.approved_by, s.approved_on) for s in built.statuses] == [
        ("2017", content.APPROVED, "Ada", "3 February 2018"),
        ("2018", content.DRAFT, "", ""),
    ]


def test_nothing_submitted_gives_an_empty_report_content():
    built = content.build(progress=progress({}), records=[], day=DAY)
    assert built.period_span == "" and built.statuses == () and not built.is_draft
    assert built.summary == () and built.changes == () and built.chart_rows == ()
    assert built.sign_off == ()
    assert [row.level for row in built.current] == ["", ""]


def decision(kind: str, by: str, at: datetime, reason: str = "", **extra: str) -> DecisionRecord:
    label = {"sent-back": "Sent back"}.get(kind, kind.capitalize())
    return DecisionRecord(
        kind, label, by, at, reason, extra.get("domain", ""), extra.get("outcome", "")
    )


def test_the_sign_off_lists_each_periods_whole_trail_in_order_with_who_when_and_why():
    shown = progress({("2017", "a"): 1, ("2018", "a"): 2, ("2019", "a"): 2})
    simple = AssessmentRecord(
        "2017",
        True,
        "Alex Approver",
        datetime(2018, 2, 14, 10),
        {},
        submitted_by="Ada Assessor",
        submitted_at=datetime(2018, 1, 31, 10),
        decisions=(
            decision("submitted", "Ada Assessor", datetime(2018, 1, 31, 10)),
            decision("approved", "Alex Approver", datetime(2018, 2, 14, 10)),
        ),
    )
    trail = (
        decision("submitted", "Ada Assessor", datetime(2019, 1, 31, 10)),
        decision(
            "moderated",
            "Alex Approver",
            datetime(2019, 2, 1, 10),
            "  Maps in place ",
            domain="Alpha",
            outcome="Three",
        ),
        decision("sent-back", "Alex Approver", datetime(2019, 2, 2, 10), "Cite the minutes"),
        decision("submitted", "Ada Assessor", datetime(2019, 2, 3, 10)),
        decision("approved", "Alex Approver", datetime(2019, 2, 4, 10), "First look"),
        # 23:30 UTC in summer is the next day in London.
        decision("reopened", "Alex Approver", datetime(2019, 6, 30, 23, 30), "Restated"),
        decision("submitted", "Ada Assessor", datetime(2019, 7, 2, 10)),
        decision(
            "moderated",
            "Alex Approver",
            datetime(2019, 7, 3, 10),
            domain="Alpha",
            outcome="Agreed with the assessed level",
        ),
        decision("approved", "Alex Approver", datetime(2019, 7, 4, 10), "Checked"),
    )
    reviewed = AssessmentRecord(
        "2018",
        True,
        "Alex Approver",
        datetime(2019, 7, 4, 10),
        {},
        submitted_by="Ada Assessor",
        submitted_at=datetime(2019, 7, 2, 10),
        approval_comment="Checked",
        decisions=trail,
    )
    # Submitted before the trail was kept, and not yet approved.
    draft = AssessmentRecord("2019", False, None, None, {})
    built = content.build(progress=shown, records=[simple, reviewed, draft], day=DAY)
    first, second, third = built.sign_off
    assert (first.period, first.is_draft) == ("2017", False)
    assert [(r.decision, r.by, r.on, r.note) for r in first.rows] == [
        ("Submitted", "Ada Assessor", "31 January 2018", ""),
        ("Approved", "Alex Approver", "14 February 2018", content.NOT_WRITTEN),
    ]
    assert [(r.decision, r.on, r.note) for r in second.rows] == [
        ("Submitted", "31 January 2019", ""),
        ("Moderated: Alpha, Three", "1 February 2019", "Maps in place"),
        ("Sent back", "2 February 2019", "Cite the minutes"),
        ("Submitted", "3 February 2019", ""),
        ("Approved", "4 February 2019", "First look"),
        ("Reopened", "1 July 2019", "Restated"),
        ("Submitted", "2 July 2019", ""),
        ("Moderated: Alpha, Agreed with the assessed level", "3 July 2019", content.NOT_WRITTEN),
        ("Approved", "4 July 2019", "Checked"),
    ]
    assert (third.period, third.is_draft) == ("2019", True)
    assert [(r.decision, r.by, r.on) for r in third.rows] == [
        ("Submitted", content.NOT_RECORDED, content.NOT_RECORDED)
    ]
