"""The checks the other browser tests rely on fail when they should: a check that cannot
fail would prove nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.keyboard import check_tab_order

pytestmark = pytest.mark.browser

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
    "<body><main>{}</main></body></html>"
)


def test_axe_reports_an_image_without_a_text_alternative(page: Any) -> None:
    page.set_content(PAGE.format('<img src="chart.png">'))
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "an image without alt text")


def test_axe_reports_text_without_enough_contrast(page: Any) -> None:
    page.set_content(PAGE.format('<p style="color:#bbb;background:#fff">Pale words</p>'))
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_accessible(page, "pale text")


def test_a_page_that_passes_passes(page: Any) -> None:
    page.set_content(PAGE.format("<h1>Fine</h1><p>Plain words.</p>"))
    assert_accessible(page, "a plain page")


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('<style>a:focus{outline:none}</style><a href="#a">Hidden focus</a>', "cannot be seen"),
        ('<a href="#a">One</a> <a href="#b" tabindex="-1">Out of reach</a>', "never reaches"),
        (
            '<a href="#a">One</a> <a href="#b" tabindex="1">Jumps the queue</a>',
            "never reaches|not the page",
        ),
    ],
    ids=["invisible focus", "unreachable link", "order not the page's"],
)
def test_the_keyboard_check_fails_a_page_that_breaks_it(
    page: Any, body: str, complaint: str
) -> None:
    page.set_content(PAGE.format(body))
    with pytest.raises(AssertionError, match=complaint):
        check_tab_order(page, "a broken page")


def test_the_keyboard_check_passes_a_plain_page(page: Any) -> None:
    page.set_content(
        PAGE.format('<a href="#a">One</a> <button>Two</button> <input aria-label="Three">')
    )
    assert check_tab_order(page, "a plain page") == 3
