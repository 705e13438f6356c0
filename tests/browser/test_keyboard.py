"""The same journeys with the keyboard alone: no mouse, no clicks.

On the way, each page's focus order is checked (every control reached, in the page's order,
visibly, and Shift+Tab retraces Tab), the skip link takes focus to the content, and after an
error focus moves to the error summary, whose links take focus to the field at fault.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from maturity.domain.roles import MembershipRole
from tests.browser import seed
from tests.browser.conftest import (
    PASSWORD,
    authenticator_code,
    download_report,
    key_from,
    new_window,
)
from tests.browser.keyboard import active_classes, check_tab_order, describe_active, tab_to

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser


def _heading(page: Any) -> Any:
    return expect(page.get_by_role("heading", level=1))


def _type(page: Any, text: str) -> None:
    page.keyboard.type(text)


def _press(page: Any, key: str) -> None:
    """Press a key that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _sign_in(
    page: Any, email: str, password: str = PASSWORD, *, check_skip_link: bool = False
) -> None:
    page.goto("/sign-in")
    if check_skip_link:
        page.keyboard.press("Tab")
        assert "Skip to main content" in describe_active(page)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main-content"
        check_tab_order(page, "the sign-in page")
    tab_to(page, "Email address")
    _type(page, email)
    tab_to(page, "Password")
    _type(page, password)
    _press(page, "Enter")
    if "/sign-in/code" in page.url:
        tab_to(page, "Code")
        _type(page, authenticator_code(email))
        _press(page, "Enter")


def _error_summary_has_focus(page: Any, message: str, field_label: str) -> None:
    """Focus is on the error summary; its first link takes focus to the field."""
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    assert "govuk-error-summary" in active_classes(page), "focus did not move to the errors"
    page.keyboard.press("Tab")
    assert message in describe_active(page)
    page.keyboard.press("Enter")
    assert field_label in describe_active(page), describe_active(page)


def test_an_assessor_by_keyboard(page: Any, browser: Any, server: str) -> None:
    body = seed.body("Keyboard assessed body", MembershipRole.ASSESSOR)
    domains = seed.framework().domains

    _sign_in(page, body.email, check_skip_link=True)
    tab_to(page, body.name)
    _press(page, "Enter")
    check_tab_order(page, "the organisation's page")
    tab_to(page, "Start a new assessment")
    _press(page, "Enter")
    tab_to(page, "Continue")
    _press(page, "Enter")
    _error_summary_has_focus(page, "Enter the period", "Which period")
    _type(page, "2019")
    _press(page, "Enter")
    _heading(page).to_have_text("2019 assessment")
    check_tab_order(page, "a new assessment's task list")
    tab_to(page, domains[0].name)
    _press(page, "Enter")
    check_tab_order(page, "a domain's questions")
    tab_to(page, "Save and continue")
    _press(page, "Enter")
    _error_summary_has_focus(page, "Select the level reached", "1")
    page.keyboard.press("ArrowDown")  # from level 1 to level 2
    assert page.get_by_role("group", name="Which level").get_by_role("radio").nth(1).is_checked()
    tab_to(page, "Evidence")
    _type(page, "Agreed by the board")
    tab_to(page, "Save as draft")
    _press(page, "Enter")
    _heading(page).to_have_text("2019 assessment")
    page.context.close()

    page = new_window(browser, server)
    _sign_in(page, body.email)
    tab_to(page, body.name)
    _press(page, "Enter")
    tab_to(page, "2019")
    _press(page, "Enter")
    for domain in domains[1:]:
        tab_to(page, domain.name)
        _press(page, "Enter")
        tab_to(page, "1 ")  # the first level: Space chooses it
        page.keyboard.press("Space")
        tab_to(page, "Evidence")
        _type(page, "Reports go to the board")
        tab_to(page, "Save as draft")
        _press(page, "Enter")
    tab_to(page, "Check your answers")
    _press(page, "Enter")
    check_tab_order(page, "check your answers")
    tab_to(page, "Submit assessment")
    _press(page, "Enter")
    _heading(page).to_contain_text("submitted")
    page.context.close()


def test_an_approver_by_keyboard(page: Any) -> None:
    body = seed.body("Keyboard reviewed body", MembershipRole.APPROVER)
    seed.submitted(body.organisation, "2018", level=2)
    first = seed.framework().domains[0]

    _sign_in(page, body.email)
    tab_to(page, f"{body.name}, 2018")
    _press(page, "Enter")
    check_tab_order(page, "the review page")
    tab_to(page, "Agree with the assessed level")  # the first domain's group
    page.keyboard.press("ArrowDown")  # another level
    tab_to(page, "Why did you judge a different level?")
    _type(page, "The delivery maps were in place.")
    tab_to(page, "Save moderated level")
    _press(page, "Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(first.name)

    tab_to(page, "Send it back to the assessor")
    _press(page, "Enter")
    tab_to(page, "Send back to the assessor")
    _press(page, "Enter")
    _error_summary_has_focus(page, "Enter what needs to change", "What needs to change")
    _type(page, "Please add the evidence for the second domain.")
    tab_to(page, "Send back to the assessor")
    _press(page, "Enter")
    _heading(page).to_contain_text("sent back")

    seed.resubmit(body.organisation, "2018")
    page.goto("/")
    tab_to(page, f"{body.name}, 2018")
    _press(page, "Enter")
    tab_to(page, "Approve assessment")
    _press(page, "Space")
    _heading(page).to_contain_text("approved")


def test_a_viewer_by_keyboard(page: Any) -> None:
    from pypdf import PdfReader

    body = seed.body("Keyboard viewed body", MembershipRole.VIEWER)
    seed.submitted(body.organisation, "2017", level=1)
    seed.submitted(body.organisation, "2018", level=3)

    _sign_in(page, body.email)
    tab_to(page, body.name)
    _press(page, "Enter")
    tab_to(page, "Compare two periods")
    _press(page, "Enter")
    check_tab_order(page, "the compare page")
    tab_to(page, "First period")
    _type(page, "2017")  # a closed select takes the option typed
    tab_to(page, "Compare")
    _press(page, "Enter")
    expect(page.get_by_role("heading", name="2017 compared with 2018")).to_be_visible()
    check_tab_order(page, "two periods compared")
    page.go_back()
    page.go_back()

    def follow_the_link() -> None:
        tab_to(page, "Download PDF report")
        page.keyboard.press("Enter")

    data = Path(download_report(page, follow_the_link).path()).read_bytes()
    assert data.startswith(b"%PDF-")
    assert body.name in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_an_oversight_viewer_by_keyboard(page: Any) -> None:
    department = seed.body("Keyboard department", MembershipRole.VIEWER)
    agency = seed.body("Keyboard agency", MembershipRole.VIEWER, parent=department.organisation)
    seed.submitted(agency.organisation, "2018", level=2)

    _sign_in(page, department.email)
    tab_to(page, f"Bodies overseen by {department.name}")
    _press(page, "Enter")
    expect(page.locator("main")).to_contain_text(agency.name)
    check_tab_order(page, "the bodies an organisation oversees")


def test_an_administrator_invites_by_keyboard(page: Any, browser: Any, server: str) -> None:
    import pyotp

    body = seed.body("Keyboard inviting body", MembershipRole.VIEWER)
    admin = seed.administrator()
    invited = f"keyboard.approver.{body.organisation.id}@example.org"
    password = "maple harbour violet engine"

    _sign_in(page, admin.email)
    tab_to(page, "Administration")
    _press(page, "Enter")
    tab_to(page, "People")
    _press(page, "Enter")
    tab_to(page, "Invite a person")
    _press(page, "Space")  # a link that looks like a button answers Space too
    check_tab_order(page, "the invitation form")
    tab_to(page, "Create invitation")
    _press(page, "Enter")
    _error_summary_has_focus(page, "Enter the person's full name", "Full name")
    _type(page, "Kit Keyboard")
    tab_to(page, "Email address")
    _type(page, invited)
    tab_to(page, "Organisation")
    _type(page, body.name)
    tab_to(page, "Viewer")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Approver
    assert page.get_by_role("radio", name="Approver").is_checked()
    tab_to(page, "Create invitation")
    _press(page, "Enter")
    link = page.locator("#password-link").inner_text().strip()

    them = new_window(browser, server)
    them.goto(link)
    tab_to(them, "New password")
    _type(them, password)
    tab_to(them, "Confirm new password")
    _type(them, password)
    _press(them, "Enter")
    _sign_in(them, invited, password)
    _heading(them).to_have_text("Set up two-factor authentication")
    tab_to(them, "Continue")
    _press(them, "Enter")
    tab_to(them, "I cannot scan the QR code")
    them.keyboard.press("Enter")  # opens the details
    key = key_from(them.locator("#authenticator-key").inner_text())
    check_tab_order(them, "the authenticator set-up")
    tab_to(them, "Code from your app")
    _type(them, pyotp.TOTP(key).now())
    _press(them, "Enter")
    expect(them.locator("main")).to_contain_text("recovery code")
    them.context.close()
