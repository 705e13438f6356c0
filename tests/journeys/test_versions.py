"""Periods assessed on different versions of one framework: each assessment keeps its own
version's words, and progress and comparisons match domains by key and say where the
words changed between the periods shown."""

from __future__ import annotations

from flask import Flask

from maturity.data import assessments, frameworks
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Framework, Organisation
from tests import factories
from tests.conftest import page, sign_in

KEY = "test-versioned-framework"


def _setting() -> tuple[Organisation, Framework, Framework]:
    body = factories.organisation(name="Border Agency")
    first = factories.framework(domains=3, levels=4, key=KEY, version=1)
    second = factories.framework(domains=3, levels=4, key=KEY, version=2)
    # Version 2 renames a domain and rewords one descriptor (before anyone used it).
    second.domains[1].name = "Reporting results"
    second.domains[0].descriptors[2].text = "Domain 1 at level 3, reworded."
    db.session.commit()
    frameworks.enable(organisation=body, key=KEY, actor=None)
    factories.assessment(of=body, period="2017", framework=first, levels={"domain-2": 1})
    factories.assessment(of=body, period="2018", framework=second, levels={"domain-2": 3})
    return body, first, second


def _viewer(app: Flask, body: Organisation):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    return client


def _changes(html) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [element.get_text(" ", strip=True) for element in box.select("h3, li")]
        for box in html.select(".app-wording-change")
    ]


EXPECTED = [
    "The framework's wording changed between 2017 (version 1) and 2018 (version 2)",
    "The domain 'Domain 2' is now called 'Reporting results'",
    "The description of 'Domain 1' at level 3 ('Level 3') changed",
]


def test_progress_and_compare_match_domains_by_key_and_say_the_words_changed(app: Flask) -> None:
    body, _, _ = _setting()
    client = _viewer(app, body)

    html = page(client.get("/organisations/border-agency/progress"))
    assert _changes(html) == [EXPECTED]
    table = html.select_one("#progress-table")
    row = next(
        r for r in table.select("tbody tr") if r.th.get_text(strip=True) == "Reporting results"
    )
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[0].startswith("Level 1 (1)")
    assert cells[1].startswith("Level 3 (3)")
    assert "up 2 levels from 2017" in cells[1]

    html = page(client.get("/organisations/border-agency/compare?a=2017&b=2018"))
    assert _changes(html) == [EXPECTED]
    card = html.select_one("#domain-domain-2")
    assert "Up 2 levels" in card.get_text(" ", strip=True)

    # Periods on one version say nothing about wording.
    html = page(client.get("/organisations/border-agency/progress?from=2018&to=2018"))
    assert _changes(html) == []


def test_each_assessment_shows_its_own_versions_words(app: Flask) -> None:
    body, _, _ = _setting()
    client = _viewer(app, body)
    earlier, later = assessments.for_organisation(organisation=body)
    text = page(client.get(f"/organisations/border-agency/assessments/{earlier.id}")).get_text()
    assert "Domain 2" in text and "Reporting results" not in text
    text = page(client.get(f"/organisations/border-agency/assessments/{later.id}")).get_text()
    assert "Reporting results" in text


def test_a_framework_the_organisation_does_not_use_is_not_found(app: Flask) -> None:
    body, _, _ = _setting()
    other = factories.framework(domains=2, levels=3)
    client = _viewer(app, body)
    for page_address in ("", "/progress", "/compare", "/ratings.csv", "/report.pdf"):
        address = f"/organisations/border-agency{page_address}?framework={other.key}"
        assert client.get(address).status_code == 404, address


def test_a_draft_begun_on_another_framework_does_not_hide_the_submitted_history() -> None:
    from maturity.data.framework_choice import framework_to_show
    from maturity.models import AssessmentStatus

    body = factories.organisation(name="Agency with a new model")
    factories.assessment(of=body, period="2018")  # submitted, on the NAO framework
    other = factories.framework(domains=4, levels=4)
    frameworks.enable(organisation=body, key=other.key, actor=None)
    db.session.commit()
    factories.assessment(of=body, period="2019", framework=other, status=AssessmentStatus.DRAFT)

    shown, options = framework_to_show(organisation=body, key=None)

    assert shown.key == frameworks.current().key
    assert {option.key for option in options} == {shown.key, other.key}
    # Once something on the new framework is submitted, it is the one shown first.
    factories.assessment(of=body, period="2020", framework=other)
    assert framework_to_show(organisation=body, key=None)[0].key == other.key
