"""Domain colours for the bars of a chart: each must stand out against a white page.

WCAG 2.2 (1.4.11, non-text contrast) asks 3:1 for the parts of a graphic a person needs to
see; a framework file may give its own colours, and those it leaves out come from PALETTE.
"""

from __future__ import annotations

import re

MINIMUM_CONTRAST = 3.0
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Twelve colours (the most domains a framework may have), each at least 3:1 against white,
# ordered so that neighbours differ in hue as well as lightness. The first three are the
# NAO file's own, so a file without colours still looks like Figure 8.
PALETTE: tuple[str, ...] = (
    "#12436D",  # dark blue
    "#28A197",  # turquoise
    "#801650",  # dark pink
    "#B04A00",  # burnt orange
    "#3D3D3D",  # dark grey
    "#4C2C92",  # purple
    "#00703C",  # green
    "#1D70B8",  # blue
    "#D4351C",  # red
    "#6F5A00",  # olive
    "#AA2A74",  # magenta
    "#005A5B",  # dark teal
)


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def assign(given: list[str | None]) -> list[str]:
    """The colour of each domain: its own where the file gives one, else the next palette
    colour that no other domain uses."""
    taken = {colour.upper() for colour in given if colour}
    spare = iter(colour for colour in PALETTE if colour.upper() not in taken)
    return [colour.upper() if colour else next(spare) for colour in given]
