"""Guided scoring, through the pages: tick the criteria met, see the level they suggest,
choose another level only with a reason; the criteria then show wherever answers do."""

from __future__ import annotations

import pytest
from flask import Flask

from maturity.data import assessments, frameworks
from maturity.domain.assessment_rules import ProblemsFound
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Framework
from tests import factories
from tests.conftest import page, sign_in

SLUG = "border-agency"


def _setting(criteria: int = 2, name: str = "Border Agency") -> tuple[Framework, Assessment]:
    body = factories.organisation(name=name)
    framework = factories.framework(domains=2, levels=4, criteria=criteria)
    frameworks.enable(organisation=body, key=framework.key, actor=None)
    made = assessments.start(organisation=body, framework=framework, period="2018", actor=None)
    return framework, made


def _ids(framework: Framework, domain: int, level: int) -> list[str]:
    descriptor = framework.domains[domain - 1].descriptors[level - 1]
    return [str(criterion.id) for criterion in descriptor.criteria]


def _url(made: Assessment, domain: str = "domain-1") -> str:
    return f"/organisations/{made.organisation.slug}/assessments/{made.id}/domains/{domain}"


def _texts(html, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [element.get_text(" ", strip=True) for element in html.select(selector)]


def test_ticked_criteria_suggest_a_level_and_a_different_level_needs_a_reason(
    app: Flask,
) -> None:
    framework, made = _setting()
    person = factories.member(of=made.organisation, role=MembershipRole.APPROVER)
    client = app.test_client()
    sign_in(client, person.email)

    html = page(client.get(_url(made)))
    assert _texts(html, ".app-criteria legend") == [
        f"{level.number} {level.name}" for level in framework.levels
    ]
    assert "Domain 1 level 3 criterion 2" in _texts(html, ".app-criteria label")
    suggestion = html.select_one("#suggestion").get_text(" ", strip=True)
    assert suggestion.startswith("Suggested level: Not yet at Level 1")
    assert "the highest level whose criteria are all met" in suggestion
    assert "this service's own, not the National Audit Office's" in suggestion
    assert html.select_one("script[src$='js/guided.js']") is not None

    # Without JavaScript: save, and the page comes back with the suggestion worked out.
    ticked = _ids(framework, 1, 1) + _ids(framework, 1, 2) + _ids(framework, 1, 3)[:1]
    version = html.select_one("input[name=version]")["value"]
    response = client.post(
        _url(made), data={"criteria": ticked, "version": version, "suggest": "y"}
    )
    assert response.headers["Location"].endswith(f"{_url(made)}#suggestion")
    html = page(client.get(_url(made)))
    assert html.select_one("#suggested-level-name").get_text(strip=True) == "Level 2"
    checked = [box["value"] for box in html.select("input[name=criteria][checked]")]
    assert checked == ticked

    # Choosing Level 3 instead: the reason is asked for, at its field.
    answers = {
        "criteria": ticked,
        "level": "3",
        "evidence": "Board papers",
        "version": html.select_one("input[name=version]")["value"],
    }
    html = page(client.post(_url(made), data={**answers, "save_and_continue": "y"}))
    message = "Enter why the level differs from the suggested level (Level 2)"
    assert [(a.get_text(strip=True), a["href"]) for a in html.select(".govuk-error-summary a")] == [
        (message, "#level_differs_reason")
    ]
    assert message in html.select_one("#level_differs_reason-error").get_text()
    answers["level_differs_reason"] = "The third criterion is met in all but name"
    response = client.post(_url(made), data={**answers, "save_and_continue": "y"})
    assert response.headers["Location"].endswith(_url(made, "domain-2"))

    # Check answers, history and the approver's review show what was ticked and why.
    overview = f"/organisations/{SLUG}/assessments/{made.id}"
    for address in (f"{overview}/check", f"{overview}/history"):
        text = page(client.get(address)).get_text(" ", strip=True)
        assert "Criteria met" in text
        assert "Domain 1 level 3 criterion 1" in text
        assert "The third criterion is met in all but name" in text
    db.session.expire_all()  # the pages saved it since
    for domain in framework.domains[1:]:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=0,
            evidence="",
            reason_for_change="",
            ambition=None,
            criteria=[],
            actor=None,
        )
    assessments.submit(assessment=made, actor=None)
    review = page(client.get(f"{overview}/review")).get_text(" ", strip=True)
    assert "Level 2: Domain 1 level 2 criterion 2" in review
    assert "None ticked" in review


def test_the_data_layer_enforces_the_reason_and_the_domains_own_criteria(app: Flask) -> None:
    framework, made = _setting()
    answers = {
        "assessment": made,
        "domain_key": "domain-1",
        "evidence": "",
        "reason_for_change": "",
        "ambition": None,
        "actor": None,
    }
    with pytest.raises(ProblemsFound) as found:
        assessments.save_rating(
            **answers, level=1, criteria=[int(i) for i in _ids(framework, 1, 2)], complete=True
        )
    assert [p.field for p in found.value.problems] == ["level_differs_reason"]
    other_domains = [int(i) for i in _ids(framework, 2, 1)]
    with pytest.raises(DomainError) as refused:
        assessments.save_rating(**answers, level=0, criteria=other_domains)
    assert refused.value.field == "criteria"
    saved = assessments.save_rating(
        **answers, level=1, criteria=[int(i) for i in _ids(framework, 1, 1)], complete=True
    )
    assert [str(c.id) for c in saved.criteria] == _ids(framework, 1, 1)


def test_a_framework_without_criteria_is_scored_as_before(app: Flask) -> None:
    _, made = _setting(criteria=0)
    person = factories.member(of=made.organisation)
    client = app.test_client()
    sign_in(client, person.email)
    html = page(client.get(_url(made)))
    assert html.select_one("#suggestion") is None
    assert html.select_one("textarea#level_differs_reason") is None
    assert html.select_one("script[src$='js/guided.js']") is None


def test_the_domain_page_does_not_query_per_criterion(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for criteria in (1, 4):
        _, made = _setting(criteria=criteria, name=f"Body with {criteria}")
        person = factories.member(of=made.organisation)
        client = app.test_client()
        sign_in(client, person.email)
        url = _url(made)
        client.get(url)
        counts.append(count_queries(lambda: client.get(url)))  # noqa: B023
    assert counts[0] == counts[1]


def test_criteria_met_are_carried_forward_on_the_same_version(app: Flask) -> None:
    framework, made = _setting()
    met = [int(i) for i in _ids(framework, 1, 1)]
    for domain in framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=1 if domain.key == "domain-1" else 0,
            evidence="",
            reason_for_change="",
            ambition=None,
            criteria=met if domain.key == "domain-1" else [],
            actor=None,
            complete=True,
        )
    assessments.submit(assessment=made, actor=None)
    made.status = AssessmentStatus.APPROVED
    db.session.commit()
    following = assessments.start(
        organisation=made.organisation, framework=framework, period="2019", actor=None
    )
    first = following.ordered_ratings[0]
    assert [c.id for c in first.criteria] == met
    assert first.level == 1 and first.carried_forward
