"""How wide a chart label is, without a font engine: Arial's advance widths, rounded up.

The chart is drawn in Arial (Liberation Sans in the PDF: the same widths). Counting every
character as one average width either clips wide text ("WWW") or wastes room (a legend
spilling onto a second row for no reason), so common characters carry their own width
and anything else counts as wide. ``SAFETY`` keeps estimates above the real widths.
"""

from __future__ import annotations

import unicodedata

# Advance widths in 1/1000 em, from Arial's metrics (Helvetica's are the same).
_WIDTHS: dict[str, int] = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191,
    "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015,
    "[": 278, "\\": 278, "]": 278, "_": 556,
    "\u2018": 222, "\u2019": 222, "\u201c": 333, "\u201d": 333,  # curly quotes
    "\u2013": 556, "\u2014": 1000, "\u2026": 1000,  # en dash, em dash, ellipsis
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722,
    "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667,
    "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667,
    "Y": 667, "Z": 611,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556,
    "i": 222, "j": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556,
    "q": 556, "r": 333, "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500,
    "y": 500, "z": 500,
}  # fmt: skip
_DIGIT = 556
_OTHER = 1000  # unknown letters (accents, other scripts) count as the widest, never clipped
SAFETY = 1.08
BOLD_FACTOR = 1.1  # Arial Bold is at most ~10% wider than regular for the same text


def char_width_em(char: str) -> float:
    if char in _WIDTHS:
        width = _WIDTHS[char]
    elif char.isdigit() and char.isascii():
        width = _DIGIT
    elif unicodedata.category(char).startswith("M"):
        width = 0  # a combining accent sits on the letter before it
    else:
        width = _OTHER
    return width / 1000


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width at ``font_size`` in Arial."""
    ems = sum(char_width_em(c) for c in text) * SAFETY
    return ems * font_size * (BOLD_FACTOR if bold else 1.0)


def wrap(text: str, max_width: float, font_size: float) -> tuple[str, ...]:
    """Greedy word wrap by estimated width; a word wider than a line is cut into pieces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font_size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        if text_width(word, font_size) <= max_width:
            current = word
            continue
        for char in word:  # a single word wider than the line is cut
            if current and text_width(current + char, font_size) > max_width:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return tuple(lines)
