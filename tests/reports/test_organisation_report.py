"""The report's parts, read back from the PDF: per-domain sections, changes, sign-off,
the draft watermark, contents page numbers, any framework shape, queries and bytes."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from maturity.data import assessments, frameworks, report_content, review
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Framework, Organisation
from maturity.reports import organisation_content, pdf
from tests import factories

DAY = date(2026, 11, 24)


def pages_of(content: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]


def page_starting(pages: list[str], heading: str) -> int:
    """The 1-based number of the page whose body starts with ``heading`` (after the
    watermark, if any)."""
    for number, text in enumerate(pages, start=1):
        if text.removeprefix("DRAFT ").startswith(heading):
            return number
    raise AssertionError(f"no page starts with {heading!r}")


def approved(made: Assessment, *, by: str, on: datetime) -> Assessment:
    """Approved through the review's data layer, at a fixed moment (the report prints it)."""
    approver = factories.user(name=by)
    review.approve(assessment=made, actor=approver)
    made.approved_at = on
    db.session.commit()
    return made


def worded_history(framework: Framework | None = None) -> tuple[Organisation, Framework]:
    """Two periods with evidence, a reason for change, an action and a moderation."""
    framework = framework or frameworks.current()
    keys = [d.key for d in framework.domains]
    body = factories.organisation(name="Worded Body")
    first = factories.assessment(
        of=body,
        period="2017",
        levels=dict.fromkeys(keys, 1),
        framework=framework,
        evidence="Minutes of the March board.",
    )
    approved(first, by="Ada Approver", on=datetime(2018, 3, 2, 9, 0))
    second = factories.assessment(
        of=body,
        period="2018",
        levels=dict.fromkeys(keys, 1),
        framework=framework,
        status=AssessmentStatus.DRAFT,
    )
    assessments.save_rating(
        assessment=second,
        domain_key=keys[0],
        level=2,
        evidence="A published framework.",
        reason_for_change="The board adopted the framework.",
        ambition=3,
        actor=None,
    )
    factories.improvement_action(
        assessment=second,
        domain_key=keys[0],
        what="Map delivery to objectives",
        owner="Head of Performance",
        due_date=date(2019, 6, 30),
    )
    factories.improvement_action(
        assessment=second,
        domain_key=keys[0],
        what="Agree the measures",
        owner="Analyst",
        done=True,
    )
    second.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    review.moderate(
        assessment=second,
        domain_key=keys[-1],
        level=2,
        note="Board minutes show monitoring.",
        actor=None,
    )
    return body, framework


def test_each_domain_has_its_levels_evidence_reasons_moderation_and_actions():
    body, framework = worded_history()
    first, last = framework.domains[0].name, framework.domains[-1].name
    report = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    pages = pages_of(report.content)
    section = pages[page_starting(pages, first) - 1]
    assert "2017: Existing (1) Evidence: Minutes of the March board." in section
    assert (
        "2018: Functioning (2) (draft) Evidence: A published framework. "
        "Reason for change: The board adopted the framework."
    ) in section
    assert "Ambition: Enabling (3)" in section
    # Each action's status on the report's date: open and due before it is overdue.
    assert "Status on 24 November 2026, the date of this report" in section
    assert "2018 Map delivery to objectives Head of Performance 30 June 2019 Overdue" in section
    assert "2018 Agree the measures Analyst No date set Done" in section
    earlier = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=date(2019, 6, 30)
    )
    assert "30 June 2019 Open" in " ".join(pages_of(earlier.content))
    moderated = pages[page_starting(pages, last) - 1]
    assert (
        "2018: Functioning (2) (draft) Moderated level: assessed as Existing (1); the approver "
        "judged Functioning (2). Board minutes show monitoring."
    ) in moderated
    assert f"No improvement actions recorded for {last}." in moderated


def test_the_change_table_and_the_sign_off_say_who_approved_what_and_when():
    body, _ = worded_history()
    report = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    pages = pages_of(report.content)
    end = pages[page_starting(pages, "Year-on-year change") - 1]
    # Domains across, consecutive periods down; moderated levels are the ones compared.
    assert (
        "2017 to 2018 Up 1 level to Functioning (2) Same level Up 1 level to Functioning (2)"
    ) in end
    # Submitted before the trail was kept (the factories set the status): said, not guessed.
    assert (
        "2017 Submitted Not recorded Not recorded Approved Ada Approver 2 March 2018 None given"
    ) in end
    assert (
        "2018 (draft) Submitted Not recorded Not recorded Moderated: Using the framework, "
        "Functioning The system"
    ) in end
    # The draft's moderation is its last decision: no approval yet.
    assert "Board minutes show monitoring." in end and end.count("Approved Ada Approver") == 1


def reviewed_with_a_trail() -> tuple[Organisation, Assessment]:
    """One period through the whole review, made by the data layer as people would: answered
    with an action now overdue, submitted, moderated, sent back, submitted, approved with a
    comment, reopened with a reason, submitted and approved again with another comment."""
    framework = frameworks.current()
    first_key = framework.domains[0].key
    body = factories.organisation(name="Signed Body")
    assessor = factories.member(of=body, role=MembershipRole.ASSESSOR)
    assessor.name = "Ada Assessor"
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    approver.name = "Alex Approver"
    made = assessments.start(organisation=body, framework=framework, period="2019", actor=None)
    for domain in framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=2,
            evidence="Board minutes",
            reason_for_change="",
            ambition=3,
            actor=assessor,
        )
    factories.improvement_action(
        assessment=made,
        domain_key=first_key,
        what="Publish the measures",
        owner="Head of Performance",
        due_date=date(2020, 3, 31),
    )
    assessments.submit(assessment=made, actor=assessor)
    review.moderate(
        assessment=made,
        domain_key=first_key,
        level=3,
        note="Delivery maps in place",
        actor=approver,
    )
    review.send_back(
        assessment=made, actor=approver, comment="Cite the minutes", domain_comments={}
    )
    assessments.submit(assessment=made, actor=assessor)
    review.approve(assessment=made, actor=approver, comment="First approval")
    review.reopen(assessment=made, actor=approver, reason="Figures restated")
    assessments.submit(assessment=made, actor=assessor)
    review.approve(assessment=made, actor=approver, comment="Checked against the minutes")
    return body, made


def test_the_sign_off_has_who_submitted_and_approved_each_period_and_every_decision():
    body, made = reviewed_with_a_trail()
    report = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    pages = pages_of(report.content)
    everything = " ".join(pages)
    assert "2019 Publish the measures Head of Performance 31 March 2020 Overdue" in everything
    sign_off = pages[-1][pages[-1].index("Sign-off") :]

    def on(moment: datetime) -> str:
        return organisation_content.long_date(organisation_content.local_day(moment))

    today = on(made.approved_at)  # every decision of the review was made just now
    # Oldest first; the last submission and approval are the ones in force.
    assert (
        f"2019 Submitted Ada Assessor {today} "
        f"Moderated: Developing a framework, Enabling Alex Approver {today} "
        "Delivery maps in place "
        f"Sent back Alex Approver {today} Cite the minutes "
        f"Submitted Ada Assessor {today} "
        f"Approved Alex Approver {today} First approval "
        f"Reopened Alex Approver {today} Figures restated "
        f"Submitted Ada Assessor {on(made.submitted_at)} "
        f"Approved Alex Approver {today} Checked against the minutes"
    ) in sign_off
    again = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    assert again.content == report.content


def test_a_report_with_a_draft_is_watermarked_on_every_page_and_an_approved_one_is_not():
    body, _ = worded_history()
    pages = pages_of(pdf.organisation_report(organisation=body, first=None, last=None).content)
    assert len(pages) > 3
    for text in pages:
        assert text.startswith("DRAFT ")
        assert "Draft: not yet approved" in text
    clean = pages_of(pdf.organisation_report(organisation=body, first=None, last="2017").content)
    for text in clean:
        assert "DRAFT" not in text and "Draft: not yet approved" not in text


@pytest.mark.parametrize(("domains", "levels"), [(4, 4), (7, 6)])
def test_any_framework_shape_gets_every_part_and_true_contents_page_numbers(domains, levels):
    framework = factories.framework(domains=domains, levels=levels)
    keys = [d.key for d in framework.domains]
    body = factories.organisation(name=f"Shape {domains} by {levels}")
    for step, period in enumerate(("2016", "2017", "2018")):
        made = factories.assessment(
            of=body,
            period=period,
            framework=framework,
            levels={key: min(levels, 1 + (step + i) % levels) for i, key in enumerate(keys)},
            ambition=dict.fromkeys(keys, levels),
        )
        approved(made, by="Ada Approver", on=datetime(2019, 1, 1 + step))
    report = pdf.organisation_report(
        organisation=body, first=None, last=None, framework=framework, generated_on=DAY
    )
    pages = pages_of(report.content)
    cover = pages[0]
    assert f"Maturity ({domains} domains, {levels} levels)" in cover
    assert f"Test framework {domains} by {levels}" in cover
    everything = " ".join(pages)
    assert f"Level {levels} ({levels})" in everything  # the ambition, named by the framework
    # The contents say on which page each part starts; each does start there.
    parts = ["Summary of progress", *(f"Domain {n}" for n in range(1, domains + 1))]
    parts += ["Year-on-year change"]
    for part in parts:
        listed = re.search(re.escape(part) + r" (\d+)", cover)  # title, then its page
        assert listed, part
        assert int(listed.group(1)) == page_starting(pages, part), part
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert all(text.count(body.name) >= 1 for text in pages)  # the running header


def test_the_same_data_and_day_give_the_same_bytes():
    body, _ = worded_history()
    one = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    two = pdf.organisation_report(organisation=body, first=None, last=None, generated_on=DAY)
    assert one.content == two.content
    later = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=date(2026, 11, 25)
    )
    assert later.content != one.content
    info = PdfReader(io.BytesIO(one.content)).metadata
    assert info.creation_date.date() == DAY and info.modification_date.date() == DAY


def test_the_report_reads_as_many_queries_for_20_periods_as_for_1(count_queries):
    keys = [d.key for d in frameworks.current().domains]

    def queries_for(periods: int) -> int:
        body = factories.organisation(name=f"History of {periods}")
        for year in range(2000, 2000 + periods):
            made = factories.assessment(of=body, period=str(year), levels=dict.fromkeys(keys, 2))
            approved(made, by=f"Approver {year}", on=datetime(year + 1, 1, 1))
        db.session.expire_all()
        return count_queries(
            lambda: pdf.organisation_report(
                organisation=body, first=None, last=None, generated_on=DAY
            )
        )

    one, twenty = queries_for(1), queries_for(20)
    assert one == twenty
    # Measured 16 (the framework and its eager relationships, progress()'s assessments and
    # ratings, then report_content's assessments with approvers, ratings and actions): a
    # little headroom for eager loads others add, none for a query per period.
    assert twenty <= 20


def test_report_content_reads_the_same_periods_as_the_chart():
    body, framework = worded_history()
    records = report_content.charted(organisation=body, framework=framework)
    progress = assessments.progress(organisation=body, framework=framework)
    assert tuple(r.period for r in records) == progress.periods
    assert [r.approved for r in records] == [True, False]
    assert records[0].approved_by == "Ada Approver"


def test_the_command_takes_the_date_generated_and_repeats_itself_byte_for_byte(app, tmp_path):
    body, _ = worded_history()
    runner = app.test_cli_runner()
    outs = [tmp_path / "one.pdf", tmp_path / "two.pdf"]
    for out in outs:
        result = runner.invoke(
            args=["report", body.slug, "--out", str(out), "--generated-on", "2026-11-24"]
        )
        assert result.exit_code == 0, result.output
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert "Date generated 24 November 2026" in pages_of(outs[0].read_bytes())[0]
    refused = runner.invoke(
        args=["report", body.slug, "--out", str(tmp_path / "x.pdf"), "--generated-on", "24/11"]
    )
    assert refused.exit_code != 0 and "--generated-on" in refused.output
