"""Invitation and password reset links carry SERVICE_URL's address, whatever Host the
administrator's request named (the tests' client asks for localhost, a trusted host other
than SERVICE_URL's: tests/conftest.py)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from tests import factories
from tests.conftest import page

SERVICE_URL = "https://maturity.example.org"


class FakeSMTP:
    sent: ClassVar[list] = []

    def __init__(self, host, port, timeout):
        pass

    def __enter__(self):
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
    FakeSMTP.sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    return FakeSMTP


def _links(text: str) -> list[str]:
    return [word for word in text.split() if "://" in word]


def _shown(client, response) -> str:  # type: ignore[no-untyped-def]
    confirmation = client.get(response.headers["Location"])
    shown = page(confirmation).find(id="password-link")
    assert shown is not None
    return shown.get_text(strip=True)


def test_a_shown_invitation_link_is_on_service_url_not_the_requests_host(app, client, admin):
    assert app.config["SERVICE_URL"] == SERVICE_URL
    response = client.post(
        "/admin/people/invite",
        data={"name": "Nia", "email": "nia@example.org", "organisation": "0"},
        headers={"Host": "localhost:8000"},
    )

    link = _shown(client, response)

    assert link.startswith(f"{SERVICE_URL}/invitation/")
    assert "localhost" not in link


def test_a_shown_reset_link_is_on_service_url_not_the_requests_host(client, admin):
    person = factories.user(email="rosa@example.org")

    response = client.post(
        f"/admin/people/{person.id}/password-link", headers={"Host": "localhost:8000"}
    )

    link = _shown(client, response)
    assert link.startswith(f"{SERVICE_URL}/reset/")
    assert "localhost" not in link


def test_e_mailed_invitation_and_reset_links_are_on_service_url(client, admin, smtp):
    client.post(
        "/admin/people/invite",
        data={"name": "Nia", "email": "nia@example.org", "organisation": "0"},
        headers={"Host": "localhost:8000"},
    )
    person = factories.user(email="rosa@example.org")
    client.post(f"/admin/people/{person.id}/password-link", headers={"Host": "localhost:8000"})

    invitation, reset = smtp.sent
    [invitation_link] = _links(invitation.get_content())
    [reset_link] = _links(reset.get_content())
    assert invitation_link.startswith(f"{SERVICE_URL}/invitation/")
    assert reset_link.startswith(f"{SERVICE_URL}/reset/")


def test_a_request_naming_another_host_makes_no_link_at_all(client, admin, smtp):
    response = client.post(
        "/admin/people/invite",
        data={"name": "Nia", "email": "nia@example.org", "organisation": "0"},
        headers={"Host": "evil.example"},
    )

    assert response.status_code == 400
    assert smtp.sent == []
