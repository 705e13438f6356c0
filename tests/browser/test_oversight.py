"""The oversight page of a department with more bodies than one page holds: a person finds a
body by name, filters by the level in a domain, sorts, pages through and mistypes a level,
in a real browser, with axe on every state; with JavaScript on and off, and by keyboard.

Pages hold three rows here (``PER_PAGE`` is set low for the server in this process), so a
handful of bodies stands in for a thousand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from maturity.domain import portfolio_page
from maturity.domain.roles import MembershipRole
from tests import factories
from tests.browser import seed
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import new_window, sign_in
from tests.browser.keyboard import check_tab_order, tab_to

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture(params=["javascript on", "javascript off"])
def page(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Any]:
    """Overrides conftest's: with and without JavaScript."""
    window = new_window(browser, server, java_script_enabled=request.param == "javascript on")
    yield window
    window.context.close()


@pytest.fixture
def department(monkeypatch: pytest.MonkeyPatch) -> seed.Body:
    """A department over seven agencies at levels 0 to 5 and one without an assessment,
    each assessed in 2017 and 2018; three rows to a page."""
    monkeypatch.setattr(portfolio_page, "PER_PAGE", 3)
    department = seed.body("Oversight department", MembershipRole.VIEWER)
    keys = [domain.key for domain in seed.framework().domains]
    for level in range(6):
        agency = seed.body(
            f"Agency at {level}", MembershipRole.VIEWER, parent=department.organisation
        )
        for period, at in (("2017", max(level - 1, 0)), ("2018", level)):
            factories.assessment(
                of=agency.organisation, period=period, levels=dict.fromkeys(keys, at)
            )
    seed.body("Quiet agency", MembershipRole.VIEWER, parent=department.organisation)
    return department


def _names(page: Any) -> list[str]:
    return page.locator("table.app-oversight tbody th").all_inner_texts()  # type: ignore[no-any-return]


def test_find_filter_sort_and_page_through(page: Any, department: seed.Body) -> None:
    sign_in(page, department.email)
    page.get_by_role("link", name=f"Bodies overseen by {department.name}").click()
    summary = page.locator("#distribution").inner_text()
    expect(page.locator("#shown")).to_contain_text("Showing 1 to 3 of 7 bodies")
    assert_accessible(page, "the first page of bodies")

    page.get_by_role("navigation", name="Pages of bodies").get_by_role("link", name="Next").click()
    expect(page.locator("#shown")).to_contain_text("Showing 4 to 6 of 7 bodies")
    assert page.locator("#distribution").inner_text() == summary
    assert_accessible(page, "the second page of bodies")

    page.get_by_role("link", name="Net change since 2017").click()
    expect(page.get_by_role("columnheader", name="Net change since 2017")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert_accessible(page, "bodies sorted by their change")

    page.get_by_label("Body name").fill("agency at")
    page.get_by_label("Domain", exact=True).select_option(label="Using the framework")
    page.get_by_label("Compared", exact=True).select_option(label="at least")
    page.get_by_label("Level", exact=True).select_option(label="Challenging (4)")
    page.get_by_role("button", name="Show bodies").click()
    expect(page.locator("#shown")).to_contain_text(
        "2 bodies whose name contains “agency at” and whose level in Using the framework is"
        " at least Challenging (4)"
    )
    assert [name.split()[2] for name in _names(page)] == ["4", "5"]  # "Agency at 4 <n>"
    assert page.locator("#distribution").inner_text() == summary
    assert_accessible(page, "bodies found by name and level")

    page.get_by_role("link", name="Clear the search and filter").click()
    expect(page.locator("#shown")).to_contain_text("of 7 bodies")


def test_a_level_that_makes_no_sense_is_a_message_by_the_field(
    page: Any, department: seed.Body
) -> None:
    sign_in(page, department.email)
    slug = department.organisation.slug
    page.goto(f"/organisations/{slug}/oversight?domain=using-the-framework&level=Enablingx")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a level from the list")
    expect(page.locator("#level-error")).to_contain_text("Select a level from the list")
    assert_accessible(page, "a level that makes no sense")
    summary.get_by_role("link").click()
    # With JavaScript the error summary focuses the field; without, the link goes to it.
    assert page.evaluate("document.activeElement.id") == "level" or page.url.endswith("#level")
    expect(page.locator("#shown")).to_contain_text("of 7 bodies")  # nothing filtered


def test_the_page_of_bodies_by_keyboard(browser: Any, server: str, department: seed.Body) -> None:
    window = new_window(browser, server)
    try:
        sign_in(window, department.email)
        tab_to(window, f"Bodies overseen by {department.name}")
        with window.expect_navigation():
            window.keyboard.press("Enter")
        tab_to(window, "Body name")
        window.keyboard.type("agency")
        tab_to(window, "Show bodies")
        with window.expect_navigation():
            window.keyboard.press("Enter")
        expect(window.locator("#shown")).to_contain_text("whose name contains “agency”")
        check_tab_order(window, "the bodies found by name")
    finally:
        window.context.close()
