"""The main journey, through the pages, on frameworks of other shapes than the NAO's.

A body with the NAO framework and a 4-by-4 or 7-by-6 framework enabled starts an assessment
on the other one, fills in every domain, checks and submits; an approver approves; then
every page, chart, export, import and the PDF shows that framework's domains and levels.
"""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from maturity.data import assessments, framework_choice, frameworks, imports
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus, Framework, Organisation
from tests import factories
from tests.conftest import download, link, page, sign_in
from tests.reports.test_pdf import all_text

SHAPES = [pytest.param(4, 4, id="4-domains-4-levels"), pytest.param(7, 6, id="7-domains-6-levels")]


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def _texts(html, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [element.get_text(" ", strip=True) for element in html.select(selector)]


def _level(position: int, framework: Framework) -> int:
    """The level the journey gives domain ``position``: every level gets used."""
    return (position - 1) % framework.top_level + 1


def _setting(app: Flask, domains: int, levels: int):  # type: ignore[no-untyped-def]
    department = factories.organisation(name="Department for Tests")
    body = factories.organisation(name="Border Agency", parent=department)
    framework = factories.framework(domains=domains, levels=levels)
    frameworks.enable(organisation=body, key=framework.key, actor=None)
    # Last year, approved: this year starts from it and is measured against it.
    factories.assessment(
        of=body, period="2017", framework=framework, status=AssessmentStatus.APPROVED
    )
    people = {
        role: factories.member(of=body, role=role, email=f"{role.value}@example.org")
        for role in MembershipRole
    }
    overseer = factories.member(of=department, role=MembershipRole.VIEWER)
    return body, framework, people, overseer


def _fill_in(client: FlaskClient, body: Organisation, framework: Framework) -> str:
    """Start the 2018 assessment on ``framework`` and answer every domain; the overview's
    address."""
    html = page(client.get("/organisations/border-agency"))
    start = link(html, "Start a new assessment")["href"]
    html = page(client.get(start))
    # Two frameworks are enabled for the body, so the page asks which; the NAO's first.
    assert _texts(html, ".govuk-radios__label") == [frameworks.current().name, framework.name]
    html = page(client.post(start, data={"period": "2018"}))
    assert _texts(html, ".govuk-error-summary__list a") == ["Select the framework"]
    response = client.post(start, data={"period": "2018", "framework": framework.key})
    assert response.status_code == 302
    overview = response.headers["Location"]

    html = page(client.get(overview))
    tasks = _texts(html, ".govuk-task-list__name-and-hint a")
    assert tasks == [d.name for d in framework.domains]
    url = link(html, framework.domains[0].name)["href"]
    for domain in framework.domains:
        assert url.endswith(f"/domains/{domain.key}")
        html = page(client.get(url))
        assert html.h1.get_text(strip=True) == domain.name
        labels = _texts(html, ".govuk-radios__label")
        for level in framework.levels:
            assert f"{level.number} {level.name}" in labels
        assert f"Not yet at '{framework.levels[0].name}'" in labels
        hints = _texts(html, ".govuk-radios__hint")
        assert [d.text for d in domain.descriptors] == hints[: framework.top_level]
        assert html.select_one("#previous-level").get_text(strip=True) == (
            f"In 2017 the level was {framework.levels[0].name}"
        )
        response = client.post(
            url,
            data={
                "level": str(_level(domain.position, framework)),
                "evidence": f"Evidence for {domain.name}",
                "reason_for_change": "Reports reach the board",
                "ambition": str(framework.top_level),
                "version": html.select_one("input[name=version]")["value"],
                "save_and_continue": "y",
            },
        )
        assert response.status_code == 302, page(response).select(".govuk-error-message")
        url = response.headers["Location"]
    assert url.endswith("/check")
    return overview


@pytest.mark.parametrize(("domains", "levels"), SHAPES)
def test_the_main_journey_works_on_a_framework_of_another_shape(
    app: Flask, domains: int, levels: int
) -> None:
    body, framework, people, overseer = _setting(app, domains, levels)
    top = framework.levels[-1].name
    assessor = _client(app, people[MembershipRole.ASSESSOR].email)
    overview = _fill_in(assessor, body, framework)

    # Check answers shows each domain's level by name; submitting sends it for approval.
    check = overview + "/check"
    html = page(assessor.get(check))
    text = html.get_text(" ", strip=True)
    for domain in framework.domains:
        assert domain.name in text
    assert framework.level_name(_level(domains, framework)) in text
    response = assessor.post(check)
    assert response.headers["Location"].endswith("/submitted")

    # The approver reviews (each domain and level by name) and approves.
    approver = _client(app, people[MembershipRole.APPROVER].email)
    review = overview + "/review"
    html = page(approver.get(review))
    text = html.get_text(" ", strip=True)
    assert all(domain.name in text for domain in framework.domains)
    assert framework.level_name(2) in text
    response = approver.post(overview + "/approve", follow_redirects=True)
    assert page(response).select_one(".govuk-panel__title").get_text(strip=True) == (
        "Assessment approved"
    )

    # History: the saved changes name the domains and the levels.
    html = page(approver.get(overview + "/history"))
    history = html.select_one("#history").get_text(" ", strip=True)
    assert framework.domains[-1].name in history
    assert framework.level_name(2) in history

    viewer = _client(app, people[MembershipRole.VIEWER].email)
    # The organisation's page: this framework (its most recently used), by its words.
    html = page(viewer.get("/organisations/border-agency"))
    assert html.select_one("h2.govuk-heading-m").get_text(strip=True) == framework.figure_title
    rows = [_texts(row, "th, td") for row in html.select("table")[0].select("tr")]
    assert rows[0][:3] == ["Domain", "2017", "2018"]
    assert [row[0] for row in rows[1:]] == [d.name for d in framework.domains]
    assert rows[-1][2].startswith(framework.level_name(_level(domains, framework)))
    svg = html.select_one("figure svg").get_text(" ", strip=True)
    assert top in svg and framework.domains[-1].name in svg
    # It offers the NAO framework too, enabled for the body; that page is empty.
    switch = link(html, f"Show {frameworks.current().name} instead")
    assert switch is not None
    other = page(viewer.get(switch["href"]))
    assert "No assessment has been submitted yet" in other.get_text()

    # Progress over the years, and the two periods compared, domain by domain.
    html = page(viewer.get("/organisations/border-agency/progress"))
    table = html.select_one("#progress-table")
    assert _texts(table, "tbody th") == [d.name for d in framework.domains]
    assert f"{framework.level_name(2)} (2)" in table.get_text(" ", strip=True)
    html = page(viewer.get("/organisations/border-agency/compare"))
    assert html.select_one("h2.govuk-heading-m").get_text(strip=True) == ("2017 compared with 2018")
    cards = html.select(".govuk-summary-card")
    assert [card.h3.get_text(strip=True) for card in cards] == [d.name for d in framework.domains]
    assert "Up 1 level" in cards[1].get_text(" ", strip=True)
    assert not html.select(".app-wording-change")  # one version throughout

    # The body overseeing it sees it side by side on this framework.
    overseeing = _client(app, overseer.email)
    html = page(
        overseeing.get(f"/organisations/department-for-tests/oversight?framework={framework.key}")
    )
    text = html.get_text(" ", strip=True)
    assert "Border Agency" in text
    assert all(domain.name in text for domain in framework.domains)
    assert f"{top} ({levels})" in text

    # The PDF report: this framework's domains and levels.
    response = download(viewer, "/organisations/border-agency/report.pdf")
    assert response.status_code == 200
    pdf_text = all_text(response.data)
    assert framework.domains[-1].name in pdf_text
    assert top in pdf_text

    # CSV out and back in: the export names this framework's domains; the same rows for
    # 2019 import through the page (which says which framework) and chart straight away.
    exported = viewer.get("/organisations/border-agency/ratings.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["domain"] for row in rows if row["period"] == "2018"] == [
        d.key for d in framework.domains
    ]
    assert framework_choice.framework_for_file(data=exported).key == framework.key
    new_year = exported.replace(",2018,", ",2019,")
    html = page(assessor.get("/organisations/border-agency/import"))
    assert (
        html.select_one("#import-framework")
        .get_text(" ", strip=True)
        .startswith(f"The ratings are imported to {framework.name}.")
    )
    html = page(
        assessor.post(
            "/organisations/border-agency/import",
            data={"file": (io.BytesIO(new_year.encode()), "ratings.csv")},
            content_type="multipart/form-data",
        )
    )
    confirm = {
        field["name"]: field.get("value", "") for field in html.select("form input[type=hidden]")
    }
    response = assessor.post("/organisations/border-agency/import/confirm", data=confirm)
    assert response.status_code == 302
    html = page(viewer.get(response.headers["Location"]))
    rows = [_texts(row, "th, td") for row in html.select("table")[0].select("tr")]
    assert rows[0][:4] == ["Domain", "2017", "2018", "2019 (submitted, not yet approved)"]
    assert [row[3] for row in rows[1:]] == [row[2] for row in rows[1:]]
    assert viewer.get("/organisations/border-agency/ratings.xlsx").status_code == 200


def test_a_file_goes_to_the_framework_whose_domains_it_names_and_ambiguity_is_refused(
    app: Flask,
) -> None:
    body = factories.organisation(name="Border Agency")
    framework = factories.framework(domains=4, levels=4)
    frameworks.enable(organisation=body, key=framework.key, actor=None)
    header = "organisation,period,domain,level,ambition,evidence\n"
    ours = header + "Border Agency,2018,domain-4,Level 4,,Minutes\n"
    nao = header + "border-agency,2018,using-the-framework,Enabling,,Minutes\n"
    assert framework_choice.framework_for_file(data=ours).key == framework.key
    assert framework_choice.framework_for_file(data=nao).key == frameworks.current().key

    summary = imports.import_csv(data=ours)
    assert summary.assessments_started == 1
    (made,) = assessments.for_organisation(organisation=body)
    assert made.framework.key == framework.key
    assert [(r.domain.key, r.level) for r in made.ordered_ratings][-1] == ("domain-4", 4)

    # A second framework with the same domain keys: the file fits both, so it is refused.
    twin = factories.framework(domains=4, levels=5, name="Another test framework")
    frameworks.enable(organisation=body, key=twin.key, actor=None)
    with pytest.raises(DomainError) as refused:
        imports.import_csv(data=ours.replace("2018", "2019"))
    assert "fit more than one framework" in refused.value.message
    assert framework.name in refused.value.message and twin.name in refused.value.message
    assert len(assessments.for_organisation(organisation=body)) == 1
