"""Sessions end when they should: time-outs, sign-out everywhere, disabled accounts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from maturity.data import commit
from maturity.extensions import db
from maturity.models import AuditEvent
from maturity.security import sessions
from tests import factories
from tests.conftest import PASSWORD, sign_in


@pytest.fixture
def person(client):
    body = factories.organisation(name="Home Office")
    someone = factories.member(of=body)
    sign_in(client, someone.email)
    assert client.get("/").status_code == 200
    return someone


def _signed_out(client) -> bool:
    response = client.get("/organisations/home-office")
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_session_idle_for_longer_than_the_limit_is_ended(app, client, person):
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= (idle + timedelta(seconds=5)).total_seconds()
    response = client.get("/organisations/home-office")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert "You were signed out after 30 minutes without activity" in follow.get_data(as_text=True)
    assert _signed_out(client)


def test_activity_keeps_a_session_alive(app, client, person):
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= (idle - timedelta(minutes=1)).total_seconds()
    assert client.get("/organisations/home-office").status_code == 200
    assert client.get("/organisations/home-office").status_code == 200


def test_a_session_older_than_the_absolute_limit_is_ended_even_when_active(app, client, person):
    absolute = app.config["SESSION_ABSOLUTE_TIMEOUT"]
    with client.session_transaction() as session:
        session[sessions.SIGNED_IN_AT] -= (absolute + timedelta(seconds=5)).total_seconds()
    assert _signed_out(client)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, person):
    stolen = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    stolen.set_cookie(cookie.key, cookie.value)
    assert stolen.get("/organisations/home-office").status_code == 200
    client.post("/sign-out")
    assert _signed_out(client)
    assert _signed_out(stolen)


def test_ending_all_sessions_signs_the_person_out_everywhere(client, person):
    sessions.end_all(user=person)
    commit()
    assert _signed_out(client)


def test_a_disabled_account_is_signed_out(client, person):
    person.active = False
    sessions.end_all(user=person)
    commit()
    assert _signed_out(client)
    response = sign_in(client, person.email)
    assert "Your account has been disabled" in response.get_data(as_text=True) or _signed_out(
        client
    )


def test_a_password_change_ends_every_other_session(app, client, person):
    elsewhere = app.test_client()
    sign_in(elsewhere, person.email)
    assert elsewhere.get("/organisations/home-office").status_code == 200
    response = client.post(
        "/account/password",
        data={
            "password": PASSWORD,
            "new_password": "a brand new passphrase",
            "new_password_confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/organisations/home-office").status_code == 200
    assert _signed_out(elsewhere)
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "password.changed" in actions


def test_sign_in_and_sign_out_are_audited_with_the_address(client, person):
    client.post("/sign-out")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    by_action = {event.action: event for event in events}
    assert by_action["sign_in.succeeded"].actor_id == person.id
    assert by_action["sign_in.succeeded"].remote_address == "127.0.0.1"
    assert by_action["sign_out"].actor_id == person.id


def test_a_time_out_on_one_device_leaves_the_others_signed_in(app, client, person):
    elsewhere = app.test_client()
    sign_in(elsewhere, person.email)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= (idle + timedelta(seconds=5)).total_seconds()
    assert _signed_out(client)
    assert elsewhere.get("/organisations/home-office").status_code == 200


def test_signing_in_gives_a_new_session_cookie(app, client):
    person = factories.user()
    anonymous = client.get("/sign-in")
    name = app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name)
    sign_in(client, person.email)
    after = client.get_cookie(name)
    assert anonymous.status_code == 200
    assert after is not None and (before is None or before.value != after.value)
