"""The time-out warning and the drafts that keep what is typed, in a real browser.

The browser tests share one server whose sessions last 30 idle minutes; these tests give
their own session limits of seconds (conftest's SESSION_TIMEOUTS_FROM_SESSION, honoured only
there and only ever shorter), written into the signed session cookie as the server would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from maturity.domain.roles import MembershipRole
from maturity.security import sessions
from tests.browser import seed
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PASSWORD, new_window, sign_in
from tests.browser.keyboard import describe_active, focus_is_visible

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser

# Sessions in these tests end after IDLE seconds without activity, with the warning WARN
# seconds before (at most half the idle time: maturity/security/sessions.py).
IDLE, WARN = 24, 12
LONG_WARN = 20
WAIT_MS = (IDLE + 15) * 1000


def _shorten_session(page: Any, app: Flask, *, idle: int = IDLE, warn: int = WARN) -> None:
    """Give the signed-in session in ``page``'s browser limits of seconds (test-only)."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = next(c for c in page.context.cookies() if c["name"] == name)
    data = serializer.loads(cookie["value"])
    data[sessions.TEST_IDLE_SECONDS] = idle
    data[sessions.TEST_WARNING_SECONDS] = warn
    page.context.add_cookies([{**cookie, "value": serializer.dumps(data)}])


def _assessor_on_a_domain(
    page: Any, app: Flask, *, idle: int = IDLE, warn: int = WARN
) -> tuple[seed.Body, str]:
    """An assessor signed in with short limits, on the first domain of a new draft."""
    body = seed.body("Timed body", MembershipRole.ASSESSOR)
    seed.draft(body.organisation, "2019")
    sign_in(page, body.email)
    _shorten_session(page, app, idle=idle, warn=warn)
    page.goto("/")
    page.get_by_role("link", name=body.name, exact=True).click()
    page.get_by_role("link", name="2019").first.click()
    domain = seed.framework().domains[0].name
    page.get_by_role("link", name=domain).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(domain)
    return body, page.url


def _seconds_shown(page: Any) -> int:
    return int(page.locator("[data-timeout-countdown] strong").inner_text().split()[0])


def _dialog(page: Any) -> Any:
    return page.get_by_role("alertdialog", name="You’re about to be signed out")  # noqa: RUF001


def _server_says(page: Any) -> Any:
    return page.evaluate(
        "fetch('/session/status', {headers: {Accept: 'application/json'}}).then(r => r.json())"
    )


@pytest.fixture
def window(browser: Any, server: str) -> Iterator[Any]:
    made = new_window(browser, server)
    yield made
    made.context.close()


def test_the_warning_is_announced_keyboard_operable_and_stay_signed_in_extends(
    window: Any, app: Flask
) -> None:
    page = window
    # A longer warning than the other tests', so that the live region can be watched for
    # a while inside one stretch of time (11 to 30 seconds left) however slow the machine.
    _assessor_on_a_domain(page, app, idle=2 * LONG_WARN, warn=LONG_WARN)
    evidence = page.get_by_label("Evidence")
    evidence.focus()
    expect(_dialog(page)).to_be_visible(timeout=(2 * LONG_WARN + 15) * 1000)

    # Focus moves into the dialog, whose role, name and message a screen reader reads out.
    assert page.evaluate("document.activeElement.id") == "app-timeout"
    described = page.evaluate(
        """() => document.getElementById('app-timeout').getAttribute('aria-describedby')
                 .split(' ').map(id => document.getElementById(id).textContent).join(' ')"""
    )
    assert "For your security, we will sign you out in" in described
    assert "kept as a draft" in described
    expect(page.locator("[data-timeout-countdown]")).to_contain_text("seconds")
    # The live region is not rewritten every second: at most once a stretch of time. The
    # seen countdown moves on by two seconds while what is heard stays as it was.
    heard = page.locator("[data-timeout-audible]").inner_text()
    seen = _seconds_shown(page)
    page.wait_for_function(
        "s => parseInt(document.querySelector('[data-timeout-countdown] strong').textContent) <= s",
        arg=seen - 2,
    )
    assert _seconds_shown(page) > 10, "the countdown reached the next stretch: too slow to tell"
    assert page.locator("[data-timeout-audible]").inner_text() == heard
    assert_accessible(page, "the time-out warning open")

    # Tab goes round the dialog's two controls and never leaves it, visibly.
    seen = []
    for _ in range(4):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), describe_active(page)
        seen.append(describe_active(page).split("> ", 1)[-1])
    assert seen == ["Stay signed in", "Sign out", "Stay signed in", "Sign out"]
    page.keyboard.press("Shift+Tab")
    assert describe_active(page).endswith("Stay signed in")

    before = _server_says(page)["expires_in"]
    page.keyboard.press("Enter")
    expect(_dialog(page)).to_be_hidden()
    # Focus is back where it was, and the server gave the session its whole idle time again.
    assert page.evaluate("document.activeElement.id") == "evidence"
    after = _server_says(page)["expires_in"]
    assert after > before + 5 and after > 2 * LONG_WARN - 5


def test_escape_also_keeps_the_person_signed_in(window: Any, app: Flask) -> None:
    page = window
    _assessor_on_a_domain(page, app)
    expect(_dialog(page)).to_be_visible(timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(_dialog(page)).to_be_hidden()
    assert _server_says(page)["expires_in"] > IDLE - 5


def test_sign_out_in_the_warning_signs_out(window: Any, app: Flask) -> None:
    page = window
    _assessor_on_a_domain(page, app)
    expect(_dialog(page)).to_be_visible(timeout=WAIT_MS)
    _dialog(page).get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in**")
    page.goto("/")
    assert "/sign-in" in page.url


def test_what_was_typed_survives_the_time_out(window: Any, app: Flask) -> None:
    page = window
    body, domain_url = _assessor_on_a_domain(page, app)
    page.get_by_label("Evidence").fill("Board papers, typed and never saved")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Last kept at")

    # Nobody answers the warning: the page goes to say so, and that nothing is lost.
    page.wait_for_url("**/signed-out**", timeout=WAIT_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out")
    expect(page.locator("main")).to_contain_text("Nothing has been lost")
    assert_accessible(page, "you have been signed out")
    assert page.evaluate("fetch('/session/status').then(r => r.status)") == 401

    page.get_by_role("button", name="Sign in again").click()
    page.get_by_label("Email address").fill(body.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(domain_url)
    banner = page.locator("#restored-draft")
    expect(banner).to_contain_text("We restored what you were typing at")
    expect(page.get_by_label("Evidence")).to_have_value("Board papers, typed and never saved")
    assert_accessible(page, "a domain with a restored draft")


def test_what_was_typed_survives_a_closed_tab(browser: Any, server: str, window: Any) -> None:
    page = window
    body = seed.body("Closed tab body", MembershipRole.ASSESSOR)
    seed.draft(body.organisation, "2019")
    sign_in(page, body.email)
    page.goto("/")
    page.get_by_role("link", name=body.name, exact=True).click()
    page.get_by_role("link", name="2019").first.click()
    domains = seed.framework().domains
    page.get_by_role("link", name=domains[0].name).click()
    domain_url = page.url
    page.get_by_label("Evidence").fill("Typed, then the tab was closed")
    # Closed at once, before the autosave's pause: the page keeps it on its way out.
    page.close(run_before_unload=True)

    again = new_window(browser, server)
    try:
        sign_in(again, body.email)
        again.goto(domain_url)
        expect(again.locator("#restored-draft")).to_be_visible()
        expect(again.get_by_label("Evidence")).to_have_value("Typed, then the tab was closed")
        # Saving it keeps it, and the draft is gone: no banner next time.
        again.get_by_role("button", name="Save as draft and come back later").click()
        again.goto(domain_url)
        expect(again.locator("#restored-draft")).to_have_count(0)
        expect(again.get_by_label("Evidence")).to_have_value("Typed, then the tab was closed")
    finally:
        again.context.close()


def test_what_is_typed_without_a_connection_stays_and_is_kept_when_it_returns(
    window: Any, browser: Any, server: str
) -> None:
    page = window
    body = seed.body("Offline body", MembershipRole.ASSESSOR)
    seed.draft(body.organisation, "2019")
    sign_in(page, body.email)
    page.goto("/")
    page.get_by_role("link", name=body.name, exact=True).click()
    page.get_by_role("link", name="2019").first.click()
    page.get_by_role("link", name=seed.framework().domains[0].name).click()
    domain_url = page.url

    page.context.set_offline(True)
    page.get_by_label("Evidence").fill("Typed on a train")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Not kept yet")
    expect(page.locator("[data-autosave-announce]")).to_contain_text("could not be kept")
    expect(page.get_by_label("Evidence")).to_have_value("Typed on a train")
    page.context.set_offline(False)
    expect(page.locator("[data-autosave-status]")).to_contain_text("Last kept at")

    elsewhere = new_window(browser, server)
    try:
        sign_in(elsewhere, body.email)
        elsewhere.goto(domain_url)
        expect(elsewhere.get_by_label("Evidence")).to_have_value("Typed on a train")
    finally:
        elsewhere.context.close()


def test_stay_signed_in_in_one_tab_closes_the_warning_in_the_others(
    window: Any, app: Flask
) -> None:
    first = window
    _assessor_on_a_domain(first, app)
    second = first.context.new_page()
    second.goto("/")
    expect(_dialog(first)).to_be_visible(timeout=WAIT_MS)
    expect(_dialog(second)).to_be_visible(timeout=WAIT_MS)
    _dialog(second).get_by_role("button", name="Stay signed in").click()
    expect(_dialog(second)).to_be_hidden()
    expect(_dialog(first)).to_be_hidden()
    second.close()


def test_activity_in_another_tab_is_not_mistaken_for_idleness(window: Any, app: Flask) -> None:
    first = window
    _assessor_on_a_domain(first, app)
    second = first.context.new_page()
    # The other tab keeps the session busy (a page a few seconds, as someone reading).
    for _ in range(4):
        first.wait_for_timeout(4000)
        second.goto("/")
    # The first tab, idle all along, neither warned for long nor signed out.
    expect(_dialog(first)).to_be_hidden()
    assert "/domains/" in first.url
    second.close()


def test_without_javascript_every_page_says_when_the_session_ends(
    page_without_javascript: Any,
) -> None:
    page = page_without_javascript
    body = seed.body("No script body", MembershipRole.ASSESSOR)
    sign_in(page, body.email)
    ending = page.locator("#session-end")
    expect(ending).to_contain_text(
        "For your security, we will sign you out after 30 minutes without activity (at "
    )
    expect(page.locator("#app-timeout")).to_be_hidden()


def test_the_end_of_a_whole_session_is_warned_of_but_cannot_be_put_off(
    window: Any, app: Flask
) -> None:
    page = window
    _assessor_on_a_domain(page, app)
    # Signed in so long ago that the session's whole length runs out in 20 seconds.
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = next(c for c in page.context.cookies() if c["name"] == name)
    data = serializer.loads(cookie["value"])
    absolute = app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    data[sessions.SIGNED_IN_AT] = time.time() - absolute + 20
    page.context.add_cookies([{**cookie, "value": serializer.dumps(data)}])
    page.reload()
    expect(page.locator("#session-end")).to_contain_text("after you signed in")

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    expect(dialog).to_contain_text("as long as a session can last")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_have_count(0)
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog).to_be_hidden()
    # Not asked again; signed out when the time comes, told why.
    page.wait_for_url("**/signed-out**", timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text("you had been signed in for 12 hours")
