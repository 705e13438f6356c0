"""An administrator signed in, and helpers to read what the admin pages say."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from maturity.extensions import db
from maturity.models import AuditEvent, User
from tests import factories
from tests.conftest import page, sign_in


@pytest.fixture
def admin(client) -> User:
    """An administrator (with two-factor sign-in set up, as the service requires) signed in."""
    person = factories.user(email="admin@example.org", name="Ada Admin", admin=True)
    response = sign_in(client, person.email)
    assert response.status_code == 200 and response.request.path == "/"
    return person


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def banner(response) -> str:  # type: ignore[no-untyped-def]
    found = page(response).select_one(".govuk-notification-banner--success")
    return found.get_text(" ", strip=True) if found else ""


def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    summary = page(response).select(".govuk-error-summary__list a")
    return [a.get_text(strip=True) for a in summary]


def inline_error(response, field_id: str) -> str:  # type: ignore[no-untyped-def]
    html = page(response)
    group = html.find(id=field_id)
    while group is not None and "govuk-form-group" not in (group.get("class") or []):
        group = group.parent
    message = group.select_one(".govuk-error-message") if group else None
    return message.get_text(" ", strip=True).removeprefix("Error:").strip() if message else ""


def shown_link(response) -> str:  # type: ignore[no-untyped-def]
    """The path of the password link the confirmation page shows, or '' if none."""
    shown = page(response).find(id="password-link")
    return urlparse(shown.get_text(strip=True)).path if shown else ""
