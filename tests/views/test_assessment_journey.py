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


def test_the_whole_journey_from_period_to_chart(client):
    body = _signed_in_assessor(client)
    factories.assessment(of=body, period="2017", levels={"developing-a-framework": 2})
    framework = frameworks.current()

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
    assert tasks == [f"{d.name} Not started" for d in framework.domains]

    first = framework.domains[0]
    domain_url = link(html, first.name)["href"]
    html = page(client.get(domain_url))
    legend = html.select_one("legend h1").get_text(" ", strip=True)
    assert first.name in legend
    hints = [
        h.get_text(strip=True)
        for h in html.select("#level-fieldset .govuk-radios__hint, .govuk-radios__hint")
    ]
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

    # Answer every domain; "Save and continue" walks to the next, then to check answers.
    next_url = domain_url
    for number, domain in enumerate(framework.domains, start=1):
        version = page(client.get(next_url)).select_one("input[name=version]")["value"]
        response = client.post(
            next_url,
            data={
                "level": str(min(number + 1, framework.top_level)),
                "evidence": f"Evidence for {domain.name}",
                "ambition": str(framework.top_level - 1),
                "version": version,
                "save_and_continue": "y",
            },
        )
        assert response.status_code == 302, page(response).get_text()
        next_url = response.headers["Location"]
    assert next_url.endswith("/check")

    html = page(client.get(next_url))
    assert html.h1.get_text(strip=True) == "Check your answers before submitting the assessment"
    cards = html.select(".govuk-summary-card")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        d.name for d in framework.domains
    ]
    assert "Functioning" in cards[0].get_text()

    response = client.post(next_url, follow_redirects=True)
    html = page(response)
    assert html.select_one(".govuk-panel__title").get_text(strip=True) == "Assessment submitted"

    html = page(client.get("/organisations/home-office"))
    svg = html.select_one("figure svg")
    assert svg is not None and svg.find("title").get_text() == "Maturity of performance measurement"
    headers = [th.get_text(strip=True) for th in html.select("table")[0].select("thead th")]
    assert headers == ["Domain", "2017", "2018", "Ambition"]
    first_row = [
        td.get_text(strip=True) for td in html.select("table")[0].select("tbody tr")[0].select("td")
    ]
    assert first_row == [
        "Functioning (2)",
        "Functioning (2)",
        f"{framework.levels[-2].name} ({framework.top_level - 1})",
    ]
    statuses = [t.get_text(strip=True) for t in html.select(".govuk-tag")]
    assert statuses == ["Submitted", "Submitted"]


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
