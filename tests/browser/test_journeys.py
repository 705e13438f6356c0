"""The journeys of the people the service is for, in a real browser with a mouse, and axe on
every page and state (including errors) they pass through.

Each journey runs twice: with JavaScript on, and with it off, as for someone whose browser
blocks scripts or failed to load them (progressive enhancement: every page must work without).
axe, being a script itself, runs only in the first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maturity.domain.roles import MembershipRole
from tests.browser import seed
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import (
    another_window,
    download_report,
    key_from,
    new_window,
    sign_in,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture(params=["javascript on", "javascript off"])
def page(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Any]:
    """Overrides conftest's: each journey with and without JavaScript."""
    window = new_window(browser, server, java_script_enabled=request.param == "javascript on")
    yield window
    window.context.close()


def _level(page: Any, text: str) -> Any:
    return page.get_by_role("group", name="Which level has been reached?").get_by_label(text)


def _ambition(page: Any, text: str) -> Any:
    return page.get_by_role("group", name="Ambition").get_by_label(text)


def _open_organisation(page: Any, name: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_an_assessor_fills_in_and_submits_an_assessment_over_two_sittings(
    page: Any, browser: Any, server: str
) -> None:
    body = seed.body("Assessed body", MembershipRole.ASSESSOR)
    domains = seed.framework().domains
    levels = seed.framework().levels

    # First sitting: start the assessment, finish the first domain, leave the second half done.
    sign_in(page, body.email)
    _open_organisation(page, body.name)
    assert_accessible(page, "the organisation's page with no assessment")
    page.get_by_role("button", name="Start a new assessment").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the period")
    assert_accessible(page, "starting an assessment without a period")
    page.get_by_label("Which period does this assessment cover?").fill("2019")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2019 assessment")
    assert_accessible(page, "a new assessment's task list")

    page.get_by_role("link", name=domains[0].name).click()
    assert_accessible(page, "a domain's questions")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the level reached")
    assert_accessible(page, "a domain saved without a level")
    _level(page, f"2 {levels[1].name}").check()
    page.get_by_label("Evidence").fill("The framework was agreed by the board in March.")
    _ambition(page, f"3 {levels[2].name}").check()
    page.get_by_role("button", name="Add an improvement action").click()
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "an improvement action with nothing filled in")
    page.get_by_label("What will be done").fill("Build delivery maps for each objective")
    page.get_by_label("Who owns it?").fill("Head of Performance")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real due date")
    assert_accessible(page, "an improvement action due on a date that does not exist")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#actions ~ .app-action")).to_contain_text("Build delivery maps")
    expect(page.get_by_label("Evidence")).to_have_value(
        "The framework was agreed by the board in March."
    )
    assert_accessible(page, "a domain with an improvement action")
    page.get_by_role("button", name="Change action 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change an improvement action")
    expect(page.get_by_label("What will be done")).to_have_value(
        "Build delivery maps for each objective"
    )
    page.get_by_label("Who owns it?").fill("")
    page.get_by_label("Year").fill("20")
    page.get_by_role("button", name="Save changes").click()
    # Every mistake at once.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who owns the action")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Year must include 4 numbers")
    assert_accessible(page, "changing an improvement action with mistakes")
    page.get_by_label("Who owns it?").fill("Director of Strategy")
    page.get_by_label("Year").fill("2020")
    page.get_by_label("Yes: it is done").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#actions ~ .app-action")).to_contain_text("Director of Strategy")
    expect(page.locator("#actions ~ .app-action")).to_contain_text("Done")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(domains[1].name)
    page.get_by_label("Evidence").fill("Half written: monthly reports exist")  # no level yet
    page.get_by_role("button", name="Save as draft and come back later").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2019 assessment")
    page.context.close()

    # Second sitting, another day: what was typed is there; finish and submit.
    page = another_window(browser, server, like=page)
    sign_in(page, body.email)
    _open_organisation(page, body.name)
    page.get_by_role("link", name="2019").first.click()
    expect(page.locator(".govuk-task-list")).to_contain_text("Completed")
    expect(page.locator(".govuk-task-list")).to_contain_text("In progress")
    assert_accessible(page, "a task list part done")
    page.get_by_role("link", name=domains[1].name).click()
    expect(page.get_by_label("Evidence")).to_have_value("Half written: monthly reports exist")
    _level(page, f"1 {levels[0].name}").check()
    page.get_by_role("button", name="Save and continue").click()
    for domain in domains[2:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(domain.name)
        _level(page, f"1 {levels[0].name}").check()
        page.get_by_label("Evidence").fill("Reports go to the board")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("submitted")
    assert_accessible(page, "the assessment submitted")
    page.context.close()


def test_two_assessors_saving_one_domain_get_a_conflict_not_an_overwrite(
    page: Any, browser: Any, server: str
) -> None:
    body = seed.body("Shared body", MembershipRole.ASSESSOR)
    colleague = seed.member(body.organisation, MembershipRole.ASSESSOR)
    seed.draft(body.organisation, "2019")
    first = seed.framework().domains[0]
    levels = seed.framework().levels
    other = another_window(browser, server, like=page)
    for window, email in ((page, body.email), (other, colleague.email)):
        sign_in(window, email)
        _open_organisation(window, body.name)
        window.get_by_role("link", name="2019").first.click()
        window.get_by_role("link", name=first.name).click()

    _level(other, f"2 {levels[1].name}").check()
    other.get_by_label("Evidence").fill("Their evidence")
    other.get_by_role("button", name="Save as draft and come back later").click()
    other.context.close()
    _level(page, f"3 {levels[2].name}").check()
    page.get_by_label("Evidence").fill("My evidence")
    page.get_by_role("button", name="Save as draft and come back later").click()
    expect(page.locator("#their-answers")).to_contain_text("Their evidence")
    expect(page.locator("#your-answers")).to_contain_text("My evidence")
    expect(page.get_by_label("Evidence")).to_have_value("My evidence")
    assert_accessible(page, "a conflict between two people's answers")


def test_an_approver_moderates_sends_back_and_approves(page: Any) -> None:
    body = seed.body("Reviewed body", MembershipRole.APPROVER)
    # Two people: the assessor answers and submits; the approver, who changed none of it,
    # reviews it (separation of duties).
    assessor = seed.member(body.organisation, MembershipRole.ASSESSOR)
    seed.member(body.organisation, MembershipRole.APPROVER)
    seed.submitted(body.organisation, "2018", level=2, by=assessor)
    first = seed.framework().domains[0]
    levels = seed.framework().levels

    sign_in(page, body.email)  # with the code from their authenticator app
    expect(page.get_by_role("heading", name="Waiting for your approval")).to_be_visible()
    assert_accessible(page, "home with an assessment waiting for approval")
    page.get_by_role("link", name=f"{body.name}, 2018").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the 2018 assessment")
    expect(page.locator("#who-approves")).to_have_count(0)
    assert_accessible(page, "the review page")

    section = page.locator(f"#{first.key}")
    section.get_by_label(f"3 {levels[2].name}").check()
    section.get_by_role("button", name="Save moderated level").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "a moderated level without a note")
    section = page.locator(f"#{first.key}")
    section.get_by_label(f"3 {levels[2].name}").check()
    section.get_by_role("textbox").fill("The delivery maps were in place by the year end.")
    section.get_by_role("button", name="Save moderated level").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You set a moderated level for {first.name}"
    )
    assert_accessible(page, "the review page after moderating")

    page.get_by_role("link", name="Send it back to the assessor").click()
    page.get_by_role("button", name="Send back to the assessor").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "sending back without a comment")
    page.locator("textarea").first.fill("Please add the evidence for the second domain.")
    page.get_by_role("button", name="Send back to the assessor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sent back")
    assert_accessible(page, "the assessment sent back")

    seed.resubmit(body.organisation, "2018", by=assessor)
    page.goto("/")
    page.get_by_role("link", name=f"{body.name}, 2018").click()
    page.get_by_label("Comment on your approval (optional)").fill("Checked against the minutes.")
    page.get_by_role("button", name="Approve assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("approved")
    assert_accessible(page, "the assessment approved")
    page.goto(page.url.replace("/approved", "/history"))
    expect(page.locator("#sign-off-trail")).to_contain_text("Checked against the minutes.")
    assert_accessible(page, "the history with its sign-off trail")


def test_an_approver_who_edited_an_assessment_is_shown_who_must_approve_it(page: Any) -> None:
    body = seed.body("Self-assessed body", MembershipRole.APPROVER)
    seed.submitted(body.organisation, "2018", level=2, by=body.person)

    sign_in(page, body.email)
    page.get_by_role("link", name=f"{body.name}, 2018").click()
    notice = page.locator("#who-approves")
    expect(notice).to_contain_text(
        "You edited and submitted this assessment, so another approver must moderate or approve it."
    )
    expect(notice).to_contain_text("Only one approver")
    expect(notice).to_contain_text("Ask an administrator to name a second approver.")
    expect(page.get_by_role("button", name="Approve assessment")).to_have_count(0)
    expect(page.get_by_role("button", name="Save moderated level")).to_have_count(0)
    assert_accessible(page, "the review page of an approver who edited the assessment")
    page.goto(f"/organisations/{body.organisation.slug}")
    expect(page.locator("#single-approver")).to_contain_text("Only one approver")
    assert_accessible(page, "an organisation with a single approver")


def test_a_viewer_compares_two_years_and_downloads_the_pdf(page: Any) -> None:
    from pypdf import PdfReader

    body = seed.body("Viewed body", MembershipRole.VIEWER)
    seed.submitted(body.organisation, "2017", level=1)
    seed.submitted(body.organisation, "2018", level=3)
    levels = seed.framework().levels

    sign_in(page, body.email)
    _open_organisation(page, body.name)
    assert_accessible(page, "an organisation's page with a chart")
    page.get_by_role("link", name="Compare two periods").click()
    page.get_by_label("First period").select_option("2018")
    page.get_by_label("Second period").select_option("2018")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "comparing a period with itself")
    page.get_by_label("First period").select_option("2017")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="2017 compared with 2018")).to_be_visible()
    first_domain = page.locator(".govuk-summary-card").first
    expect(first_domain).to_contain_text(levels[0].name)
    expect(first_domain).to_contain_text(levels[2].name)
    assert_accessible(page, "two periods compared")

    page.get_by_role("link", name="Back").click()
    download = download_report(page, page.get_by_role("link", name="Download PDF report").click)
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-"), "the download is not a PDF"
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert body.name in text
    assert len(pdf.pages) >= 2, "the report has the chart and the definitions"
    for level in levels:
        assert level.name in text


def test_an_oversight_viewer_opens_the_bodies_it_oversees(page: Any) -> None:
    department = seed.body("Department", MembershipRole.VIEWER)
    agencies = [
        seed.body("Agency", MembershipRole.ASSESSOR, parent=department.organisation)
        for _ in range(2)
    ]
    for number, agency in enumerate(agencies, start=1):
        seed.submitted(agency.organisation, "2018", level=number)

    sign_in(page, department.email)
    page.get_by_role("link", name=f"Bodies overseen by {department.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(department.name)
    for agency in agencies:
        expect(page.locator("main")).to_contain_text(agency.name)
    assert_accessible(page, "the bodies an organisation oversees")


def test_an_administrator_invites_a_person_who_signs_in_with_two_factor(
    page: Any, browser: Any, server: str
) -> None:
    import pyotp

    body = seed.body("Inviting body", MembershipRole.VIEWER)
    admin = seed.administrator()
    invited = f"new.approver.{body.organisation.id}@example.org"

    sign_in(page, admin.email)
    page.get_by_role("link", name="Administration").click()
    assert_accessible(page, "the administration page")
    page.get_by_role("link", name="People").first.click()
    assert_accessible(page, "the list of people")
    page.get_by_role("button", name="Invite a person").click()
    page.get_by_role("button", name="Create invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "an invitation with nothing filled in")
    page.get_by_label("Full name").fill("Nia Approver")
    page.get_by_label("Email address").fill(invited)
    page.get_by_label("Organisation (optional)").select_option(label=body.name)
    page.get_by_label("Approver").check()
    page.get_by_role("button", name="Create invitation").click()
    link = page.locator("#password-link").inner_text().strip()
    assert_accessible(page, "the invitation link shown once")

    them = another_window(browser, server, like=page)
    them.goto(link)
    expect(them.get_by_role("heading", level=1)).to_have_text("Create your password")
    them.get_by_label("New password", exact=True).fill("too short")
    them.get_by_label("Confirm new password").fill("too short")
    them.get_by_role("button", name="Save password").click()
    expect(them.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(them, "a password that is too short")
    them.get_by_label("New password", exact=True).fill("tulip orbit canyon whisper")
    them.get_by_label("Confirm new password").fill("tulip orbit canyon whisper")
    them.get_by_role("button", name="Save password").click()
    assert_accessible(them, "the password set")

    sign_in(them, invited, "tulip orbit canyon whisper")
    expect(them.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    assert_accessible(them, "two-factor set-up required")
    them.get_by_role("button", name="Continue").click()
    them.get_by_text("I cannot scan the QR code").click()
    key = key_from(them.locator("#authenticator-key").inner_text())
    assert_accessible(them, "the authenticator key shown")
    them.get_by_label("Code from your app").fill("000000")
    them.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(them.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(them, "a wrong first code")
    them.get_by_label("Code from your app").fill(pyotp.TOTP(key).now())
    them.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(them.locator("main")).to_contain_text("recovery code")
    assert_accessible(them, "two-factor turned on")
    them.goto("/")
    expect(them.get_by_role("link", name=body.name, exact=True)).to_be_visible()
    them.context.close()
