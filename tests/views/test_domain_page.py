"""A domain's question page: what it shows, the rules it enforces, and refusals when locked."""

import pytest

from maturity.data import assessments, frameworks
from maturity.domain.assessment_rules import ProblemsFound
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import page, sign_in

DEV, REP, USE = "developing-a-framework", "reporting-performance-information", "using-the-framework"
AMBITION_MESSAGE = "Enter why the ambition is below the level reached, or choose a higher ambition"


@pytest.fixture
def body(client):
    body = factories.organisation(name="Home Office")
    sign_in(client, factories.member(of=body, role=MembershipRole.ASSESSOR).email)
    return body


def _draft(body, period="2019"):
    return assessments.start(
        organisation=body, framework=frameworks.current(), period=period, actor=None
    )


def _url(made, key=DEV):
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


def test_without_a_previous_period_there_is_nothing_to_explain(client, body):
    made = _draft(body)
    html = page(client.get(_url(made)))
    assert html.select_one("#previous-level") is None
    assert html.select_one("#carried-forward") is None
    assert html.select_one("#approver-comments") is None
    response = client.post(_url(made), data={"level": "4", "save_and_continue": "y"})
    assert response.status_code == 302


def test_every_broken_rule_is_shown_at_once_in_the_summary_and_at_its_field(client, body):
    factories.assessment(of=body, period="2018", levels={DEV: 2})
    made = _draft(body)
    html = page(client.get(_url(made)))
    assert (
        "Needed if the level is not Functioning, the level in 2018"
        in html.select_one("#reason_for_change-hint").get_text()
    )
    typed = {"level": "4", "ambition": "3", "evidence": "Typed", "save_and_continue": "y"}
    html = page(client.post(_url(made), data=typed))
    reason = "Enter the reason the level changed from Functioning"
    assert _errors(html) == (
        [(reason, "#reason_for_change"), (AMBITION_MESSAGE, "#ambition_reason")],
        {"reason_for_change-error": reason, "ambition_reason-error": AMBITION_MESSAGE},
    )
    assert html.title.get_text().startswith("Error:")
    assert html.select_one("textarea#evidence").get_text() == "Typed"
    assert html.select_one("input[name=level][value='4']").has_attr("checked")
    db.session.expire_all()
    assert made.ordered_ratings[0].level is None  # nothing saved


def test_the_data_layer_enforces_the_rules_too(client, body):
    factories.assessment(of=body, period="2018", levels={DEV: 2})
    made = _draft(body)
    with pytest.raises(ProblemsFound) as refused:
        assessments.save_rating(
            assessment=made,
            domain_key=DEV,
            level=3,
            evidence="",
            reason_for_change=" ",
            ambition=1,
            actor=None,
            complete=True,
        )
    assert [p.field for p in refused.value.problems] == ["reason_for_change", "ambition_reason"]
    assert refused.value.field == "reason_for_change"


def test_a_draft_may_break_the_rules_but_cannot_be_submitted(client, body):
    factories.assessment(of=body, period="2018", levels={DEV: 2})
    made = _draft(body)
    for key in (DEV, REP, USE):
        response = client.post(_url(made, key), data={"level": "3", "save_draft": "y"})
        assert response.status_code == 302
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}"))
    statuses = [s.get_text(strip=True) for s in html.select(".govuk-task-list__status")]
    assert statuses == ["In progress", "In progress", "In progress"]
    html = page(client.post(f"/organisations/home-office/assessments/{made.id}/check"))
    assert "Complete every domain before you submit" in (
        html.select_one(".govuk-error-summary").get_text()
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.DRAFT


def test_the_approvers_comments_are_shown_on_the_domain(client, body):
    made = _draft(body)
    made.ordered_ratings[0].review_comment = "Say which board papers"
    db.session.commit()
    html = page(client.get(_url(made)))
    comments = html.select_one("#approver-comments").get_text(" ", strip=True)
    assert comments == "Comments from the approver Say which board papers"
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}"))
    assert "The approver has commented" in html.select(".govuk-task-list__item")[0].get_text()


@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED])
def test_a_locked_assessment_refuses_every_edit_in_words(client, body, status):
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT)
    action = factories.improvement_action(assessment=made, domain_key=DEV)
    made.status = status
    db.session.commit()
    locked = f"The 2018 assessment has been {status.value} and can no longer be changed"

    assert client.get(_url(made)).status_code == 302
    for data in (
        {"level": "5", "save_and_continue": "y"},
        {"level": "5", "save_draft": "y"},
        {"level": "1", "remove_action": str(action.id)},
        {"level": "1", "add_action": "y"},
    ):
        response = client.post(_url(made), data=data)
        assert response.status_code == 200
        assert page(response).select_one(".govuk-error-summary a").get_text(strip=True) == locked
    response = client.post(_url(made) + "/actions/new", data={"what": "Late", "owner": "Me"})
    assert response.status_code == 200
    assert locked in page(response).select_one(".govuk-error-summary").get_text()
    assert client.get(_url(made) + "/actions/new").status_code == 302
    response = client.post(f"/organisations/home-office/assessments/{made.id}/check")
    assert response.status_code == 200
    assert page(response).select_one(".govuk-error-summary")
    db.session.expire_all()
    assert made.status == status
    assert [r.level for r in made.ordered_ratings] == [1, 1, 1]
    assert [a.what for a in made.ordered_ratings[0].actions] == [action.what]


def _page_queries(client, count_queries, made, url):
    client.get(url)  # warm: the first request loads the framework
    return count_queries(lambda: client.get(url))


@pytest.mark.parametrize("page_of", ["overview", "domain", "check", "history"])
def test_pages_do_not_query_per_action_or_change(client, body, count_queries, page_of):
    few = _draft(body, "2018")
    many = _draft(body, "2019")
    factories.improvement_action(assessment=few, domain_key=DEV)
    for key in (DEV, REP, USE):
        for number in range(4):
            factories.improvement_action(assessment=many, domain_key=key, what=f"Do {number}")
    urls = {
        "overview": "/organisations/home-office/assessments/{}",
        "domain": "/organisations/home-office/assessments/{}/domains/" + DEV,
        "check": "/organisations/home-office/assessments/{}/check",
        "history": "/organisations/home-office/assessments/{}/history",
    }
    one = _page_queries(client, count_queries, few, urls[page_of].format(few.id))
    twelve = _page_queries(client, count_queries, many, urls[page_of].format(many.id))
    assert one == twelve, (one, twelve)


def test_an_ambition_of_zero_from_an_import_is_shown_and_kept_when_saving(client, body):
    made = factories.assessment(
        of=body,
        period="2019",
        levels={DEV: 0, REP: 2},
        ambition={DEV: 0, REP: 3},
        status=AssessmentStatus.DRAFT,
        evidence="Starting out",
    )
    html = page(client.get(_url(made)))
    zero = html.select_one("input[name=ambition][value='0']")
    assert zero is not None and zero.has_attr("checked")
    version = html.select_one("input[name=version]")["value"]
    response = client.post(
        _url(made),
        data={
            "level": "0",
            "ambition": "0",
            "evidence": "Starting out, with a plan",
            "version": version,
            "save_draft": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    rating = next(r for r in made.ratings if r.domain.key == DEV)
    assert (rating.evidence, rating.ambition) == ("Starting out, with a plan", 0)
    # Elsewhere a target below the first level is not offered.
    other = page(client.get(_url(made, REP)))
    assert other.select_one("input[name=ambition][value='0']") is None
    assert [i["value"] for i in other.select("input[name=ambition]")] == ["1", "2", "3", "4", "5"]


def test_an_ambition_of_zero_saved_over_someone_elses_change_is_a_conflict(client, body):
    made = factories.assessment(
        of=body,
        period="2019",
        levels={DEV: 0},
        ambition={DEV: 0},
        status=AssessmentStatus.DRAFT,
        evidence="Starting out",
    )
    version = page(client.get(_url(made))).select_one("input[name=version]")["value"]
    assessments.save_rating(  # someone else sets a target meanwhile
        assessment=made,
        domain_key=DEV,
        level=0,
        evidence="Starting out",
        reason_for_change="",
        ambition=3,
        actor=None,
    )
    data = {"level": "0", "ambition": "0", "evidence": "Mine", "version": version}
    html = page(client.post(_url(made), data={**data, "save_draft": "y"}))
    assert "Someone else saved" in html.select_one(".govuk-error-summary").get_text()
    # What this person chose is still on the form, the 0 among the ambitions.
    assert html.select_one("input[name=ambition][value='0']").has_attr("checked")
    db.session.expire_all()
    assert next(r for r in made.ratings if r.domain.key == DEV).ambition == 3
