"""Improvement actions changed (what, owner, due date, status), listed on the approver's
review page, and flagged on the organisation page when overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from maturity.data import actions, assessments, frameworks
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import page, sign_in

DEV, REP = "developing-a-framework", "reporting-performance-information"


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.get_text().split())


@pytest.fixture
def setting(client):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Home Office")
    assessor = factories.member(of=body, role=MembershipRole.ASSESSOR)
    assessor.name = "Ada Assessor"
    db.session.commit()
    sign_in(client, assessor.email)
    made = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    action = factories.improvement_action(
        assessment=made, domain_key=DEV, what="Publish", owner="Jo", due_date=date(2020, 4, 1)
    )
    return body, made, action


def _edit_url(made, action) -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/home-office/assessments/{made.id}/domains/{DEV}/actions/{action.id}"


def _errors(html):  # type: ignore[no-untyped-def]
    summary = [
        (a.get_text(strip=True), a["href"]) for a in html.select(".govuk-error-summary__list a")
    ]
    inline = {
        m["id"]: _text(m).removeprefix("Error:").strip()
        for m in html.select(".govuk-error-message")
    }
    return summary, inline


def test_the_change_button_saves_the_answers_and_opens_the_action_filled_in(client, setting):
    _, made, action = setting
    domain = f"/organisations/home-office/assessments/{made.id}/domains/{DEV}"
    html = page(client.get(domain))
    button = html.select_one(f"#action-{action.id} button[name=edit_action]")
    assert _text(button) == "Change action 1"
    version = html.select_one("input[name=version]")["value"]
    response = client.post(
        domain,
        data={
            "level": "2",
            "evidence": "Typed first",
            "version": version,
            "edit_action": button["value"],
        },
    )
    assert response.headers["Location"].endswith(_edit_url(made, action))
    db.session.expire_all()
    assert next(r for r in made.ratings if r.domain.key == DEV).evidence == "Typed first"

    html = page(client.get(_edit_url(made, action)))
    assert html.h1.get_text(strip=True) == "Change an improvement action"
    assert html.select_one("textarea#what").get_text() == "Publish"
    assert html.select_one("input#owner")["value"] == "Jo"
    dates = [html.select_one(f"#due_{part}")["value"] for part in ("day", "month", "year")]
    assert dates == ["1", "4", "2020"]
    assert html.select_one("input[name=status][value=open]").has_attr("checked")


def test_bad_input_is_refused_at_each_field_and_kept(client, setting):
    _, made, action = setting
    data = {"what": " ", "owner": "", "due_day": "31", "due_month": "2", "due_year": "2021"}
    html = page(client.post(_edit_url(made, action), data=data))
    assert html.title.get_text().startswith("Error:")
    summary, inline = _errors(html)
    # Every problem at once, in the order of the page.
    assert summary == [
        ("Enter what will be done", "#what"),
        ("Enter who owns the action", "#owner"),
        ("Enter a real due date", "#due_day"),
        ("Select whether the action is done", "#status"),
    ]
    assert inline == {
        "what-error": "Enter what will be done",
        "owner-error": "Enter who owns the action",
        "due_date-error": "Enter a real due date",
        "status-error": "Select whether the action is done",
    }
    assert html.select_one("#due_day")["value"] == "31"
    assert "govuk-input--error" in html.select_one("#due_year")["class"]

    # A made-up status is refused in the same words.
    data.update(what="Publish", owner="Jo", due_day="28", status="finished")
    summary, _ = _errors(page(client.post(_edit_url(made, action), data=data)))
    assert summary == [("Select whether the action is done", "#status")]
    db.session.expire_all()
    assert (action.what, action.owner, action.due_date) == ("Publish", "Jo", date(2020, 4, 1))


def _seen(client, made, action) -> str:  # type: ignore[no-untyped-def]
    """What the change page carries of the action as it was opened."""
    return page(client.get(_edit_url(made, action))).select_one("input[name=seen]")["value"]


def test_a_change_is_saved_and_kept_in_the_history(client, setting):
    _, made, action = setting
    response = client.post(
        _edit_url(made, action),
        data={
            "seen": _seen(client, made, action),
            "what": "Publish quarterly",
            "owner": "Head of Performance",
            "due_day": "",
            "due_month": "",
            "due_year": "",
            "status": "done",
        },
    )
    assert response.headers["Location"].endswith(f"/domains/{DEV}#actions")
    db.session.expire_all()
    assert (action.what, action.owner, action.due_date, action.status.value) == (
        "Publish quarterly",
        "Head of Performance",
        None,
        "done",
    )
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}/history"))
    rows = [[_text(c) for c in row.select("td")] for row in html.select("#history tr")]
    assert [
        "Ada Assessor",
        "Developing a framework",
        "Improvement action",
        "Publish (owner: Jo, due 1 April 2020, open)",
        "Publish quarterly (owner: Head of Performance, done)",
    ] in rows


def test_two_people_changing_one_action_get_a_conflict_not_a_silent_overwrite(app, setting):
    body, made, action = setting
    ada, bob = app.test_client(), app.test_client()
    sign_in(ada, factories.member(of=body, role=MembershipRole.ASSESSOR).email)
    sign_in(bob, factories.member(of=body, role=MembershipRole.ASSESSOR).email)
    ada_seen, bob_seen = _seen(ada, made, action), _seen(bob, made, action)

    def change(client, seen, what):  # type: ignore[no-untyped-def]
        data = {"seen": seen, "what": what, "owner": "Jo", "status": "open"}
        return client.post(_edit_url(made, action), data=data)

    assert change(ada, ada_seen, "Ada's change").status_code == 302
    html = page(change(bob, bob_seen, "Bob's change"))
    summary, inline = _errors(html)
    message = (
        "Someone else changed this action since you opened it. It now says: Ada's change "
        "(owner: Jo, open). Your changes have not been saved: check them below and save "
        "again to replace theirs."
    )
    assert summary == [(message, "#what")]
    assert inline == {"what-error": message}
    # Bob's typing is still in the form, and Ada's change is what was kept.
    assert html.select_one("textarea#what").get_text() == "Bob's change"
    db.session.expire_all()
    assert action.what == "Ada's change"
    # Having seen theirs, Bob saves again on purpose and his change is kept.
    again = html.select_one("input[name=seen]")["value"]
    assert change(bob, again, "Bob's change").status_code == 302
    db.session.expire_all()
    assert action.what == "Bob's change"
    # A form without what was seen (an old page) saves nothing either.
    assert change(ada, "", "Ada again").status_code == 200
    db.session.expire_all()
    assert action.what == "Bob's change"


def test_another_domain_s_or_a_made_up_action_is_not_found(client, setting):
    _, made, action = setting
    other_domain = _edit_url(made, action).replace(DEV, REP)
    assert client.get(other_domain).status_code == 404
    assert client.get(_edit_url(made, action).replace(f"/{action.id}", "/99999")).status_code == 404


def test_a_submitted_assessment_s_actions_cannot_be_changed(client, setting):
    _, made, action = setting
    made.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    assert client.get(_edit_url(made, action)).status_code == 302
    data = {"what": "Late", "owner": "Jo", "status": "open"}
    html = page(client.post(_edit_url(made, action), data=data))
    assert _errors(html)[0] == [
        ("The 2019 assessment has been submitted and can no longer be changed", "#what")
    ]


def test_the_review_page_lists_each_domain_s_actions_with_their_status(app, setting):
    body, made, _ = setting
    yesterday = date.today() - timedelta(days=2)
    factories.improvement_action(
        assessment=made, domain_key=DEV, what="Train managers", owner="HR", done=True
    )
    factories.improvement_action(
        assessment=made,
        domain_key=DEV,
        what="Due later",
        owner="Jo",
        due_date=date.today() + timedelta(days=30),
    )
    factories.improvement_action(
        assessment=made, domain_key=REP, what="Report monthly", owner="Al", due_date=yesterday
    )
    made.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    client = app.test_client()
    sign_in(client, approver.email)
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}/review"))
    table = html.select_one(f"#{DEV} table.app-review-actions")
    assert _text(table.caption) == "Improvement actions for Developing a framework"
    rows = [[_text(c) for c in row.select("td")] for row in table.select("tbody tr")]
    assert rows == [
        ["Publish", "Jo", "1 April 2020", "Overdue"],
        ["Train managers", "HR", "No date", "Done"],
        ["Due later", "Jo", (date.today() + timedelta(days=30)).strftime("%-d %B %Y"), "Open"],
    ]
    rep = html.select_one(f"#{REP} table.app-review-actions tbody tr")
    assert [_text(c) for c in rep.select("td")][-1] == "Overdue"
    assert "No improvement actions for Using the framework." in _text(
        html.select_one("#using-the-framework")
    )


def test_the_organisation_page_flags_overdue_actions_with_a_count(client, setting):
    _, made, _ = setting
    today = actions.today()
    factories.improvement_action(
        assessment=made, domain_key=REP, what="Due today", owner="Al", due_date=today
    )
    factories.improvement_action(
        assessment=made,
        domain_key=REP,
        what="Long overdue",
        owner="Al",
        due_date=date(2019, 1, 1),
    )
    factories.improvement_action(
        assessment=made,
        domain_key=REP,
        what="Done late",
        owner="Al",
        due_date=date(2019, 1, 1),
        done=True,
    )
    html = page(client.get("/organisations/home-office"))
    section = html.select_one("#improvement-actions").find_parent()
    assert "The 2019 assessment has 3 open improvement actions and 1 done." in _text(section)
    assert _text(html.select_one("#overdue-count")) == (
        "Overdue 2 of them are overdue: the due date has passed and they are not done."
    )
    tag = html.select_one("#overdue-count strong.govuk-tag--red")
    assert tag is not None and _text(tag) == "Overdue"
    rows = [[_text(c) for c in row.select("td")] for row in html.select("#open-actions tbody tr")]
    # Overdue first, the longest overdue first; due today is not overdue yet.
    assert [(r[1], r[-1]) for r in rows] == [
        ("Long overdue", "Overdue"),
        ("Publish", "Overdue"),
        ("Due today", "Open"),
    ]
    assert rows[0][0] == "Reporting performance information"


def test_only_the_latest_assessment_s_actions_count(client, setting):
    """Open actions are carried forward into the next period: counting last year's copy too
    would count them twice."""
    body, made, _ = setting
    made.status = AssessmentStatus.APPROVED
    db.session.commit()
    later = assessments.start(
        organisation=body, framework=frameworks.current(), period="2020", actor=None
    )
    html = page(client.get("/organisations/home-office"))
    assert "The 2020 assessment has 1 open improvement action." in _text(html)
    [carried] = [a for r in later.ratings for a in r.actions]
    actions.set_status(
        assessment=later, action_id=carried.id, status=carried.status.DONE, actor=None
    )
    html = page(client.get("/organisations/home-office"))
    assert "The 2020 assessment has no open improvement actions (1 done)." in _text(html)
    assert html.select_one("#overdue-count") is None


def test_the_status_question_is_asked_in_words(client, setting):
    _, made, action = setting
    html = page(client.get(_edit_url(made, action)))
    legend = html.select_one("input[name=status]").find_parent("fieldset").legend
    assert _text(legend) == "Is it done?"
    labels = [_text(label) for label in html.select("label.govuk-radios__label")]
    assert labels == ["Not yet: it is open", "Yes: it is done"]
