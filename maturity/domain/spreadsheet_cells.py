"""Cells of the CSV and XLSX downloads, written so that no spreadsheet runs them as formulas.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or a carriage return before one) as a formula, which can fetch a web address or run a
command when the file is opened (OWASP: CSV injection). Every download therefore writes such
a cell with a leading apostrophe, which spreadsheets take as "this is text"; the CSV parser
(``import-csv`` and the web import) removes exactly that apostrophe again, so a download
imports back exactly as it was: evidence written as a bulleted list ("- first point") is
exported as ``'- first point`` and imported as ``- first point``.

For the round trip to be exact whatever the text, a text that already begins with
apostrophes followed by one of those characters (``'=x``) gets one more on the way out
(``''=x``), and loses one on the way in: an import removes one leading apostrophe where only
apostrophes stand between it and one of those characters.
"""

from __future__ import annotations

import re

# What a spreadsheet may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")


def escape_text(text: str) -> str:
    """``text`` as a download writes it: with a leading apostrophe when a spreadsheet could
    take it for a formula (or when its import would otherwise lose an apostrophe)."""
    return "'" + text if _ESCAPED.match(text) else text


def escape_cell(value: object) -> object:
    """A cell as a download writes it: text through :func:`escape_text`, numbers and empty
    cells as they are."""
    return escape_text(value) if isinstance(value, str) else value


def unescape_text(text: str) -> str:
    """A cell of an imported file as it was before :func:`escape_text`: without one leading
    apostrophe where only apostrophes stand between it and a formula's first character."""
    if text.startswith("'") and _ESCAPED.match(text, 1):
        return text[1:]
    return text
