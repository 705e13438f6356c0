"""Label widths are estimated without a font engine: never narrower than the real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.domain.chart_metrics import SAFETY, text_width, wrap

FONTS = Path("/usr/share/fonts/truetype")
SAMPLES = [
    "Developing a framework",
    "Reporting performance information",
    "Not yet at Existing",
    "Moderated level (set by an approver)",
    "WWW MMM @@@ %%%",
    "iiii llll jjjj ffff tttt rrrr",
    "Financial year 2019-20",
    "Ambition: target level",
    "R&D <board> \"quoted\" 'single'",
]


def _font(name: str):  # type: ignore[no-untyped-def]
    image_font = pytest.importorskip("PIL.ImageFont")
    found = sorted(FONTS.glob(f"*/{name}"))
    if not found:
        pytest.skip(f"{name} is not installed")
    return image_font.truetype(str(found[0]), 1000)


@pytest.mark.parametrize("text", SAMPLES)
def test_estimate_covers_the_real_width_without_wasting_much(text):
    real = _font("LiberationSans-Regular.ttf").getlength(text)  # Arial's metrics
    estimate = text_width(text, 1000)
    assert real <= estimate <= real * SAFETY * 1.02


@pytest.mark.parametrize("text", SAMPLES)
def test_bold_estimate_covers_real_bold_text(text):
    real = _font("LiberationSans-Bold.ttf").getlength(text)
    assert real <= text_width(text, 1000, bold=True)


def test_unknown_characters_count_as_wide():
    assert text_width("漢字", 10) >= 2 * 10
    assert text_width("e\u0301", 10) == text_width("e", 10)  # a combining accent adds nothing


def test_wrap_keeps_words_whole_and_lines_within_the_width():
    text = "Performance information is communicated and used throughout the organisation"
    lines = wrap(text, 200, 13)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(text_width(line, 13) <= 200 for line in lines)
    assert wrap("Short", 200, 13) == ("Short",)
    assert wrap("", 200, 13) == ("",)


def test_a_word_wider_than_the_line_is_cut():
    lines = wrap("Supercalifragilisticexpialidocious end", 60, 13)
    assert len(lines) > 2
    assert "".join(lines).replace(" ", "") == "Supercalifragilisticexpialidociousend"
    assert all(text_width(line, 13) <= 60 for line in lines)
