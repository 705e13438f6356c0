"""How the one-page figure fits its page: orientation, type sizes and the chart's width.

Pure (no Flask, no database, no WeasyPrint), so it runs in the web request that names the
PDF: the choice is made from the words and the chart's proportions, estimated with Arial's
widths (maturity/domain/chart_metrics.py, which errs wide), and written into the page's
stylesheet. The same data therefore always gives the same HTML, and so the same cached PDF.

A framework may have 1 to 12 domains and 3 to 7 levels, and descriptors of any length:
the largest type that fits is chosen, portrait or landscape, whichever leaves the chart
wider. Only a matrix too long for any of them runs onto a second page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from maturity.domain.chart_metrics import text_width, wrap

MM_PER_PT = 25.4 / 72
LINE_HEIGHT = 1.3
MARGIN_MM = 12.0
A4 = (210.0, 297.0)
CELL_PADDING_MM = 1.2  # above and below each table cell's text
CELL_GAP_MM = 2.0  # to the right of each table cell's text
# Narrower than this, the chart's own labels (13 of its 900 units) print under ~6pt; a
# matrix that leaves less room than that on any page gets down to the floor (~4.5pt)
# before it runs onto a second page.
MIN_CHART_MM = 140.0
FLOOR_CHART_MM = 105.0
# The estimate errs wide already (chart_metrics.SAFETY); this covers line breaks that
# fall worse than a greedy wrap predicts.
SAFETY = 1.06

Orientation = Literal["portrait", "landscape"]
ORIENTATIONS: tuple[Orientation, ...] = ("portrait", "landscape")


@dataclass(frozen=True)
class Density:
    name: str
    body_pt: float
    title_pt: float
    subtitle_pt: float
    table_pt: float
    gap_mm: float  # between the parts of the page


DENSITIES = (
    Density("regular", body_pt=9.0, title_pt=18.0, subtitle_pt=11.5, table_pt=8.0, gap_mm=4.0),
    Density("compact", body_pt=8.0, title_pt=15.0, subtitle_pt=10.0, table_pt=7.0, gap_mm=3.0),
    Density("tight", body_pt=7.0, title_pt=13.0, subtitle_pt=9.0, table_pt=6.0, gap_mm=2.0),
)


@dataclass(frozen=True)
class Words:
    """Everything the page prints besides the chart, as the template prints it."""

    title: str
    subtitle: str
    notices: Sequence[str]  # boxed paragraphs above the chart (illustrative, draft)
    domains: Sequence[str]
    levels: Sequence[str]  # "1 Existing": as the table's first column shows them
    descriptors: Sequence[Sequence[str]]  # per level, one per domain
    definitions_title: str
    notes: Sequence[str]
    source: str


@dataclass(frozen=True)
class Fit:
    orientation: Orientation
    density: Density
    page_mm: tuple[float, float]  # width, height
    chart_mm: float  # the chart's printed width
    level_column_mm: float
    estimated_mm: float  # the page's content, chart included
    fits: bool

    @property
    def content_mm(self) -> tuple[float, float]:
        width, height = self.page_mm
        return width - 2 * MARGIN_MM, height - 2 * MARGIN_MM


def _mm(points: float) -> float:
    return points * MM_PER_PT


def _lines(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> int:
    room = width_mm / MM_PER_PT / (1.1 if bold else 1.0)
    return len(wrap(text, room, size_pt)) if text else 0


def _block(lines: int, size_pt: float) -> float:
    return lines * _mm(size_pt * LINE_HEIGHT)


def level_column(levels: Sequence[str], size_pt: float) -> float:
    """Wide enough for the longest level on one line, in bold (up to a quarter of A4)."""
    widest = max((text_width(name, size_pt, bold=True) for name in levels), default=0.0)
    return min(max(_mm(widest) + CELL_GAP_MM + 1.0, 18.0), 50.0)


def _table(words: Words, width: float, density: Density) -> tuple[float, float]:
    """The definitions table's height, and its first column's width."""
    size = density.table_pt
    first = level_column(words.levels, size)
    column = (width - first) / max(len(words.domains), 1) - CELL_GAP_MM
    row_pad = 2 * CELL_PADDING_MM
    height = _block(_lines(words.definitions_title, width, size + 1.5, bold=True), size + 1.5)
    height += CELL_PADDING_MM
    header = max((_lines(name, column, size, bold=True) for name in words.domains), default=1)
    height += _block(max(header, 1), size) + row_pad + 1.5  # the domain colour's rule
    for level, row in zip(words.levels, words.descriptors, strict=True):
        lines = max(
            [_lines(level, first - CELL_GAP_MM, size, bold=True)]
            + [_lines(text, column, size) for text in row]
        )
        height += _block(max(lines, 1), size) + row_pad
    return height, first


def _estimate(words: Words, chart_ratio: float, orientation: Orientation, density: Density) -> Fit:
    page = A4 if orientation == "portrait" else (A4[1], A4[0])
    width, height = page[0] - 2 * MARGIN_MM, page[1] - 2 * MARGIN_MM
    gap = density.gap_mm
    used = _block(_lines(words.title, width, density.title_pt, bold=True), density.title_pt)
    used += 1.5 + _block(_lines(words.subtitle, width, density.subtitle_pt), density.subtitle_pt)
    for notice in words.notices:  # a rule and padding on the left, a box of its own
        lines = _lines(notice, width - 5, density.body_pt)
        used += gap * 0.6 + 2.0 + _block(lines, density.body_pt)
    table, first = _table(words, width, density)
    notes_width = width - 5.0  # the list's indent
    notes = _block(1, density.body_pt + 1) + 1.0 if words.notes else 0.0
    for note in words.notes:
        notes += _block(_lines(note, notes_width, density.table_pt), density.table_pt) + 0.8
    notes += _block(_lines(words.source, width, density.table_pt), density.table_pt)
    fixed = (used + table + notes) * SAFETY + 3 * gap
    chart = min(width, max(0.0, height - fixed) / chart_ratio)
    return Fit(
        orientation=orientation,
        density=density,
        page_mm=page,
        chart_mm=math.floor(chart),
        level_column_mm=round(first, 1),
        estimated_mm=round(fixed + chart * chart_ratio, 1),
        fits=round(fixed + chart * chart_ratio, 1) <= height,
    )


def choose(words: Words, *, chart_ratio: float) -> Fit:
    """The largest type that leaves the chart at least ``MIN_CHART_MM`` wide on one page,
    in the orientation that leaves it widest (portrait when equal); else the same down to
    ``FLOOR_CHART_MM``; failing every one, the smallest type in landscape with the chart
    at the floor, which runs onto a second page. ``chart_ratio`` is the chart's height over
    its width."""
    options = [
        [_estimate(words, chart_ratio, orientation, density) for orientation in ORIENTATIONS]
        for density in DENSITIES
    ]
    for least in (MIN_CHART_MM, FLOOR_CHART_MM):
        for fits in options:
            wide = [fit for fit in fits if fit.fits and fit.chart_mm >= least]
            if wide:
                return max(wide, key=lambda fit: fit.chart_mm)  # max keeps the first of equals
    tightest = options[-1][-1]
    chart = math.floor(min(tightest.content_mm[0], FLOOR_CHART_MM))
    return Fit(
        orientation=tightest.orientation,
        density=tightest.density,
        page_mm=tightest.page_mm,
        chart_mm=chart,
        level_column_mm=tightest.level_column_mm,
        estimated_mm=round(tightest.estimated_mm + (chart - tightest.chart_mm) * chart_ratio, 1),
        fits=False,
    )
