"""Drafts through the pages: kept by the autosave endpoint, restored into the domain's page
for their own person only, discarded on save or on request, kept when the form comes too
late for the session, and never a way round the conflict check."""

from __future__ import annotations

import pytest

from maturity.data import drafts
from maturity.extensions import db
from maturity.models import AssessmentStatus
from maturity.security import sessions
from tests import factories
from tests.conftest import page, sign_in

DOMAIN = "developing-a-framework"


@pytest.fixture
def body():
    return factories.organisation(name="Home Office")


@pytest.fixture
def draft_assessment(body):
    return factories.assessment(
        of=body, period="2019", status=AssessmentStatus.DRAFT, evidence="Saved evidence"
    )


def _domain_url(assessment) -> str:
    return f"/organisations/home-office/assessments/{assessment.id}/domains/{DOMAIN}"


def _rating(assessment):
    db.session.expire_all()
    return next(r for r in assessment.ratings if r.domain.key == DOMAIN)


def _signed_in(app, person):
    client = app.test_client()
    sign_in(client, person.email)
    return client


def _typed(**fields):
    return {"level": "2", "evidence": "Typed, not saved", "version": "1", **fields}


def test_the_domain_form_offers_its_autosave_address(app, body, draft_assessment, monkeypatch):
    person = factories.member(of=body)
    html = page(_signed_in(app, person).get(_domain_url(draft_assessment)))
    form = html.select_one("form[data-autosave-url]")
    assert form["data-autosave-url"] == _domain_url(draft_assessment) + "/draft"
    assert form["data-person"] == str(person.id)
    # Said only by the script: without it nothing is kept until the person saves.
    assert html.select_one("[data-autosave-status]").has_attr("hidden")
    note = html.select_one("#app-timeout-note").get_text()
    assert "kept as a draft" in note
    # How long a draft is kept, from the setting, told before anything is typed.
    monkeypatch.setitem(app.config, "DRAFT_KEEP_DAYS", 9)
    html = page(_signed_in(app, person).get(_domain_url(draft_assessment)))
    said = " ".join(html.select_one("[data-autosave-status]").get_text().split())
    assert "a draft you do not come back to is deleted 9 days after you last typed into it" in said


def test_typing_kept_comes_back_to_its_person_with_a_banner(app, body, draft_assessment):
    alice = factories.member(of=body)
    client = _signed_in(app, alice)
    version = str(_rating(draft_assessment).version)
    response = client.post(
        _domain_url(draft_assessment) + "/draft",
        data=_typed(version=version, person=str(alice.id)),
    )
    assert response.status_code == 200
    assert response.get_json()["kept"] is True
    html = page(client.get(_domain_url(draft_assessment)))
    banner = html.select_one("#restored-draft")
    assert banner is not None
    assert "We restored what you were typing at" in banner.get_text()
    assert "A draft is deleted 30 days after it was last typed into." in banner.get_text()
    assert html.select_one("textarea[name=evidence]").get_text() == "Typed, not saved"
    assert html.select_one("input[name=level][value='2']").has_attr("checked")
    assert html.select_one("input[name=version]")["value"] == version


def test_nobody_else_ever_sees_anothers_typing(app, body, draft_assessment):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    approver = factories.member(of=body, role="approver")
    _signed_in(app, alice).post(_domain_url(draft_assessment) + "/draft", data=_typed())
    for other in (bob, approver):
        html = page(_signed_in(app, other).get(_domain_url(draft_assessment)))
        assert html.select_one("#restored-draft") is None
        assert "Typed, not saved" not in html.get_text()
        assert html.select_one("textarea[name=evidence]").get_text() == "Saved evidence"


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), (None, 404)])
def test_only_people_who_may_edit_can_keep_a_draft(app, body, draft_assessment, role, status):
    other = factories.organisation(name="Other Body")
    person = factories.member(of=body, role=role) if role else factories.member(of=other)
    response = _signed_in(app, person).post(_domain_url(draft_assessment) + "/draft", data=_typed())
    assert response.status_code == status
    assert drafts.find(rating=_rating(draft_assessment), person=person) is None


def test_keeping_a_draft_needs_someone_signed_in(client, body, draft_assessment):
    response = client.post(_domain_url(draft_assessment) + "/draft", data=_typed())
    assert response.status_code == 401


def test_a_page_left_open_by_someone_else_cannot_file_its_typing_as_yours(
    app, body, draft_assessment
):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    response = _signed_in(app, bob).post(
        _domain_url(draft_assessment) + "/draft", data=_typed(person=str(alice.id))
    )
    assert response.status_code == 409
    assert drafts.find(rating=_rating(draft_assessment), person=bob) is None


@pytest.mark.parametrize(
    "fields",
    [{"level": "seven"}, {"level": "9"}, {"version": "x"}, {"evidence": "x" * 10_001}],
)
def test_what_the_page_could_not_send_is_refused(app, body, draft_assessment, fields):
    person = factories.member(of=body)
    response = _signed_in(app, person).post(
        _domain_url(draft_assessment) + "/draft", data=_typed(**fields)
    )
    assert response.status_code == 400
    assert response.get_json()["kept"] is False


def test_no_draft_of_a_submitted_assessment(app, body):
    person = factories.member(of=body)
    submitted = factories.assessment(of=body, period="2019", status=AssessmentStatus.SUBMITTED)
    response = _signed_in(app, person).post(_domain_url(submitted) + "/draft", data=_typed())
    assert response.status_code == 409


def test_keeping_a_draft_does_not_keep_the_session_alive(app, body, draft_assessment):
    person = factories.member(of=body)
    client = _signed_in(app, person)
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= 600
        before = session[sessions.LAST_SEEN_AT]
    client.post(_domain_url(draft_assessment) + "/draft", data=_typed())
    with client.session_transaction() as session:
        assert session[sessions.LAST_SEEN_AT] == before


def test_saving_the_domain_discards_the_draft(app, body, draft_assessment):
    person = factories.member(of=body)
    client = _signed_in(app, person)
    version = str(_rating(draft_assessment).version)
    client.post(_domain_url(draft_assessment) + "/draft", data=_typed(version=version))
    response = client.post(
        _domain_url(draft_assessment), data={**_typed(version=version), "save_draft": "y"}
    )
    assert response.status_code == 302
    assert drafts.find(rating=_rating(draft_assessment), person=person) is None
    html = page(client.get(_domain_url(draft_assessment)))
    assert html.select_one("#restored-draft") is None
    assert html.select_one("textarea[name=evidence]").get_text() == "Typed, not saved"


def test_a_restored_draft_saved_after_someone_elses_save_is_a_conflict(app, body, draft_assessment):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    alice_client = _signed_in(app, alice)
    opened = str(_rating(draft_assessment).version)
    alice_client.post(_domain_url(draft_assessment) + "/draft", data=_typed(version=opened))
    # Bob saves meanwhile.
    bob_client = _signed_in(app, bob)
    bob_client.post(
        _domain_url(draft_assessment),
        data={"level": "4", "evidence": "Bob's answer", "version": opened, "save_draft": "y"},
    )
    html = page(alice_client.get(_domain_url(draft_assessment)))
    assert "Someone has saved this domain since you opened it" in html.get_text()
    form = {
        field["name"]: field.get("value", "")
        for field in html.select("form[data-autosave-url] input[type=hidden]")
    }
    assert form["version"] == opened
    response = alice_client.post(
        _domain_url(draft_assessment),
        data={**_typed(version=form["version"]), "save_draft": "y"},
    )
    assert response.status_code == 200
    conflict = page(response)
    assert conflict.select_one("#conflict") is not None
    assert _rating(draft_assessment).evidence == "Bob's answer"
    # What Alice typed is neither lost nor saved: still in the form, still her draft.
    assert conflict.select_one("textarea[name=evidence]").get_text() == "Typed, not saved"
    assert drafts.find(rating=_rating(draft_assessment), person=alice) is not None


def test_a_draft_does_not_check_carried_forward_answers(app, body):
    factories.assessment(of=body, period="2018", status=AssessmentStatus.APPROVED)
    person = factories.member(of=body)
    client = _signed_in(app, person)
    client.post("/organisations/home-office/assessments/new", data={"period": "2019"})
    from maturity.data import assessments

    carried = next(a for a in assessments.for_organisation(organisation=body) if a.period == "2019")
    assert _rating(carried).carried_forward
    client.post(_domain_url(carried) + "/draft", data=_typed(version=str(_rating(carried).version)))
    assert _rating(carried).carried_forward
    assert page(client.get(_domain_url(carried))).select_one("#carried-forward") is not None


def test_discarding_shows_the_saved_answers_again(app, body, draft_assessment):
    person = factories.member(of=body)
    client = _signed_in(app, person)
    client.post(_domain_url(draft_assessment) + "/draft", data=_typed())
    response = client.post(_domain_url(draft_assessment) + "/draft/discard")
    assert response.status_code == 302
    html = page(client.get(response.headers["Location"]))
    assert html.select_one("#restored-draft") is None
    assert html.select_one("textarea[name=evidence]").get_text() == "Saved evidence"
    assert "What you had typed has been discarded" in html.get_text()


def test_answers_posted_after_the_time_out_are_kept_for_after_signing_in(
    app, body, draft_assessment
):
    """Without JavaScript nothing warns in time; the form sent too late is still kept."""
    person = factories.member(of=body)
    client = _signed_in(app, person)
    version = str(_rating(draft_assessment).version)
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= 31 * 60
    response = client.post(
        _domain_url(draft_assessment),
        data={**_typed(evidence="Written over lunch", version=version), "save_and_continue": "y"},
    )
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    signed_in = sign_in(client, person.email)
    assert "What you typed has been kept" in signed_in.get_data(as_text=True)
    html = page(client.get(_domain_url(draft_assessment)))
    assert html.select_one("#restored-draft") is not None
    assert html.select_one("textarea[name=evidence]").get_text() == "Written over lunch"
    assert _rating(draft_assessment).evidence == "Saved evidence"  # kept, not saved


def test_an_autosave_that_arrives_after_the_time_out_is_kept(app, body, draft_assessment):
    """A connection that comes back after the time-out: the typing it carried is kept."""
    person = factories.member(of=body)
    client = _signed_in(app, person)
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= 31 * 60
    response = client.post(
        _domain_url(draft_assessment) + "/draft",
        data=_typed(evidence="Typed offline", person=str(person.id)),
    )
    assert response.status_code == 401
    assert response.get_json() == {"signed_in": False, "reason": "idle", "kept": True}
    assert client.get("/").status_code == 302  # signed out all the same
    found = drafts.find(rating=_rating(draft_assessment), person=person)
    assert found is not None and found.answers.evidence == "Typed offline"


def test_a_late_form_from_someone_without_the_role_keeps_nothing(app, body, draft_assessment):
    viewer = factories.member(of=body, role="viewer")
    client = _signed_in(app, viewer)
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= 31 * 60
    client.post(_domain_url(draft_assessment), data=_typed())
    assert drafts.find(rating=_rating(draft_assessment), person=viewer) is None
