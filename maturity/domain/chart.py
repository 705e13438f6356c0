"""Figure 8: a grouped bar chart of the level reached per period and domain, plus the ambition.

The public entry for callers (pages, PDF reports). The chart is split by concept:
``chart_layout`` computes the geometry (pure numbers, tested directly), ``chart_svg`` draws
it, and ``chart_text`` says it in words for the SVG's <desc> and anyone who cannot see it.
"""

from __future__ import annotations

from maturity.domain.chart_layout import (
    MODERATED_KEY,
    NO_DATA_MESSAGE,
    STUB_HEIGHT,
    Bar,
    ChartLayout,
    Group,
    LegendItem,
    Marker,
    Tick,
    layout,
)
from maturity.domain.chart_svg import render_svg
from maturity.domain.chart_text import MODERATION_NOTE, describe

__all__ = [
    "MODERATED_KEY",
    "MODERATION_NOTE",
    "NO_DATA_MESSAGE",
    "STUB_HEIGHT",
    "Bar",
    "ChartLayout",
    "Group",
    "LegendItem",
    "Marker",
    "Tick",
    "describe",
    "layout",
    "render_svg",
]
