"""An organisation's progress over chosen periods, and two periods compared."""

from __future__ import annotations

import pytest

from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import download, link, page, sign_in

DEV, REP, USE = "developing-a-framework", "reporting-performance-information", "using-the-framework"


def _history(body):  # type: ignore[no-untyped-def]
    rows = {
        "2014": {DEV: 1, REP: 1, USE: 1},
        "2015": {DEV: 1, REP: 2, USE: 1},
        "2016": {DEV: 3, REP: 2, USE: 1},
        "2017": {DEV: 2, REP: 2, USE: 1},
    }
    made = {}
    for period, levels in rows.items():
        made[period] = factories.assessment(
            of=body,
            period=period,
            levels=levels,
            ambition={DEV: 4, REP: 2, USE: 3},
            status=AssessmentStatus.APPROVED,
            evidence=f"Evidence written in {period}",
        )
    return made


@pytest.fixture
def body():  # type: ignore[no-untyped-def]
    return factories.organisation()


@pytest.fixture
def viewer(client, body):  # type: ignore[no-untyped-def]
    person = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, person.email)
    return person


def _cells(html, domain_name):  # type: ignore[no-untyped-def]
    for row in html.select("#progress-table tbody tr"):
        if row.th.get_text(strip=True) == domain_name:
            return [td.get_text(" ", strip=True) for td in row.find_all("td")]
    raise AssertionError(domain_name)


def test_a_viewer_sees_progress_with_changes_gaps_and_periods_at_level(client, body, viewer):  # type: ignore[no-untyped-def]
    _history(body)
    response = client.get(f"/organisations/{body.slug}/progress")
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("figure.app-chart svg") is not None
    developing = _cells(html, "Developing a framework")
    assert developing[0] == "Existing (1)"
    assert developing[2].startswith("Enabling (3)") and "up 2 levels from 2015" in developing[2]
    assert "down 1 level from 2016" in developing[3]
    assert developing[-2:] == ["2 levels below ambition", "1"]
    reporting = _cells(html, "Reporting performance information")
    assert "same level from 2016" in reporting[3]
    assert reporting[-2:] == ["At ambition", "3"]
    assert _cells(html, "Using the framework")[-2:] == ["2 levels below ambition", "4"]
    summary = html.select_one("#progress-summary").get_text(" ", strip=True)
    assert (
        "Developing a framework fell from Enabling to Functioning between 2016 and 2017." in summary
    )
    assert "Using the framework has been at Existing since 2014." in summary
    pdf = link(html, "Download PDF for these periods")
    assert pdf["href"] == f"/organisations/{body.slug}/report.pdf"


def test_choosing_the_periods_shown(client, body, viewer):  # type: ignore[no-untyped-def]
    _history(body)
    html = page(client.get(f"/organisations/{body.slug}/progress?from=2015&to=2016"))
    headers = [th.get_text(" ", strip=True) for th in html.select("#progress-table thead th")]
    assert headers == ["Domain", "2015", "2016", "Gap to ambition", "Periods at this level"]
    assert html.select_one("#from option[selected]")["value"] == "2015"
    pdf = link(html, "Download PDF for these periods")
    assert "from=2015" in pdf["href"] and "to=2016" in pdf["href"]
    assert download(client, pdf["href"]).mimetype == "application/pdf"
    # The first period shown has no change marked: its previous period is not shown.
    assert "from 2014" not in html.select_one("#progress-table").get_text()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=1999", "from", "Choose a period to start from, from the list"),
        ("to=nonsense", "to", "Choose a period to end with, from the list"),
        ("from=2017&to=2015", "to", "Choose a period to end with that is 2017 or later"),
        ("from=" + "9" * 5000, "from", "Choose a period to start from, from the list"),
    ],
)
def test_bad_periods_are_shown_at_the_field(client, body, viewer, query, field, message):  # type: ignore[no-untyped-def]
    _history(body)
    response = client.get(f"/organisations/{body.slug}/progress?{query}")
    assert response.status_code == 400
    html = page(response)
    assert html.title.get_text().startswith("Error:")
    summary = html.select_one(".govuk-error-summary")
    assert summary.find("a", href=f"#{field}").get_text(strip=True) == message
    assert message in html.select_one(f"#{field}-error").get_text()
    assert html.select_one("#progress-table") is None


def test_an_organisation_with_nothing_submitted(client, body, viewer):  # type: ignore[no-untyped-def]
    factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT)
    response = client.get(f"/organisations/{body.slug}/progress")
    assert response.status_code == 200
    assert "No assessment has been submitted yet" in response.get_data(as_text=True)
    compared = client.get(f"/organisations/{body.slug}/compare")
    assert compared.status_code == 200
    assert "at least two assessments" in compared.get_data(as_text=True)


@pytest.mark.parametrize("path", ["progress", "compare"])
def test_another_organisations_person_gets_not_found(client, body, path):  # type: ignore[no-untyped-def]
    _history(body)
    other = factories.organisation()
    outsider = factories.member(of=other, role=MembershipRole.APPROVER)
    sign_in(client, outsider.email)
    assert client.get(f"/organisations/{body.slug}/{path}").status_code == 404


def test_the_organisation_page_links_and_summarises(client, body, viewer):  # type: ignore[no-untyped-def]
    _history(body)
    html = page(client.get(f"/organisations/{body.slug}"))
    assert (
        link(html, "See progress over the years")["href"] == f"/organisations/{body.slug}/progress"
    )
    assert link(html, "Compare two periods")["href"] == f"/organisations/{body.slug}/compare"
    assert "has been at Existing since 2014" in html.select_one("#progress-summary").get_text()
    chooser = html.select_one("form.app-period-chooser")
    assert chooser["action"] == f"/organisations/{body.slug}/progress"
    assert [o["value"] for o in chooser.select("#from option")] == [
        "",
        "2014",
        "2015",
        "2016",
        "2017",
    ]


def test_comparing_two_periods(client, body, viewer):  # type: ignore[no-untyped-def]
    made = _history(body)
    for period, text in (("2015", "Built the framework"), ("2016", "Used it everywhere")):
        rating = next(r for r in made[period].ratings if r.domain.key == DEV)
        rating.reason_for_change = text
    rating = next(r for r in made["2014"].ratings if r.domain.key == DEV)
    rating.reason_for_change = "Before the first period: not shown"
    db.session.commit()
    response = client.get(f"/organisations/{body.slug}/compare?a=2014&b=2016")
    assert response.status_code == 200
    html = page(response)
    card = html.select_one(f"#domain-{DEV}")
    text = card.get_text(" ", strip=True)
    assert "Existing (1)" in text and "Enabling (3)" in text
    assert "Up 2 levels" in text
    assert "2015: Built the framework" in text and "2016: Used it everywhere" in text
    assert "not shown" not in text
    assert "Evidence written in 2014" in text and "Evidence written in 2016" in text
    assert "Same level" in html.select_one(f"#domain-{USE}").get_text()


def test_comparing_defaults_to_the_latest_two(client, body, viewer):  # type: ignore[no-untyped-def]
    _history(body)
    html = page(client.get(f"/organisations/{body.slug}/compare"))
    assert html.h2.get_text(strip=True) == "2016 compared with 2017"
    assert html.select_one("#a option[selected]")["value"] == "2016"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("a=2016&b=2016", "b", "Choose two different periods"),
        ("a=1990&b=2016", "a", "Choose the first period to compare, from the list"),
        ("a=2016&b=", "b", "Choose the second period to compare, from the list"),
        ("a=2017&b=2015", "b", "Choose a second period later than 2017"),
    ],
)
def test_bad_pairs_are_shown_at_the_field(client, body, viewer, query, field, message):  # type: ignore[no-untyped-def]
    _history(body)
    response = client.get(f"/organisations/{body.slug}/compare?{query}")
    assert response.status_code == 400
    html = page(response)
    assert (
        html.select_one(".govuk-error-summary").find("a", href=f"#{field}").get_text(strip=True)
        == message
    )
    assert message in html.select_one(f"#{field}-error").get_text()
    assert html.select_one(".govuk-summary-card") is None


def _queries(client, count_queries, periods: int, path: str) -> int:  # type: ignore[no-untyped-def]
    body = factories.organisation(name=f"Progress body with {periods} for {path}")
    for year in range(2000, 2000 + periods):
        factories.assessment(
            of=body, period=str(year), levels={DEV: year % 5 + 1}, ambition={USE: 3}
        )
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    url = f"/organisations/{body.slug}/{path}"
    assert client.get(url).status_code == 200  # warm: the first request loads the framework
    count = count_queries(lambda: client.get(url))
    client.post("/sign-out")
    return count


@pytest.mark.parametrize(
    "path", ["progress", "progress?from=2000", "compare", "compare?a=2000&b=2001"]
)
def test_the_pages_do_not_query_per_period(client, count_queries, path):  # type: ignore[no-untyped-def]
    two = _queries(client, count_queries, 2, path)
    twenty = _queries(client, count_queries, 20, path)
    assert two == twenty, (two, twenty)
