"""Every page that takes a password lets a password manager and pasting work, asks nothing
else (no hints, no secret questions), checks the password exactly as typed, never makes
anyone change it because time has passed, and a reset leaves two-factor sign-in in place
(OWASP ASVS 6.2.7, 6.2.8, 6.2.10, 6.4.2, 6.4.3)."""

from __future__ import annotations

import time

import pytest
from flask import url_for

from maturity.data import invitations
from maturity.domain.roles import MembershipRole
from tests import factories
from tests.conftest import PASSWORD, page, sign_in

NEW_PASSWORD = "a new and rather long passphrase"
HINT_WORDS = ("hint", "question", "reminder", "memorable", "mother", "maiden")


@pytest.fixture
def person():  # type: ignore[no-untyped-def]
    return factories.member(of=factories.organisation(name="Home Office"))


def _reset_path(app, person) -> str:  # type: ignore[no-untyped-def]
    admin = factories.user(admin=True)
    link = invitations.create_reset_link(user=person, actor=admin)
    with app.test_request_context():
        return url_for("invitations.reset", token=link.token)


def _password_pages(app, client, person) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Each page that takes a password, as its visitor sees it."""
    pages = {
        "sign in": page(app.test_client().get("/sign-in")),
        "set a password from a link": page(app.test_client().get(_reset_path(app, person))),
    }
    sign_in(client, person.email)
    pages["change password"] = page(client.get("/account/password"))
    pages["confirm password"] = page(client.get("/account/confirm-password"))
    return pages


def test_every_password_field_lets_password_managers_and_pasting_work(app, client, person):
    for name, html in _password_pages(app, client, person).items():
        fields = html.find_all("input", attrs={"type": "password"})
        assert fields, name
        for field in fields:
            assert field.get("autocomplete") in {"current-password", "new-password"}, name
            for blocked in ("maxlength", "onpaste", "oncopy", "ondrop", "readonly"):
                assert not field.has_attr(blocked), (name, field.get("id"), blocked)


def test_no_page_asks_for_a_hint_or_a_secret_question(app, client, person):
    expected = {
        "sign in": {"email", "password"},
        "set a password from a link": {"password", "password_confirm"},
        "change password": {"password", "new_password", "new_password_confirm"},
        "confirm password": {"password"},
    }
    for name, html in _password_pages(app, client, person).items():
        form = next(f for f in html.find_all("form") if f.find("input", attrs={"type": "password"}))
        typed = {
            field.get("name")
            for field in form.find_all(["input", "textarea", "select"])
            if field.get("type") not in {"hidden", "submit"}
        }
        # The confirm page asks a two-factor code too, for people who have one.
        assert typed - {"code"} == expected[name], name
        words = form.get_text(" ").lower()
        assert not any(word in words for word in HINT_WORDS), name


@pytest.mark.parametrize(
    "variant",
    [
        PASSWORD.upper(),
        PASSWORD.capitalize(),
        PASSWORD[:-1],
        PASSWORD[: len(PASSWORD) // 2],
        PASSWORD + " ",
        " " + PASSWORD,
    ],
)
def test_the_password_is_checked_exactly_as_typed(client, person, variant):
    response = sign_in(client, person.email, variant)
    assert response.request.path == "/sign-in"
    assert client.get("/").status_code == 302


def test_nobody_is_made_to_change_their_password_however_long_ago_it_was_set(
    client, person, monkeypatch
):
    real = time.time
    years = 5 * 365 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: real() + years)
    landed = sign_in(client, person.email)
    assert landed.request.path == "/"
    assert client.get("/organisations/home-office").status_code == 200


def test_a_password_reset_leaves_two_factor_sign_in_in_place(app, client):
    body = factories.organisation(name="Cabinet Office")
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    path = _reset_path(app, approver)
    visitor = app.test_client()
    done = visitor.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert visitor.get("/").status_code == 302  # setting a password does not sign anyone in
    asked = visitor.post(
        "/sign-in",
        data={"email": approver.email, "password": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert asked.request.path == "/sign-in/code"
    assert visitor.get("/").status_code == 302
