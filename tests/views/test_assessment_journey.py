"""An assessor records this year's assessment, as a person would, through the pages."""

from maturity.data import assessments, frameworks
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import link, page, sign_in


def _signed_in_assessor(client, role=MembershipRole.ASSESSOR):
    body = factories.organisation(name="Home Office")
    person = factories.member(of=body, role=role)
    sign_in(client, person.email)
    return body


def _version(html):
    return html.select_one("input[name=version]")["value"]


def _errors(html):
    """The error summary's messages with their links, and the messages at the fields."""
    summary = [
        (a.get_text(strip=True), a["href"]) for a in html.select(".govuk-error-summary__list a")
    ]
    inline = [
        m.get_text(" ", strip=True).removeprefix("Error:").strip()
        for m in html.select(".govuk-error-message")
    ]
    return summary, inline


def test_the_whole_journey_from_period_to_chart(client):
    body = _signed_in_assessor(client)
    factories.assessment(of=body, period="2017", levels={"developing-a-framework": 2})
    framework = frameworks.current()
    first, second, third = framework.domains

    html = page(client.get("/organisations/home-office"))
    assert html.h1.get_text(strip=True) == "Home Office"
    assert html.select_one(".app-illustrative") is None
    start = link(html, "Start a new assessment")
    assert start is not None
    assert link(html, "Download PDF report")

    response = client.post(start["href"], data={"period": "2018"})
    assert response.status_code == 302
    overview_url = response.headers["Location"]
    html = page(client.get(overview_url))
    tasks = [t.get_text(" ", strip=True) for t in html.select(".govuk-task-list__item")]
    # 2017 was submitted, not approved: nothing is carried forward from it.
    assert tasks == [f"{d.name} Not started" for d in framework.domains]
    assert link(html, "View the history of changes")

    domain_url = link(html, first.name)["href"]
    html = page(client.get(domain_url))
    assert html.h1.get_text(" ", strip=True) == first.name
    assert html.select_one("#previous-level").get_text(strip=True) == (
        "In 2017 the level was Functioning"
    )
    hints = [h.get_text(strip=True) for h in html.select(".govuk-radios__hint")]
    for descriptor in first.descriptors:
        assert descriptor.text in hints
    assert html.find("label", string=lambda s: s and "Not yet at 'Existing'" in s)

    # Save a draft half-way and come back: nothing typed is lost.
    response = client.post(domain_url, data={"evidence": "Board minutes, March", "save_draft": "y"})
    assert response.headers["Location"].endswith(overview_url.split("localhost")[-1])
    html = page(client.get(domain_url))
    assert html.select_one("textarea#evidence").get_text() == "Board minutes, March"
    overview = page(client.get(overview_url))
    assert "In progress" in overview.select(".govuk-task-list__item")[0].get_text()

    # The first domain stays at 2017's level, so no reason is needed; on to the second.
    response = client.post(
        domain_url,
        data={
            "level": "2",
            "evidence": "Board minutes, March",
            "ambition": "4",
            "version": _version(html),
            "save_and_continue": "y",
        },
    )
    second_url = response.headers["Location"]
    assert second_url.endswith(f"/domains/{second.key}")

    # The second moves up from 2017's Existing: the reason is required, and says from what.
    html = page(client.get(second_url))
    answers = {"level": "3", "evidence": "Quarterly reports", "version": _version(html)}
    html = page(client.post(second_url, data={**answers, "save_and_continue": "y"}))
    message = "Enter the reason the level changed from Existing"
    assert _errors(html) == ([(message, "#reason_for_change")], [message])
    assert html.select_one("#reason_for_change-error")
    assert html.select_one("textarea#evidence").get_text() == "Quarterly reports"
    answers["reason_for_change"] = "The board now sees reports every quarter"
    response = client.post(second_url, data={**answers, "save_and_continue": "y"})
    third_url = response.headers["Location"]
    assert third_url.endswith(f"/domains/{third.key}")

    # The third aims below the level reached, which needs a reason.
    html = page(client.get(third_url))
    answers = {
        "level": "3",
        "evidence": "Used in planning",
        "reason_for_change": "Managers use it",
        "ambition": "2",
        "version": _version(html),
    }
    html = page(client.post(third_url, data={**answers, "save_and_continue": "y"}))
    message = "Enter why the ambition is below the level reached, or choose a higher ambition"
    assert _errors(html) == ([(message, "#ambition_reason")], [message])

    # Adding an action first saves what was typed, then asks for the action.
    response = client.post(third_url, data={**answers, "add_action": "y"})
    add_url = response.headers["Location"]
    assert add_url.endswith(f"/domains/{third.key}/actions/new")
    html = page(client.get(add_url))
    assert html.h1.get_text(strip=True) == "Add an improvement action"
    response = client.post(
        add_url,
        data={
            "what": "Link the framework to budgets",
            "owner": "Finance Director",
            "due_day": "31",
            "due_month": "3",
            "due_year": "2019",
        },
    )
    assert response.headers["Location"].endswith(f"/domains/{third.key}#actions")
    html = page(client.get(third_url))
    assert html.select_one("textarea#evidence").get_text() == "Used in planning"
    action = html.select_one(".app-action").get_text(" ", strip=True)
    assert "Link the framework to budgets" in action and "31 March 2019" in action

    answers.update(ambition_reason="Resources are moving to delivery", version=_version(html))
    response = client.post(third_url, data={**answers, "save_and_continue": "y"})
    assert response.status_code == 302, page(response).get_text()
    check_url = response.headers["Location"]
    assert check_url.endswith("/check")

    html = page(client.get(overview_url))
    statuses = [s.get_text(strip=True) for s in html.select(".govuk-task-list__status")]
    assert statuses == ["Completed", "Completed", "Completed"]

    html = page(client.get(check_url))
    assert html.h1.get_text(strip=True) == "Check your answers before submitting the assessment"
    cards = html.select(".govuk-summary-card")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        d.name for d in framework.domains
    ]
    assert "Functioning" in cards[0].get_text()
    assert "The board now sees reports every quarter" in cards[1].get_text()
    assert "Resources are moving to delivery" in cards[2].get_text()
    assert "Link the framework to budgets" in cards[2].get_text()

    response = client.post(check_url, follow_redirects=True)
    html = page(response)
    assert html.select_one(".govuk-panel__title").get_text(strip=True) == "Assessment submitted"
    assert "approvers" in html.select_one("main").get_text()

    html = page(client.get("/organisations/home-office"))
    svg = html.select_one("figure svg")
    assert svg is not None and svg.find("title").get_text() == "Maturity of performance measurement"
    headers = [th.get_text(" ", strip=True) for th in html.select("table")[0].select("thead th")]
    assert [h.split(" ")[0] for h in headers] == ["Domain", "2017", "2018", "Ambition"]
    first_row = [
        td.get_text(strip=True) for td in html.select("table")[0].select("tbody tr")[0].select("td")
    ]
    assert first_row == [
        "Functioning (2)",
        "Functioning (2)",
        f"{framework.levels[-2].name} ({framework.top_level - 1})",
    ]
    # The assessments' table, the page's last (the improvement actions' is above it).
    statuses = [t.get_text(strip=True) for t in html.select("main table")[-1].select(".govuk-tag")]
    assert statuses == ["Submitted", "Submitted"]

    # Every save is in the history, newest first.
    html = page(client.get(overview_url + "/history"))
    domains = [
        body.select_one("td:nth-of-type(2)").get_text(strip=True)
        for body in html.select("#history tbody")
    ]
    assert domains[0] == third.name and domains[-1] == first.name


def test_save_and_continue_without_a_level_shows_the_error_in_the_summary_and_at_the_field(client):
    body = _signed_in_assessor(client)
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT, levels={})
    key = made.ordered_ratings[0].domain.key
    url = f"/organisations/home-office/assessments/{made.id}/domains/{key}"
    html = page(client.post(url, data={"evidence": "kept", "save_and_continue": "y", "level": ""}))
    summary = html.select_one(".govuk-error-summary")
    assert summary.select_one("a")["href"] == "#level"
    assert summary.select_one("a").get_text(strip=True) == "Select the level reached"
    assert "Select the level reached" in html.select_one("#level-error").get_text()
    assert html.select_one("textarea#evidence").get_text() == "kept"
    assert html.title.get_text().startswith("Error:")


def test_a_period_that_exists_already_is_an_error_on_the_period_field(client):
    body = _signed_in_assessor(client)
    factories.assessment(of=body, period="2018")
    html = page(client.post("/organisations/home-office/assessments/new", data={"period": "2018"}))
    assert (
        "Home Office already has an assessment for 2018"
        in html.select_one("#period-error").get_text()
    )
    assert html.select_one(".govuk-error-summary a")["href"] == "#period"


def test_a_badly_written_period_is_an_error_on_the_period_field(client):
    _signed_in_assessor(client)
    html = page(
        client.post("/organisations/home-office/assessments/new", data={"period": "2018-20"})
    )
    assert "the second year must follow the first" in html.select_one("#period-error").get_text()


def test_a_submitted_assessment_is_shown_read_only(client):
    body = _signed_in_assessor(client)
    made = factories.assessment(of=body, period="2018", evidence="Published report")
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}"))
    assert "Published report" in html.get_text()
    assert not html.select(".govuk-task-list")
    key = made.ordered_ratings[0].domain.key
    response = client.post(
        f"/organisations/home-office/assessments/{made.id}/domains/{key}",
        data={"level": "5", "evidence": "typed after submission", "save_and_continue": "y"},
    )
    assert response.status_code == 200
    html = page(response)
    assert (
        "has been submitted and can no longer be changed"
        in html.select_one("#level-error").get_text()
    )
    db.session.expire_all()
    assert made.ordered_ratings[0].level == 1


def test_a_save_racing_someone_elses_shows_both_and_then_saves(client):
    body = _signed_in_assessor(client)
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT, levels={})
    key = made.ordered_ratings[0].domain.key
    url = f"/organisations/home-office/assessments/{made.id}/domains/{key}"
    opened = page(client.get(url)).select_one("input[name=version]")["value"]
    assessments.save_rating(
        assessment=made,
        domain_key=key,
        level=2,
        evidence="Their evidence",
        reason_for_change="",
        ambition=None,
        actor=None,
    )
    mine = {"level": "3", "evidence": "My evidence", "version": opened, "save_and_continue": "y"}

    html = page(client.post(url, data=mine))
    assert "Someone else saved" in html.select_one(".govuk-error-summary").get_text()
    assert "Their evidence" in html.select_one("#their-answers").get_text()
    assert html.select_one("textarea#evidence").get_text() == "My evidence"

    # Saving again, having seen theirs, keeps mine.
    mine["version"] = html.select_one("input[name=version]")["value"]
    assert client.post(url, data=mine).status_code == 302
    db.session.expire_all()
    assert (made.ordered_ratings[0].level, made.ordered_ratings[0].evidence) == (3, "My evidence")


def test_tampered_versions_and_ids_are_refused_without_a_crash(client):
    body = _signed_in_assessor(client)
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT, levels={})
    key = made.ordered_ratings[0].domain.key
    url = f"/organisations/home-office/assessments/{made.id}/domains/{key}"
    response = client.post(url, data={"level": "2", "version": "abc", "save_draft": "y"})
    assert response.status_code == 200
    assert page(response).select_one(".govuk-error-summary")
    huge = "/organisations/home-office/assessments/99999999999999999999999"
    assert client.get(huge).status_code == 404


def test_the_confirmation_page_is_only_for_a_submitted_assessment(client):
    body = _signed_in_assessor(client)
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT)
    response = client.get(f"/organisations/home-office/assessments/{made.id}/submitted")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{made.id}")
