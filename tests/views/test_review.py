"""An approver reviews, moderates, sends back, approves and reopens, through the pages."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from maturity.data import assessments, frameworks
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus, AuditEvent, Rating
from maturity.reports import pdf
from tests import factories
from tests.conftest import link, page, sign_in
from tests.data.test_review import submitted
from tests.reports.test_pdf import all_text

FIRST = "developing-a-framework"
SECOND = "reporting-performance-information"


@pytest.fixture
def setting(app):  # type: ignore[no-untyped-def]
    """Home Office with an approved 2018 and a submitted 2019, and a person in each role."""
    body = factories.organisation(name="Home Office")
    people = {
        role: factories.member(of=body, role=role, email=f"{role.value}@example.org")
        for role in MembershipRole
    }
    people[MembershipRole.APPROVER].name = "Alex Approver"
    earlier = submitted(body, "2018", levels={FIRST: 2, SECOND: 2})
    earlier.status = AssessmentStatus.APPROVED
    db.session.commit()
    made = submitted(
        body, "2019", levels={FIRST: 3, SECOND: 2}, actor=people[MembershipRole.ASSESSOR]
    )
    return body, made, people


def _client(app, person):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, person.email)
    return client


def _url(made, tail: str = "review") -> str:
    return f"/organisations/home-office/assessments/{made.id}/{tail}"


def _cell_texts(html) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = html.select("table")[0]
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in table.select("tr")
    ]


def test_the_approver_journey_from_submitted_to_reopened(app, setting):
    body, made, people = setting
    approver = _client(app, people[MembershipRole.APPROVER])
    assessor = _client(app, people[MembershipRole.ASSESSOR])

    # Waiting on the approver's home page, linked to the review.
    home = page(approver.get("/"))
    [item] = home.select("li.app-waiting")
    text = item.get_text(" ", strip=True)
    assert text.startswith("Home Office, 2019 \N{EN DASH} submitted by")
    assert "assessor@example.org" in text or people[MembershipRole.ASSESSOR].name in text
    assert item.a["href"] == _url(made)

    # Every domain with its answers and its change from 2018.
    html = page(approver.get(_url(made)))
    assert html.h1.get_text(strip=True) == "Review the 2019 assessment"
    cards = html.select(".govuk-summary-card")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        d.name for d in frameworks.current().domains
    ]
    first = cards[0].get_text(" ", strip=True)
    assert "Enabling" in first and "Evidence for Developing a framework" in first
    assert "Change from 2018 Up 1 level, from Functioning" in first
    assert "Change from 2018 Same level, from Functioning" in cards[1].get_text(" ", strip=True)

    # A moderated level needs a note: the error is in the summary and at the field.
    moderate = f"{_url(made)}/domains/{FIRST}"
    response = approver.post(moderate, data={f"{FIRST}-moderated_level": "2"})
    assert response.status_code == 200
    html = page(response)
    summary = html.select_one(".govuk-error-summary a")
    assert summary.get_text(strip=True) == "Enter why you judged a different level"
    assert summary["href"] == f"#{FIRST}-moderated_note"
    field_error = html.select_one(f"#{FIRST}-moderated_note-error").get_text(strip=True)
    assert "Enter why you judged a different level" in field_error
    assert html.select_one(f"input[name='{FIRST}-moderated_level'][value='2']").has_attr("checked")
    assert html.title.get_text().startswith("Error:")

    response = approver.post(
        moderate,
        data={f"{FIRST}-moderated_level": "2", f"{FIRST}-moderated_note": "No delivery maps yet"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#{FIRST}")
    html = page(approver.get(_url(made)))
    assert "You set a moderated level for Developing a framework" in html.get_text()
    assert "No delivery maps yet" in html.select(".govuk-summary-card")[0].get_text()

    # The organisation's table and the PDF use it, and say so.
    html = page(approver.get("/organisations/home-office"))
    rows = _cell_texts(html)
    assert rows[0][:3] == ["Domain", "2018", "2019 (submitted, not yet approved)"]
    assert rows[1][2] == "Functioning (2), moderated"
    assert rows[1][1] == "Functioning (2)"
    assert "Moderated levels are shown where an approver set one" in html.get_text()
    desc = html.select_one("figure svg desc").get_text()
    assert "Developing a framework Functioning (moderated)" in desc
    assert "Moderated levels are shown where an approver set one." in desc
    db.session.expire_all()  # the moderation was saved by the client's request
    report = all_text(pdf.organisation_report(organisation=body, first=None, last=None).content)
    assert "Moderated levels are shown where an approver set one" in report
    assert "Functioning (2), moderated" in report

    # Send back with comments: a draft again, each domain's comment kept for the assessor.
    response = approver.post(_url(made, "send-back"), data={f"comment-{FIRST}": "Cite minutes"})
    html = page(response)
    assert html.select_one(".govuk-error-summary a").get_text(strip=True) == (
        "Enter what needs to change before you can approve it"
    )
    assert html.select_one(f"textarea[name='comment-{FIRST}']").get_text() == "Cite minutes"
    response = approver.post(
        _url(made, "send-back"),
        data={"comment": "Please evidence the board's use", f"comment-{FIRST}": "Cite minutes"},
        follow_redirects=True,
    )
    assert page(response).select_one(".govuk-panel__title").get_text(strip=True) == (
        "Assessment sent back"
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.DRAFT
    comments = {r.domain.key: r.review_comment for r in made.ratings}
    assert comments == {FIRST: "Cite minutes", SECOND: "", "using-the-framework": ""}
    overview = page(assessor.get(_url(made, "")[:-1]))
    notice = overview.select_one("#review-decision").get_text(" ", strip=True)
    assert notice.startswith("Sent back by Alex Approver on")
    assert notice.endswith("Please evidence the board's use")
    assert approver.get("/").get_data(as_text=True).count("app-waiting") == 0

    # Resubmitted: waiting again; approved: locked.
    assessments.submit(assessment=made, actor=people[MembershipRole.ASSESSOR])
    assert len(page(approver.get("/")).select("li.app-waiting")) == 1
    response = approver.post(_url(made, "approve"), follow_redirects=True)
    assert page(response).select_one(".govuk-panel__title").get_text(strip=True) == (
        "Assessment approved"
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.APPROVED
    assert made.approved_by == people[MembershipRole.APPROVER]
    html = page(approver.get("/organisations/home-office"))
    assert _cell_texts(html)[0][:3] == ["Domain", "2018", "2019"]

    # Locked: the assessor's save is refused in words, never a 500, and nothing changes.
    response = assessor.post(
        _url(made, f"domains/{FIRST}"),
        data={"level": "5", "evidence": "late", "save_and_continue": "y"},
    )
    assert response.status_code == 200
    assert page(response).select_one(".govuk-error-summary a").get_text(strip=True) == (
        "The 2019 assessment has been approved and can no longer be changed"
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.APPROVED
    assert {r.domain.key: r.level for r in made.ratings}[FIRST] == 3

    # Reopening needs a reason, then the assessment is a draft and says why.
    response = approver.post(_url(made, "reopen"), data={"reason": "  "})
    html = page(response)
    assert html.select_one(".govuk-error-summary a").get_text(strip=True) == (
        "Enter why you are reopening the assessment"
    )
    assert html.select_one(".govuk-error-summary a")["href"] == "#reason"
    assert "Enter why you are reopening the assessment" in html.select_one("#reason-error").text
    response = approver.post(
        _url(made, "reopen"), data={"reason": "Figures restated"}, follow_redirects=True
    )
    html = page(response)
    assert "It is a draft again" in html.select_one(".govuk-notification-banner").get_text()
    notice = html.select_one("#review-decision").get_text(" ", strip=True)
    assert notice.startswith("Reopened by Alex Approver on") and notice.endswith("Figures restated")
    db.session.expire_all()
    assert made.status == AssessmentStatus.DRAFT
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.reopened")
    ).one()
    assert event.details["reason"] == "Figures restated"
    assert event.actor == people[MembershipRole.APPROVER]


def test_decisions_on_the_wrong_status_are_refused_in_words(app, setting):
    _, made, people = setting
    approver = _client(app, people[MembershipRole.APPROVER])
    response = approver.post(_url(made, "reopen"), data={"reason": "r"})
    assert response.status_code == 200
    assert (
        page(response)
        .select_one(".govuk-error-summary")
        .get_text(" ", strip=True)
        .endswith("The 2019 assessment has not been approved yet: send it back instead")
    )
    # The confirmation pages only confirm what happened.
    assert approver.get(_url(made, "approved")).headers["Location"].endswith(_url(made))
    assert approver.get(_url(made, "sent-back")).headers["Location"].endswith(_url(made))
    assert approver.get(_url(made, "reopen")).headers["Location"].endswith(_url(made))

    approver.post(_url(made, "approve"))
    for tail, data in (
        ("approve", {}),
        ("send-back", {"comment": "c"}),
        (f"review/domains/{FIRST}", {f"{FIRST}-moderated_level": "agree"}),
    ):
        response = approver.post(_url(made, tail), data=data)
        assert response.status_code == 200, tail
        summary = page(response).select_one(".govuk-error-summary").get_text(" ", strip=True)
        assert "The 2019 assessment has already been approved" in summary or (
            "has been approved and is locked" in summary
        ), summary
    # Approved: the review page offers reopening, not deciding.
    html = page(approver.get(_url(made)))
    assert html.select("form[action$='/approve']") == []
    assert link(html, "Reopen this assessment") is not None
    assert html.select(f"input[name='{FIRST}-moderated_level']") == []


@pytest.mark.parametrize(
    "role", [MembershipRole.VIEWER, MembershipRole.ASSESSOR], ids=["viewer", "assessor"]
)
def test_only_approvers_review(app, setting, role):
    _, made, people = setting
    client = _client(app, people[role])
    for tail in ("review", "approved", "send-back", "sent-back", "reopen"):
        assert client.get(_url(made, tail)).status_code == 403, tail
    for tail in ("approve", "send-back", "reopen", f"review/domains/{FIRST}"):
        assert client.post(_url(made, tail), data={"comment": "c", "reason": "r"}).status_code == (
            403
        ), tail
    db.session.expire_all()
    assert made.status == AssessmentStatus.SUBMITTED
    html = page(client.get("/organisations/home-office"))
    assert link(html, "Review") is None
    assert page(client.get("/")).select("li.app-waiting") == []


def test_another_organisations_approver_gets_not_found(app, setting):
    _, made, _ = setting
    other = factories.organisation(name="Other Body")
    theirs = submitted(other, "2019")
    outsider = _client(app, factories.member(of=other, role=MembershipRole.APPROVER))
    assert outsider.get(_url(made)).status_code == 404
    assert outsider.post(_url(made, "approve")).status_code == 404
    # Their own assessment's id under this organisation's address is not found either.
    approver_here = factories.member(of=made.organisation, role=MembershipRole.APPROVER)
    here = _client(app, approver_here)
    assert here.get(_url(theirs)).status_code == 404
    assert here.post(_url(theirs, "approve")).status_code == 404
    assert here.post(f"{_url(made)}/domains/not-a-domain", data={}).status_code == 404


def test_the_organisation_page_links_approvers_to_the_review(app, setting):
    _, made, people = setting
    html = page(_client(app, people[MembershipRole.APPROVER]).get("/organisations/home-office"))
    assert link(html, "Review")["href"] == _url(made)


def _review_page_queries(app, count_queries, periods: int) -> int:
    body = factories.organisation(name=f"Body with {periods}")
    for year in range(2000, 2000 + periods):
        factories.assessment(of=body, period=str(year), status=AssessmentStatus.APPROVED)
    made = submitted(body, "2030")
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    client = _client(app, approver)
    url = f"/organisations/{body.slug}/assessments/{made.id}/review"
    client.get(url)  # warm: the first request loads the framework
    return count_queries(lambda: client.get(url))


def test_the_review_page_does_not_query_per_period(app, count_queries):
    one = _review_page_queries(app, count_queries, 1)
    twenty = _review_page_queries(app, count_queries, 20)
    assert one == twenty, (one, twenty)
    # Sign-in and role (3), this session's record (1), the assessment and the earlier ones with
    # their ratings and the criteria ticked in them (6), the framework with its criteria (5),
    # the last decision (1), the improvement actions (1), and who may approve it: the
    # organisation's approvers and who edited it, from the ratings' history and the audit
    # trail's imports (3).
    # Rating domains come from the session, not one query each.
    assert one <= 20, one


@pytest.fixture
def fuzzing(app, setting):  # type: ignore[no-untyped-def]
    _, made, people = setting
    return _client(app, people[MembershipRole.APPROVER]), made


ANY = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", "agree", "0", "-1", "6", "99999999999999999999", "\x00", "x" * 10_001]),
)


@pytest.mark.parametrize(
    ("tail", "fields"),
    [
        (
            f"review/domains/{FIRST}",
            [f"{FIRST}-moderated_level", f"{FIRST}-moderated_note", f"{FIRST}-version"],
        ),
        ("reopen", ["reason"]),
        ("send-back", ["comment", f"comment-{FIRST}", f"comment-{SECOND}"]),
    ],
)
def test_any_input_to_the_approver_forms_is_answered_without_a_crash(fuzzing, tail, fields):
    client, made = fuzzing

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: ANY for name in fields}))
    def post(data: dict[str, str]) -> None:
        response = client.post(_url(made, tail), data=data)
        assert response.status_code < 500, data
        rating = db.session.scalars(
            select(Rating)
            .where(Rating.id == made.ratings[0].id)
            .execution_options(populate_existing=True)
        ).one()
        level = rating.moderated_level
        assert level is None or 0 <= level <= 5

    post()


def test_what_approvers_type_is_shown_as_text_not_markup(app, setting):
    _, made, people = setting
    approver = _client(app, people[MembershipRole.APPROVER])
    note = '<script>alert("x")</script>\nSecond line'
    approver.post(
        f"{_url(made)}/domains/{FIRST}",
        data={f"{FIRST}-moderated_level": "1", f"{FIRST}-moderated_note": note},
    )
    body = approver.get(_url(made)).get_data(as_text=True)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\nSecond line" in body


@pytest.mark.parametrize("decided", ["approved", "sent back"])
def test_a_decision_taken_meanwhile_gives_back_what_the_other_approver_typed(app, setting, decided):
    body, made, people = setting
    first = _client(app, people[MembershipRole.APPROVER])
    second = _client(app, factories.member(of=body, role=MembershipRole.APPROVER))
    first.get(_url(made))  # both have the review page open
    if decided == "approved":
        assert second.post(_url(made, "approve")).status_code == 302
        response = first.post(
            f"{_url(made)}/domains/{FIRST}",
            data={f"{FIRST}-moderated_level": "2", f"{FIRST}-moderated_note": "My considered note"},
        )
        typed, label = "My considered note", "Your note on Developing a framework, as you typed it:"
    else:
        response = second.post(_url(made, "send-back"), data={"comment": "Say more"})
        assert response.status_code == 302
        response = first.post(_url(made, "approve"), data={"comment": "Well evidenced"})
        typed, label = "Well evidenced", "Your approval comment, as you typed it:"
    assert response.status_code == 200
    html = page(response)
    summary = html.select_one(".govuk-error-summary a")
    assert summary["href"] == "#not-saved"
    assert summary.get_text(strip=True).startswith(
        "The 2019 assessment has been approved and is locked"
        if decided == "approved"
        else "The 2019 assessment is a draft"
    )
    kept = html.select_one("#not-saved").get_text(" ", strip=True)
    assert label in kept and typed in kept


def test_approving_twice_says_so_without_claiming_the_comment_was_not_saved(app, setting):
    _, made, people = setting
    approver = _client(app, people[MembershipRole.APPROVER])
    data = {"comment": "Well evidenced"}
    assert approver.post(_url(made, "approve"), data=data).status_code == 302
    html = page(approver.post(_url(made, "approve"), data=data))
    summary = html.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "The 2019 assessment has already been approved" in summary
    assert html.select_one("#not-saved") is None
    assert "Comment: Well evidenced" in html.select_one("#approval").get_text(" ", strip=True)
