"""The sign-off trail: each submission, moderation, send-back, approval and reopening with
who, when and why, kept for good, shown on the history page and given to the report."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from maturity.data import actions, assessments, decisions, frameworks, report_content, review
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentDecision, AssessmentStatus, AuditTrailIsAppendOnly
from tests import factories
from tests.conftest import page, sign_in
from tests.data.test_duties import answered

FIRST = "developing-a-framework"


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Home Office")
    named = {}
    for role, name in (
        (MembershipRole.ASSESSOR, "Ada Assessor"),
        (MembershipRole.APPROVER, "Alex Approver"),
    ):
        named[role] = factories.member(of=body, role=role, email=f"{role.value}@example.org")
        named[role].name = name
    db.session.commit()
    return body, named[MembershipRole.ASSESSOR], named[MembershipRole.APPROVER]


def _through_the_whole_review(body, assessor, approver):  # type: ignore[no-untyped-def]
    made = answered(body, by=assessor, submitted_by=assessor)
    review.moderate(
        assessment=made, domain_key=FIRST, level=3, note="Delivery maps in place", actor=approver
    )
    review.send_back(
        assessment=made, actor=approver, comment="Cite the minutes", domain_comments={}
    )
    assessments.submit(assessment=made, actor=assessor)
    review.approve(assessment=made, actor=approver, comment="Checked against the minutes")
    review.reopen(assessment=made, actor=approver, reason="Figures restated")
    assessments.submit(assessment=made, actor=assessor)
    review.approve(assessment=made, actor=approver)
    return made


def test_every_decision_is_kept_with_who_when_and_why(people):
    body, assessor, approver = people
    made = _through_the_whole_review(body, assessor, approver)
    trail = decisions.for_assessment(assessment=made)
    assert [(d.label, d.by, d.domain, d.outcome, d.reason) for d in trail] == [
        ("Submitted", "Ada Assessor", "", "", ""),
        (
            "Moderated",
            "Alex Approver",
            "Developing a framework",
            "Enabling",
            "Delivery maps in place",
        ),
        ("Sent back", "Alex Approver", "", "", "Cite the minutes"),
        ("Submitted", "Ada Assessor", "", "", ""),
        ("Approved", "Alex Approver", "", "", "Checked against the minutes"),
        ("Reopened", "Alex Approver", "", "", "Figures restated"),
        ("Submitted", "Ada Assessor", "", "", ""),
        ("Approved", "Alex Approver", "", "", ""),
    ]
    times = [d.at for d in trail]
    assert times == sorted(times) and all(isinstance(t, datetime) for t in times)
    assert trail[-1].at == made.approved_at and trail[-2].at == made.submitted_at
    # The review page's notices read the same trail.
    assert review.latest_approval(assessment=made) == trail[-1]
    assert review.latest_decision(assessment=made).text == "Figures restated"


def test_agreeing_after_moderating_is_kept_too(people):
    body, assessor, approver = people
    made = answered(body, by=assessor, submitted_by=assessor)
    review.moderate(assessment=made, domain_key=FIRST, level=3, note="Higher", actor=approver)
    review.moderate(assessment=made, domain_key=FIRST, level=None, note="", actor=approver)
    moderations = [d for d in decisions.for_assessment(assessment=made) if d.domain]
    assert [(d.outcome, d.reason) for d in moderations] == [
        ("Enabling", "Higher"),
        ("Agreed with the assessed level", ""),
    ]


def test_the_trail_is_never_rewritten(people):
    body, assessor, _ = people
    answered(body, by=assessor, submitted_by=assessor)
    row = db.session.scalars(db.select(AssessmentDecision)).one()
    row.reason = "changed"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(db.select(AssessmentDecision)).one())
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_the_history_page_lists_the_trail_oldest_first(app, people):
    body, assessor, approver = people
    made = _through_the_whole_review(body, assessor, approver)
    client = app.test_client()
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}/history"))
    rows = [
        [" ".join(cell.get_text().split()) for cell in row.select("th, td")][1:]
        for row in html.select("#sign-off-trail tbody tr")
    ]
    assert rows == [
        ["Ada Assessor", "Submitted", ""],
        [
            "Alex Approver",
            "Moderated: Developing a framework, Enabling",
            "Delivery maps in place",
        ],
        ["Alex Approver", "Sent back", "Cite the minutes"],
        ["Ada Assessor", "Submitted", ""],
        ["Alex Approver", "Approved", "Checked against the minutes"],
        ["Alex Approver", "Reopened", "Figures restated"],
        ["Ada Assessor", "Submitted", ""],
        ["Alex Approver", "Approved", "None given"],
    ]
    when = html.select_one("#sign-off-trail tbody tr time")
    assert when["datetime"].startswith(str(made.submitted_at.year))


def test_the_report_s_sign_off_data_carries_reasons_who_and_when(people):
    body, assessor, approver = people
    first = answered(body, by=assessor, submitted_by=assessor)
    review.moderate(assessment=first, domain_key=FIRST, level=3, note="Maps", actor=approver)
    review.approve(assessment=first, actor=approver, comment="Checked")
    [record] = report_content.charted(organisation=body, framework=first.framework)
    assert (record.submitted_by, record.approved_by) == ("Ada Assessor", "Alex Approver")
    assert record.submitted_at == first.submitted_at and record.approved_at == first.approved_at
    assert record.approval_comment == "Checked"
    assert [(d.kind, d.label, d.by, d.reason, d.domain) for d in record.decisions] == [
        ("submitted", "Submitted", "Ada Assessor", "", ""),
        ("moderated", "Moderated", "Alex Approver", "Maps", "Developing a framework"),
        ("approved", "Approved", "Alex Approver", "Checked", ""),
    ]
    # Reopened and approved again without a comment: the comment in force is the new one's.
    review.reopen(assessment=first, actor=approver, reason="Restated")
    assessments.submit(assessment=first, actor=assessor)
    review.approve(assessment=first, actor=approver)
    [record] = report_content.charted(organisation=body, framework=first.framework)
    assert record.approval_comment == ""
    assert [d.label for d in record.decisions][-4:] == [
        "Approved",
        "Reopened",
        "Submitted",
        "Approved",
    ]
    assert record.decisions[-3].reason == "Restated"


def test_the_report_s_actions_carry_their_status(people):
    body, _, _ = people
    made = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    for what, due, done in (
        ("Late", date(2019, 1, 1), False),
        ("Finished", date(2019, 1, 1), True),
        ("Later", date(2030, 1, 1), False),
        ("Undated", None, False),
    ):
        factories.improvement_action(
            assessment=made, domain_key=FIRST, what=what, due_date=due, done=done
        )
    for rating in made.ratings:
        rating.level = 1
    made.status = AssessmentStatus.SUBMITTED  # the report reads submitted assessments
    db.session.commit()
    [record] = report_content.charted(organisation=body, framework=made.framework)
    statuses = [(a.what, a.status_on(date(2020, 6, 1))) for a in record.ratings[FIRST].actions]
    assert statuses == [
        ("Late", "Overdue"),
        ("Finished", "Done"),
        ("Later", "Open"),
        ("Undated", "Open"),
    ]
    # The same rule as the pages'.
    rating = next(r for r in made.ratings if r.domain.key == FIRST)
    assert [actions.is_overdue(a, on=date(2020, 6, 1)) for a in rating.actions] == [
        True,
        False,
        False,
        False,
    ]
