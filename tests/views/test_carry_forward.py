"""Starting a period from last period's approved assessment: pre-filled, marked, checked."""

from datetime import date

import pytest

from maturity.data import assessments, frameworks
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import ActionStatus, AssessmentStatus
from tests import factories
from tests.conftest import link, page, sign_in

DEV, REP, USE = "developing-a-framework", "reporting-performance-information", "using-the-framework"


@pytest.fixture
def body(client):
    """Home Office, approved for 2017 and 2018 (and 2020, which is later, so never the
    source for 2019), with an assessor signed in."""
    body = factories.organisation(name="Home Office")
    factories.assessment(of=body, period="2017", status=AssessmentStatus.APPROVED)
    made = factories.assessment(
        of=body,
        period="2018",
        levels={DEV: 2, REP: 3, USE: 1},
        ambition={DEV: 4, REP: 2, USE: 3},
        status=AssessmentStatus.DRAFT,
        evidence="2018's evidence",
    )
    factories.improvement_action(
        assessment=made, domain_key=DEV, what="Publish it", due_date=date(2019, 6, 30)
    )
    factories.improvement_action(assessment=made, domain_key=DEV, what="Draft it", done=True)
    ratings = {r.domain.key: r for r in made.ratings}
    ratings[REP].ambition_reason = "Reporting is good enough"
    # The approver judged reporting one level lower than claimed.
    ratings[REP].moderated_level = 2
    ratings[REP].moderated_note = "Reports are late"
    made.status = AssessmentStatus.APPROVED
    db.session.commit()
    factories.assessment(of=body, period="2020", levels={DEV: 5}, status=AssessmentStatus.APPROVED)
    sign_in(client, factories.member(of=body, role=MembershipRole.ASSESSOR).email)
    return body


def _start(client, period="2019"):
    response = client.post("/organisations/home-office/assessments/new", data={"period": period})
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_new_period_opens_pre_filled_from_the_latest_earlier_approved_one(client, body):
    overview_url = _start(client)
    html = page(client.get(overview_url))
    tasks = [t.get_text(" ", strip=True) for t in html.select(".govuk-task-list__item")]
    names = [d.name for d in frameworks.current().domains]
    assert tasks == [
        f"{n} Carried forward from 2018: check and change it Carried forward" for n in names
    ]
    assert (
        "started from the approved 2018 assessment"
        in html.select_one(".govuk-inset-text").get_text()
    )
    assert not link(html, "Check your answers")

    made = assessments.get(organisation=body, assessment_id=int(overview_url.rsplit("/", 1)[1]))
    assert made.carried_forward_from.period == "2018"
    ratings = {r.domain.key: r for r in made.ratings}
    # Judged levels (the approver's moderated one for reporting), ambitions and their reasons.
    assert {k: (r.level, r.ambition) for k, r in ratings.items()} == {
        DEV: (2, 4),
        REP: (2, 2),
        USE: (1, 3),
    }
    assert ratings[REP].ambition_reason == "Reporting is good enough"
    assert all(r.carried_forward for r in made.ratings)
    # This period's evidence and reasons are this period's to write; moderation is not carried.
    assert {(r.evidence, r.reason_for_change, r.moderated_level) for r in made.ratings} == {
        ("", "", None)
    }
    # Only the open action comes along, marked.
    carried = [
        (a.what, a.owner, a.due_date, a.status, a.carried_forward) for a in ratings[DEV].actions
    ]
    assert carried == [
        ("Publish it", "Head of Performance", date(2019, 6, 30), ActionStatus.OPEN, True)
    ]


def test_the_domain_page_says_it_is_carried_forward_until_saved(client, body):
    overview_url = _start(client)
    url = f"{overview_url}/domains/{DEV}"
    html = page(client.get(url))
    assert (
        html.select_one("#carried-forward")
        .get_text(" ", strip=True)
        .endswith("Carried forward from 2018: check and change it")
    )
    assert html.select_one("#previous-level").get_text(strip=True) == (
        "In 2018 the level was Functioning"
    )
    assert html.select_one("input[name=level][value='2']").has_attr("checked")
    assert html.select_one("textarea#evidence").get_text() == ""
    action = html.select_one(".app-action").get_text(" ", strip=True)
    assert "Publish it" in action and "Carried forward From the 2018 assessment" in action

    response = client.post(
        url,
        data={
            "level": "2",
            "ambition": "4",
            "evidence": "2019's evidence",
            "version": html.select_one("input[name=version]")["value"],
            "save_and_continue": "y",
        },
    )
    assert response.status_code == 302
    html = page(client.get(url))
    assert html.select_one("#carried-forward") is None
    html = page(client.get(overview_url))
    statuses = [s.get_text(strip=True) for s in html.select(".govuk-task-list__status")]
    assert statuses == ["Completed", "Carried forward", "Carried forward"]


def test_saving_unchanged_answers_as_a_draft_counts_as_checking_them(client, body):
    overview_url = _start(client)
    url = f"{overview_url}/domains/{USE}"
    html = page(client.get(url))
    data = {
        "level": "1",
        "ambition": "3",
        "version": html.select_one("input[name=version]")["value"],
    }
    assert client.post(url, data={**data, "save_draft": "y"}).status_code == 302
    html = page(client.get(overview_url))
    assert html.select(".govuk-task-list__status")[2].get_text(strip=True) == "Completed"


def test_an_action_button_alone_does_not_count_as_checking_the_answers(client, body):
    overview_url = _start(client)
    url = f"{overview_url}/domains/{DEV}"
    html = page(client.get(url))
    action_id = html.select_one("button[name=mark_done]")["value"]
    data = {
        "level": "2",
        "ambition": "4",
        "version": html.select_one("input[name=version]")["value"],
    }
    assert client.post(url, data={**data, "mark_done": action_id}).status_code == 302
    html = page(client.get(url))
    assert html.select_one("#carried-forward") is not None
    assert "Done" in html.select_one(".app-action").get_text()


def test_carried_forward_answers_must_be_checked_before_submitting(client, body):
    overview_url = _start(client)
    made = assessments.get(organisation=body, assessment_id=int(overview_url.rsplit("/", 1)[1]))
    with pytest.raises(DomainError, match="Check the answers carried forward before you submit"):
        assessments.submit(assessment=made, actor=None)
    html = page(client.post(f"{overview_url}/check"))
    assert "Check the answers carried forward" in html.select_one(".govuk-error-summary").get_text()
    db.session.expire_all()
    assert made.status == AssessmentStatus.DRAFT


def test_only_an_approved_assessment_is_carried_forward(client):
    body = factories.organisation(name="Home Office")
    factories.assessment(of=body, period="2018", levels={DEV: 3})  # submitted, not approved
    sign_in(client, factories.member(of=body).email)
    overview_url = _start(client)
    html = page(client.get(overview_url))
    assert "Carried forward" not in html.select_one(".govuk-task-list").get_text()
    # The level it is measured against is still the submitted 2018 one.
    html = page(client.get(f"{overview_url}/domains/{DEV}"))
    assert (
        html.select_one("#previous-level").get_text(strip=True) == "In 2018 the level was Enabling"
    )


def test_another_organisations_approved_assessment_is_never_carried(client):
    other = factories.organisation(name="Other Body")
    factories.assessment(of=other, period="2018", levels={DEV: 3}, status=AssessmentStatus.APPROVED)
    body = factories.organisation(name="Home Office")
    made = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    assert made.carried_forward_from_id is None
    assert {r.level for r in made.ratings} == {None}


def test_imports_and_the_demo_start_empty_whatever_came_before(client, body):
    made = assessments.begin(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    assert made.carried_forward_from_id is None
    assert {(r.level, bool(r.carried_forward)) for r in made.ratings} == {(None, False)}
    db.session.rollback()
