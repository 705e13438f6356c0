"""Whole numbers from addresses and forms, read without trusting them."""

from __future__ import annotations

import pytest

from maturity.domain.whole_numbers import whole_number


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("7", 7), ("007", 7), ("9" * 9, 10**9 - 1)])
def test_digits_are_their_number(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", ["", "-1", "+1", "1.5", " 1", "two", "²", "\u0661", "9" * 10])
def test_anything_else_is_none(text):
    assert whole_number(text) is None
