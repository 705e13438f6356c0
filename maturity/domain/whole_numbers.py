"""Whole numbers typed into an address or posted by a form (a page number, a level, an
action's id), read without trusting them."""

from __future__ import annotations

# More digits than any page, level or id has, and few enough for int() to read at once.
DIGITS = 9


def whole_number(text: str) -> int | None:
    """The digits as a number; None for anything else: a sign, "²" and other characters
    that str.isdigit() accepts and int() does not read, or more than DIGITS digits."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= DIGITS else None
