"""axe-core on a page in the state a journey left it in: WCAG 2.2 A and AA, no violations."""

from __future__ import annotations

import weakref
from functools import cache
from typing import Any

import pytest

# WCAG 2.2 A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@cache
def _axe() -> Any:
    """axe-core, read once; without axe-playwright-python the test is skipped, saying so."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is not installed: pip install -e '.[dev]'",
    )
    return axe.Axe()


# Browser contexts with JavaScript turned off: axe is a script, so it cannot run there (the
# same pages are checked with JavaScript on).
WITHOUT_JAVASCRIPT: weakref.WeakSet[Any] = weakref.WeakSet()


def javascript_on(page: Any) -> bool:
    return page.context not in WITHOUT_JAVASCRIPT


def violations(page: Any) -> list[dict[str, Any]]:
    page.wait_for_load_state()
    return list(_axe().run(page, options=OPTIONS).response["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    """One line per rule broken, with where: enough to find the template at fault."""
    lines = []
    for violation in found:
        where = "; ".join(
            f"{' '.join(node['target'])} ({node.get('failureSummary', '').splitlines()[-1]})"
            for node in violation["nodes"][:5]
        )
        lines.append(f"{violation['id']} [{violation['impact']}] {violation['help']}: {where}")
    return "\n".join(lines)


def assert_accessible(page: Any, state: str) -> None:
    """Fails, naming each rule and element, if axe finds any WCAG 2.2 A/AA violation."""
    if not javascript_on(page):
        return
    found = violations(page)
    assert not found, f"{state} ({page.url}) breaks WCAG 2.2 A/AA:\n{describe(found)}"
