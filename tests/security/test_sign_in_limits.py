"""Brute force: failed sign-ins are limited per account and per address."""

from sqlalchemy import select

from maturity.extensions import db
from maturity.models import AuditEvent
from tests import factories
from tests.conftest import PASSWORD, page, sign_in


def test_failed_sign_ins_are_audited_with_the_email_tried(client):
    sign_in(client, "nobody@example.org", "not the password")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sign_in.failed")
    ).one()
    assert event.subject == "nobody@example.org"
    assert event.remote_address == "127.0.0.1"


def test_an_account_is_paused_after_five_failures_even_with_the_right_password(client):
    person = factories.user()
    for _ in range(5):
        assert sign_in(client, person.email, "wrong password here").status_code == 200
    response = client.post("/sign-in", data={"email": person.email, "password": "x" * 12})
    assert response.status_code == 429
    assert page(response).h1.get_text(strip=True) == "Too many attempts to sign in"
    right = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert right.status_code == 429
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sign_in.limited")
    ).first()


def test_other_accounts_are_not_paused_by_one_accounts_failures(client):
    person = factories.user()
    other = factories.user()
    for _ in range(5):
        sign_in(client, person.email, "wrong password here")
    response = sign_in(client, other.email)
    assert page(response).h1.get_text(strip=True) == "Your organisations"


def test_successful_sign_ins_do_not_count(client):
    person = factories.user()
    for _ in range(7):
        response = sign_in(client, person.email)
        assert response.status_code == 200
        client.post("/sign-out")


def test_one_address_trying_many_accounts_is_paused(app, client):
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    try:
        for number in range(3):
            sign_in(client, f"guess{number}@example.org", "wrong password here")
        response = client.post("/sign-in", data={"email": "guess9@example.org", "password": "x"})
        assert response.status_code == 429
    finally:
        app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "30 per 15 minutes"


def test_limits_are_shared_between_app_servers_through_redis(app):
    """Two app servers counting in one Redis: failures on one pause the account on both."""
    import uuid

    import redis

    from maturity import create_app

    url = "redis://127.0.0.1:6379/15"  # a database of its own, emptied afterwards
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        import pytest

        pytest.skip("no Redis at 127.0.0.1:6379")
    config = {
        **{key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")},
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": url,
        "SIGN_IN_LIMIT_PER_ACCOUNT": "2 per minute",
    }
    first, second = create_app(config), create_app(config)
    email = f"{uuid.uuid4().hex}@example.org"
    for _ in range(2):
        response = first.test_client().post("/sign-in", data={"email": email, "password": "nope"})
        assert response.status_code == 200
    try:
        response = second.test_client().post("/sign-in", data={"email": email, "password": "nope"})
        assert response.status_code == 429
    finally:
        first.extensions["sign_in_limiter"].reset()


def test_guessing_two_factor_codes_is_paused_after_five_wrong_ones(client):
    from maturity.domain.roles import MembershipRole
    from tests.conftest import PASSWORD, authenticator_code

    person = factories.member(of=factories.organisation(), role=MembershipRole.VIEWER)
    factories.set_up_two_factor(person)
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    right = authenticator_code(person.email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert client.post("/sign-in/code", data={"code": wrong}).status_code == 200
    response = client.post("/sign-in/code", data={"code": right})
    assert response.status_code == 429


def test_guessing_the_current_password_when_signed_in_is_paused(client):
    from tests.conftest import PASSWORD

    person = factories.user()
    sign_in(client, person.email)
    wrong = {
        "password": "not my password",
        "new_password": "x" * 20,
        "new_password_confirm": "x" * 20,
    }
    for _ in range(5):
        assert client.post("/account/password", data=wrong).status_code == 200
    right = {**wrong, "password": PASSWORD}
    assert client.post("/account/password", data=right).status_code == 429
