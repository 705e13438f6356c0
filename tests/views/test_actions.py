"""Improvement actions on a domain: add (with GOV.UK date input), mark done or open, remove."""

from datetime import date

import pytest

from maturity.data import actions, assessments, frameworks
from maturity.domain.assessment_rules import ProblemsFound
from maturity.domain.errors import LockedError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import ActionStatus, AssessmentStatus, ImprovementAction
from tests import factories
from tests.conftest import page, sign_in

DEV, REP = "developing-a-framework", "reporting-performance-information"


@pytest.fixture
def made(client):
    body = factories.organisation(name="Home Office")
    sign_in(client, factories.member(of=body, role=MembershipRole.ASSESSOR).email)
    return assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )


def _domain(made, key=DEV):
    return f"/organisations/home-office/assessments/{made.id}/domains/{key}"


def _errors(html):
    summary = [
        (a.get_text(strip=True), a["href"]) for a in html.select(".govuk-error-summary__list a")
    ]
    inline = {
        m["id"]: m.get_text(" ", strip=True).removeprefix("Error:").strip()
        for m in html.select(".govuk-error-message")
    }
    return summary, inline


def _what(made, key=DEV):
    db.session.expire_all()
    rating = next(r for r in made.ratings if r.domain.key == key)
    return [(a.what, a.status.value) for a in rating.actions]


def test_an_empty_action_is_refused_at_each_field(client, made):
    html = page(client.post(_domain(made) + "/actions/new", data={"what": " ", "owner": ""}))
    assert _errors(html) == (
        [("Enter what will be done", "#what"), ("Enter who owns the action", "#owner")],
        {"what-error": "Enter what will be done", "owner-error": "Enter who owns the action"},
    )
    assert _what(made) == []


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2020", "Enter a real due date"),
        ("1", "", "2020", "Due date must include a month"),
        ("1", "2", "20", "Year must include 4 numbers"),
    ],
)
def test_a_due_date_that_is_not_real_is_refused_at_the_date(
    client, made, day, month, year, message
):
    data = {"what": "Publish", "owner": "Jo", "due_day": day, "due_month": month, "due_year": year}
    html = page(client.post(_domain(made) + "/actions/new", data=data))
    assert _errors(html) == ([(message, "#due_day")], {"due_date-error": message})
    assert "govuk-input--error" in html.select_one("#due_month")["class"]
    # What was typed is all still there.
    assert html.select_one("#due_year")["value"] == year
    assert html.select_one("textarea#what").get_text() == "Publish"
    assert _what(made) == []


def test_add_mark_done_reopen_and_remove(client, made):
    response = client.post(
        _domain(made) + "/actions/new",
        data={
            "what": "Publish",
            "owner": "Jo",
            "due_day": "1",
            "due_month": "4",
            "due_year": "2020",
        },
    )
    assert response.headers["Location"].endswith(f"/domains/{DEV}#actions")
    db.session.expire_all()  # the page's add moved the assessment's version on
    factories.improvement_action(assessment=made, domain_key=DEV, what="Train managers")
    html = page(client.get(_domain(made)))
    assert "Improvement action added" in html.select_one(".govuk-notification-banner").get_text()
    cards = html.select(".app-action")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        "Action 1",
        "Action 2",
    ]
    first = cards[0].get_text(" ", strip=True)
    assert "Publish" in first and "Jo" in first and "1 April 2020" in first
    # Open, and due before today.
    assert "Status Overdue" in first

    version = html.select_one("input[name=version]")["value"]
    first_id = cards[0].select_one("button[name=mark_done]")["value"]
    # The buttons save what was typed on the way.
    answers = {"level": "2", "evidence": "Typed before marking", "version": version}
    response = client.post(_domain(made), data={**answers, "mark_done": first_id})
    assert response.headers["Location"].endswith("#actions")
    assert _what(made) == [("Publish", "done"), ("Train managers", "open")]
    html = page(client.get(_domain(made)))
    assert html.select_one("textarea#evidence").get_text() == "Typed before marking"
    assert "Done" in html.select(".app-action")[0].get_text()

    version = html.select_one("input[name=version]")["value"]
    response = client.post(
        _domain(made), data={**answers, "version": version, "mark_open": first_id}
    )
    assert _what(made) == [("Publish", "open"), ("Train managers", "open")]
    html = page(client.get(_domain(made)))
    second_id = html.select(".app-action")[1].select_one("button[name=remove_action]")["value"]
    version = html.select_one("input[name=version]")["value"]
    client.post(_domain(made), data={**answers, "version": version, "remove_action": second_id})
    assert _what(made) == [("Publish", "open")]
    html = page(client.get(_domain(made)))
    assert "Improvement action removed" in html.select_one(".govuk-notification-banner").get_text()
    # A tampered button (more digits than any id has) is explained, with what was typed kept.
    html = page(client.get(_domain(made)))
    version = html.select_one("input[name=version]")["value"]
    response = client.post(
        _domain(made), data={**answers, "version": version, "mark_done": "9" * 5000}
    )
    html = page(response)
    summary = html.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "That improvement action no longer exists" in summary
    assert html.select_one("textarea#evidence").get_text() == "Typed before marking"
    assert _what(made) == [("Publish", "open")]


def test_an_action_of_another_assessment_or_a_made_up_id_is_not_found(client, made):
    other = assessments.start(
        organisation=factories.organisation(name="Other Body"),
        framework=frameworks.current(),
        period="2019",
        actor=None,
    )
    theirs = factories.improvement_action(assessment=other, domain_key=DEV)
    for value in (str(theirs.id), "abc", "99999999999999999999", "-3"):
        response = client.post(_domain(made), data={"save_draft": "y", "remove_action": value})
        assert response.status_code == 200
        html = page(response)
        assert _errors(html)[0] == [("That improvement action no longer exists", "#actions")]
    db.session.expire_all()
    assert db.session.get(ImprovementAction, theirs.id) is not None


def test_actions_are_listed_on_the_check_page(client, made):
    factories.improvement_action(
        assessment=made, domain_key=REP, what="Report monthly", due_date=date(2020, 5, 1)
    )
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}/check"))
    card = html.select(".govuk-summary-card")[1].get_text(" ", strip=True)
    assert "Report monthly (owner: Head of Performance, due 1 May 2020)" in card


def test_the_data_functions_check_their_input_and_the_assessment(client, made):
    with pytest.raises(ProblemsFound) as refused:
        actions.add(
            assessment=made, domain_key=DEV, what="", owner="x" * 201, due_date=None, actor=None
        )
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("what", "Enter what will be done"),
        ("owner", "Owner must be 200 characters or less"),
    ]
    with pytest.raises(NotFound):
        actions.add(
            assessment=made, domain_key="nope", what="x", owner="y", due_date=None, actor=None
        )
    action = factories.improvement_action(assessment=made, domain_key=DEV)
    made.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    with pytest.raises(LockedError):
        actions.set_status(
            assessment=made, action_id=action.id, status=ActionStatus.DONE, actor=None
        )
    with pytest.raises(LockedError):
        actions.remove(assessment=made, action_id=action.id, actor=None)
    assert _what(made) == [(action.what, "open")]
