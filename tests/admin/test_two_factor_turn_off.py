"""An administrator turns off someone's two-factor sign-in when they have lost their phone and
their recovery codes, only after recording how they confirmed it is them (OWASP ASVS 6.4.4)."""

from __future__ import annotations

from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import User
from tests import factories
from tests.admin.conftest import banner, errors, events, inline_error
from tests.conftest import PASSWORD, link, page, sign_in


def _approver() -> User:
    body = factories.organisation(name="Cabinet Office")
    return factories.member(of=body, role=MembershipRole.APPROVER)


def test_the_identity_check_is_asked_for_and_recorded(app, client, admin):
    person = _approver()
    theirs = app.test_client()
    sign_in(theirs, person.email)
    shown = page(client.get(f"/admin/people/{person.id}"))
    found = link(shown, "Turn off two-factor sign-in")
    address = found["href"]
    assert address == f"/admin/people/{person.id}/two-factor/turn-off"

    form = page(client.get(address))
    assert form.h1.get_text(strip=True) == "Turn off two-factor sign-in"
    assert len(form.select("input[name=identity_check]")) == 3

    refused = client.post(address, data={})
    assert errors(refused) == [
        "Select how you confirmed it is them",
        "Enter who you spoke to, when, and what you checked",
    ]
    assert inline_error(refused, "details") == "Enter who you spoke to, when, and what you checked"
    db.session.expire_all()
    assert db.session.get(User, person.id).tf_primary_method == "authenticator"

    done = client.post(
        address,
        data={"identity_check": "video", "details": "Video call 14:10, staff pass 4471"},
    )
    assert done.status_code == 302
    assert "signed out everywhere" in banner(client.get(done.headers["Location"]))
    db.session.expire_all()
    changed = db.session.get(User, person.id)
    assert changed.tf_primary_method is None and not changed.mf_recovery_codes
    [event] = events("two_factor.turned_off_by_administrator")
    assert event.actor_id == admin.id and event.subject == person.email
    assert event.details == {
        "identity_check": "video",
        "details": "Video call 14:10, staff pass 4471",
    }
    assert theirs.get("/account").status_code == 302  # signed out
    # An approver must set it up again before anything else.
    again = app.test_client()
    again.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert again.get("/").headers["Location"].endswith("/account/two-factor")


def test_too_long_details_are_refused_at_the_field(client, admin):
    person = _approver()
    response = client.post(
        f"/admin/people/{person.id}/two-factor/turn-off",
        data={"identity_check": "in-person", "details": "x" * 501},
    )
    assert inline_error(response, "details") == "Details must be 500 characters or fewer"


def test_nobody_turns_off_their_own_and_nothing_is_offered_without_it(client, admin):
    own = page(client.get(f"/admin/people/{admin.id}"))
    assert link(own, "Turn off two-factor sign-in") is None
    refused = client.post(
        f"/admin/people/{admin.id}/two-factor/turn-off",
        data={"identity_check": "in-person", "details": "It is me"},
    )
    assert errors(refused) == ["Another administrator must do this for you"]
    without = factories.user()
    answer = client.get(f"/admin/people/{without.id}/two-factor/turn-off")
    assert answer.status_code == 302
