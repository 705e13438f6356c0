"""What an approver sees when they edited or submitted the assessment they came to review,
and what an organisation with a single approver is told to do."""

from __future__ import annotations

from maturity.data import review
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import page, sign_in
from tests.data.test_duties import answered

FIRST = "developing-a-framework"


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.get_text().split())


def _buttons(html) -> list[str]:  # type: ignore[no-untyped-def]
    return [_text(button) for button in html.select("main button")]


def _client(app, person):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, person.email)
    return client


def _review(made) -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/home-office/assessments/{made.id}/review"


def _setting(*, approvers: int = 2):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Home Office")
    people = [
        factories.member(of=body, role=MembershipRole.APPROVER, email=f"approver{n}@example.org")
        for n in range(1, approvers + 1)
    ]
    for number, person in enumerate(people, start=1):
        person.name = f"Approver {number}"
    db.session.commit()
    return body, people


def test_an_approver_who_edited_sees_why_and_has_no_approve_or_moderate_buttons(app):
    body, (first, second) = _setting()
    made = answered(body, by=first, submitted_by=None)
    html = page(_client(app, first).get(_review(made)))
    notice = _text(html.select_one("#who-approves"))
    assert notice.startswith(
        "You edited this assessment, so another approver must moderate or approve it."
    )
    assert "Approver at Home Office who can: Approver 2." in notice
    assert "Approve assessment" not in _buttons(html)
    assert not html.select("input[name$='-moderated_level']")
    decision = _text(html.select_one("#decision"))
    assert (
        "You cannot approve this assessment or set moderated levels on it, because you "
        "edited it." in decision
    )
    # Sending back stays open to them.
    assert html.select_one("#decision a")["href"].endswith("/send-back")

    # The other approver has the buttons and no notice.
    html = page(_client(app, second).get(_review(made)))
    assert html.select_one("#who-approves") is None
    assert "Approve assessment" in _buttons(html)
    assert html.select("input[name$='-moderated_level']")


def test_a_posted_approval_or_moderation_is_refused_in_words(app):
    body, (first, _) = _setting()
    made = answered(body, by=None, submitted_by=first)
    client = _client(app, first)
    response = client.post(_review(made).replace("/review", "/approve"))
    assert response.status_code == 200
    summary = page(response).select_one(".govuk-error-summary a")
    assert summary.get_text(strip=True) == (
        "You submitted this assessment, so another approver must approve it"
    )
    assert summary["href"] == "#who-approves"
    response = client.post(
        f"{_review(made)}/domains/{FIRST}",
        data={f"{FIRST}-moderated_level": "3", f"{FIRST}-moderated_note": "Higher"},
    )
    assert page(response).select_one(".govuk-error-summary a").get_text(strip=True) == (
        "You submitted this assessment, so another approver must moderate it"
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.SUBMITTED
    assert {r.moderated_level for r in made.ratings} == {None}


def test_a_single_approver_who_edited_is_told_to_ask_for_a_second(app):
    body, (only,) = _setting(approvers=1)
    made = answered(body, by=only, submitted_by=only)
    html = page(_client(app, only).get(_review(made)))
    notice = _text(html.select_one("#who-approves"))
    assert notice.startswith(
        "You edited and submitted this assessment, so another approver must moderate or approve it."
    )
    assert (
        "Only one approver: Home Office's only approver is Approver 1, and whoever edits or "
        "submits an assessment cannot approve it. Ask an administrator to name a second "
        "approver." in notice
    )
    # Only an administrator is given the way there.
    assert html.select_one("#who-approves a") is None


def test_an_administrator_is_linked_to_where_roles_are_given(app):
    body, (only,) = _setting(approvers=1)
    admin = factories.user(admin=True)
    made = answered(body, by=admin, submitted_by=only)
    html = page(_client(app, admin).get(_review(made)))
    found = html.select_one("#who-approves a")
    assert found.get_text(" ", strip=True) == (
        "Give someone the approver role for Home Office in Administration, People"
    )
    assert found["href"] == "/admin/people"


def test_the_organisation_page_warns_those_who_assess_of_a_single_approver(app):
    body, (only,) = _setting(approvers=1)
    assessor = factories.member(of=body, role=MembershipRole.ASSESSOR)
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    for person in (assessor, only):
        html = page(_client(app, person).get("/organisations/home-office"))
        assert _text(html.select_one("#single-approver")).startswith(
            "Only one approver: Home Office's only approver is Approver 1"
        )
    # Viewers have nothing to do about it.
    html = page(_client(app, viewer).get("/organisations/home-office"))
    assert html.select_one("#single-approver") is None
    # A second approver ends the warning.
    factories.member(of=body, role=MembershipRole.APPROVER)
    html = page(_client(app, assessor).get("/organisations/home-office"))
    assert html.select_one("#single-approver") is None


def test_an_organisation_without_approvers_is_told_so(app):
    body, _ = _setting(approvers=0)
    assessor = factories.member(of=body, role=MembershipRole.ASSESSOR)
    html = page(_client(app, assessor).get("/organisations/home-office"))
    assert _text(html.select_one("#single-approver")) == (
        "No approver: Home Office has nobody with the approver role, so nobody there can "
        "approve its assessments. Ask an administrator to name two approvers."
    )


def test_the_approval_comment_is_kept_and_shown(app):
    body, (first, second) = _setting()
    made = answered(body, by=first, submitted_by=first)
    client = _client(app, second)
    html = page(client.get(_review(made)))
    assert html.select_one("textarea[name=comment]") is not None
    assert "Comment on your approval (optional)" in html.select_one("label[for=comment]").text
    response = client.post(
        _review(made).replace("/review", "/approve"), data={"comment": "x" * 10_001}
    )
    assert page(response).select_one(".govuk-error-summary a").get_text(strip=True) == (
        "Your comment must be 10,000 characters or less"
    )
    client.post(
        _review(made).replace("/review", "/approve"),
        data={"comment": "Checked against the board minutes"},
    )
    db.session.expire_all()
    assert made.status == AssessmentStatus.APPROVED
    approval = _text(page(client.get(_review(made))).select_one("#approval"))
    assert approval.startswith("Approved by Approver 2 on")
    assert approval.endswith("Comment: Checked against the board minutes")
    assert review.latest_approval(assessment=made).reason == "Checked against the board minutes"


def test_the_home_page_says_which_waiting_assessments_need_another_approver(app):
    body, (first, second) = _setting()
    made = answered(body, by=None, submitted_by=first)
    other = factories.organisation(name="Border Force")
    factories.member(of=other, role=MembershipRole.APPROVER, email="third@example.org")
    from maturity.data import organisations

    organisations.grant(user=first, organisation=other, role=MembershipRole.APPROVER)
    theirs = answered(other, by=None, submitted_by=None)
    items = {
        _text(item.a): _text(item)
        for item in page(_client(app, first).get("/")).select("li.app-waiting")
    }
    assert items[f"Home Office, {made.period}"].endswith(
        "You submitted this assessment, so another approver must approve it."
    )
    assert "another approver" not in items[f"Border Force, {theirs.period}"]
    for item in page(_client(app, second).get("/")).select("li.app-waiting"):
        assert "another approver" not in _text(item)
