"""Invitation and password reset links: single use, time-limited, e-mailed or shown once."""

from typing import ClassVar

import pytest

from maturity.data import invitations, users
from maturity.extensions import db
from tests import factories
from tests.admin.conftest import errors, events, inline_error, shown_link
from tests.conftest import page, sign_in

NEW_PASSWORD = "a new and rather long passphrase"


def _twice(password: str) -> dict[str, str]:
    return {"password": password, "password_confirm": password}


def _invite(client, email="nia@example.org") -> str:
    response = client.post(
        "/admin/people/invite", data={"name": "Nia New", "email": email, "organisation": "0"}
    )
    assert response.status_code == 302
    return shown_link(client.get(response.headers["Location"]))


def test_an_invitation_sets_a_password_once_then_stops_working(app, client, admin):
    path = _invite(client)
    visitor = app.test_client()
    form = visitor.get(path)
    assert form.status_code == 200
    assert page(form).h1.get_text(strip=True) == "Create your password"
    assert "nia@example.org" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    response = visitor.post(path, data=_twice(NEW_PASSWORD))
    assert response.status_code == 302 and response.headers["Location"] == "/password-set"
    done = visitor.get("/password-set")
    assert "Your password has been saved" in done.get_data(as_text=True)
    # Used: the same link is refused, whether looked at or posted to again.
    again = visitor.get(path)
    assert again.status_code == 410
    assert page(again).h1.get_text(strip=True) == "This link has expired or has already been used"
    assert visitor.post(path, data=_twice("another long passphrase")).status_code == 410
    assert sign_in(visitor, "nia@example.org", NEW_PASSWORD).request.path == "/"
    [event] = events("password.set_from_link")
    assert event.subject == "nia@example.org" and event.details == {"link": "invitation"}


def test_an_invited_person_cannot_sign_in_before_setting_a_password(app, client, admin):
    _invite(client)
    visitor = app.test_client()
    response = sign_in(visitor, "nia@example.org", "")
    assert response.request.path == "/sign-in"
    assert visitor.get("/").status_code == 302


def test_a_weak_password_is_refused_at_the_field_and_the_link_still_works(app, client, admin):
    path = _invite(client)
    visitor = app.test_client()
    response = visitor.post(path, data=_twice("short"))
    assert response.status_code == 200
    assert inline_error(response, "password") == "Password must be 12 characters or more"
    response = visitor.post(path, data=_twice("password1234"))
    assert "too common" in errors(response)[0]
    response = visitor.post(path, data=_twice(""))
    assert errors(response) == ["Enter a new password", "Re-type your new password"]
    response = visitor.post(path, data={"password": NEW_PASSWORD, "password_confirm": "other"})
    assert errors(response) == ["The passwords you entered do not match"]
    assert visitor.post(path, data=_twice(NEW_PASSWORD)).status_code == 302


def test_an_expired_link_is_refused(app, client, admin, monkeypatch):
    path = _invite(client)
    days = app.config["INVITATION_VALIDITY_DAYS"]
    issued = invitations.now()
    monkeypatch.setattr(invitations, "now", lambda: issued + days * 86400 - 60)
    assert app.test_client().get(path).status_code == 200
    monkeypatch.setattr(invitations, "now", lambda: issued + days * 86400 + 60)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 410
    assert visitor.post(path, data=_twice(NEW_PASSWORD)).status_code == 410
    assert users.find(email="nia@example.org").password is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda path: path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"),
        lambda path: path.replace("/invitation/", "/reset/"),
        lambda path: "/invitation/not-a-token",
        lambda path: "/invitation/" + "x" * 5000,
    ],
)
def test_a_tampered_or_misused_link_is_refused(app, client, admin, mangle):
    path = _invite(client)
    response = app.test_client().get(mangle(path))
    assert response.status_code == 410
    assert "This link has expired or has already been used" in response.get_data(as_text=True)


def test_a_reset_link_sets_a_new_password_and_ends_sessions(app, client, admin):
    body = factories.organisation(name="Home Office")
    person = factories.member(of=body)
    theirs = app.test_client()
    sign_in(theirs, person.email)
    response = client.post(f"/admin/people/{person.id}/password-link")
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"])
    assert "Password reset link created" in confirmation.get_data(as_text=True)
    path = shown_link(confirmation)
    assert path.startswith("/reset/")
    [event] = events("password.reset_link_created")
    assert event.subject == person.email and event.details == {"link": "reset"}
    visitor = app.test_client()
    assert page(visitor.get(path)).h1.get_text(strip=True) == "Choose a new password"
    assert visitor.post(path, data=_twice(NEW_PASSWORD)).status_code == 302
    assert theirs.get("/organisations/home-office").status_code == 302
    assert sign_in(visitor, person.email, NEW_PASSWORD).request.path == "/"
    assert app.test_client().get(path).status_code == 410


def test_disabling_an_account_stops_its_links_and_no_link_is_made_for_it(app, client, admin):
    person = factories.user()
    response = client.post(f"/admin/people/{person.id}/password-link")
    path = shown_link(client.get(response.headers["Location"]))
    client.post(f"/admin/people/{person.id}/disable")
    assert app.test_client().get(path).status_code == 410
    response = client.post(f"/admin/people/{person.id}/password-link")
    assert response.status_code == 200
    assert errors(response) == ["Enable the account before creating a password reset link"]


class FakeSMTP:
    sent: ClassVar[list] = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port

    def __enter__(self):
        if FakeSMTP.fail:
            raise OSError("connection refused")
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setattr("maturity.security.mail.smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "MAIL_SENDER", "maturity@example.org")
    monkeypatch.setitem(app.config, "SERVICE_URL", "https://maturity.example.org")
    return FakeSMTP


def test_with_smtp_the_link_is_emailed_not_shown(app, client, admin, smtp):
    response = client.post(
        "/admin/people/invite",
        data={"name": "Nia", "email": "nia@example.org", "organisation": "0"},
    )
    confirmation = client.get(response.headers["Location"])
    assert "We have emailed the invitation to nia@example.org" in confirmation.get_data(
        as_text=True
    )
    assert shown_link(confirmation) == ""
    [message] = smtp.sent
    assert message["To"] == "nia@example.org" and message["From"] == "maturity@example.org"
    body = message.get_content()
    url = next(w for w in body.split() if w.startswith("https://maturity.example.org/invitation/"))
    path = url.removeprefix("https://maturity.example.org")
    assert app.test_client().get(path).status_code == 200


def test_when_the_email_fails_the_link_is_shown_instead(client, admin, smtp):
    smtp.fail = True
    response = client.post(
        "/admin/people/invite",
        data={"name": "Nia", "email": "nia@example.org", "organisation": "0"},
    )
    confirmation = client.get(response.headers["Location"])
    assert "could not be sent" in confirmation.get_data(as_text=True)
    assert shown_link(confirmation).startswith("/invitation/")


def test_the_password_set_page_without_setting_one_sends_to_sign_in(client):
    response = client.get("/password-set")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_link_for_an_account_that_changed_email_stops_working(app, client, admin):
    path = _invite(client)
    person = users.find(email="nia@example.org")
    person.email = "nia.new@example.org"
    db.session.commit()
    assert app.test_client().get(path).status_code == 410
