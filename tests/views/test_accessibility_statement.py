"""The accessibility statement: public, linked from every page, and saying what was tested."""

from __future__ import annotations

import pytest

from maturity.views.accessibility import PREPARED_ON
from tests import factories
from tests.conftest import link, page, sign_in

# The headings of the GOV.UK sample accessibility statement, adapted: in that order.
SECTIONS = [
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service’s accessibility",  # noqa: RUF001
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that’s not within the scope of the accessibility regulations",  # noqa: RUF001
    "What we’re doing to improve accessibility",  # noqa: RUF001
    "Preparation of this accessibility statement",
]


def test_anyone_can_read_it_without_signing_in(client):
    response = client.get("/accessibility")

    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text(strip=True) == (
        "Accessibility statement for Performance measurement maturity"
    )
    headings = [h.get_text(strip=True) for h in html.select("main h2, main h3, main h4")]
    assert headings == SECTIONS


def test_it_says_what_was_tested_and_how(client):
    text = page(client.get("/accessibility")).main.get_text(" ", strip=True)

    assert "Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "partially compliant" in text
    for method in ("axe-core", "Playwright", "only the keyboard", "JavaScript switched off"):
        assert method in text
    assert "tagged PDF (PDF/UA-1)" in text
    assert "structure tree" in text
    prepared = f"This statement was prepared on {PREPARED_ON.day} {PREPARED_ON:%B %Y}."
    assert prepared in text


def test_known_issues_are_stated_with_the_configured_idle_time_out(app, client):
    text = page(client.get("/accessibility")).main.get_text(" ", strip=True)

    minutes = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds() // 60)
    assert f"signed out after {minutes} minutes without activity" in text
    assert "2.2.1 (Timing Adjustable)" in text
    assert "not yet been tested by disabled people or with screen readers" in text


def test_problems_are_reported_to_the_configured_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONTACT_EMAIL", "access@example.gov.uk")

    html = page(client.get("/accessibility"))

    mailto = html.select('main a[href="mailto:access@example.gov.uk"]')
    assert len(mailto) == 2  # other formats, and reporting a problem


def test_without_an_address_people_are_told_whom_to_ask(client):
    text = page(client.get("/accessibility")).main.get_text(" ", strip=True)

    assert "contact the administrator who gave you your account" in text
    assert "mailto:" not in str(page(client.get("/accessibility")).main)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_it_from_the_footer(client, signed_in):
    if signed_in:
        body = factories.organisation(name="Footer Body")
        factories.member(role="viewer", of=body, email="footer@example.org")
        sign_in(client, "footer@example.org")
        addresses = ["/", f"/organisations/{body.slug}", "/organisations/nowhere"]
    else:
        addresses = ["/sign-in", "/accessibility"]

    for address in addresses:
        footer = page(client.get(address)).find("footer")
        anchor = link(footer, "Accessibility statement")
        assert anchor is not None, address
        assert anchor["href"] == "/accessibility"


def test_it_says_what_the_time_out_warning_and_drafts_now_do(app, client):
    text = page(client.get("/accessibility")).main.get_text(" ", strip=True)

    assert "be warned 2 minutes before you are signed out for not doing anything" in text
    assert "kept as a draft as you type" in text
    # What is still not met, said plainly: the whole-session limit cannot be extended.
    assert "you are signed out 12 hours after you signed in" in text
    assert "you cannot extend this limit" in text
    assert "the service does not warn you first" not in text
    assert "we plan to warn you" not in text.lower()
