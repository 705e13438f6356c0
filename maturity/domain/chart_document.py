"""Figure 8 as a file of its own: the chart a page shows, under its title, for board papers.

Pure (no Flask, no database), like the rest of the chart. The chart is the very drawing of
``chart_svg`` (the same elements, moved down to make room for the title), so a bar in the
download is the bar on the page and in the PDF. Around it: an XML declaration, a fixed
size (a word processor has no column to scale it to), ``<title>`` and ``<desc>`` for
assistive technology, the title and what the chart is of as visible text, and the notes a
reader of a pasted picture would otherwise never see (illustrative data, periods not yet
approved, where the levels come from).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from maturity.domain.chart_layout import FONT_SIZE, LINE_HEIGHT_EM, layout
from maturity.domain.chart_metrics import BOLD_FACTOR, wrap
from maturity.domain.chart_svg import FONT_FAMILY, MUTED_COLOUR, TEXT_COLOUR, drawing, fmt
from maturity.domain.chart_text import describe
from maturity.domain.progress import Progress

WIDTH = 900.0
TITLE_SIZE = FONT_SIZE * 1.5
SUBTITLE_SIZE = FONT_SIZE * 1.15
NOTE_SIZE = FONT_SIZE
ID_PREFIX = "figure8"


@dataclass(frozen=True)
class FigureText:
    """The words around the chart: all decided by the caller, none by the drawing."""

    title: str  # the framework's figure title
    subtitle: str  # the sentence under it (the report's headline)
    notes: tuple[str, ...] = ()  # under the chart, in order (the source last)
    accessible_title: str = ""  # the file's <title>: what the figure is of; else the title


def _lines(
    x: float, y: float, lines: tuple[str, ...], size: float, *, fill: str, bold: bool = False
) -> list[str]:
    """One <text> per line, the first baseline at ``y``."""
    weight = ' font-weight="bold"' if bold else ""
    step = size * LINE_HEIGHT_EM
    return [
        f'<text x="{fmt(x)}" y="{fmt(y + n * step)}" font-family="{FONT_FAMILY}" '
        f'font-size="{fmt(size)}" fill="{fill}"{weight}>{escape(line)}</text>'
        for n, line in enumerate(lines)
    ]


def render_document(progress: Progress, text: FigureText, *, width: float = WIDTH) -> str:
    """The whole SVG file: title, subtitle, the chart, then the notes."""
    lay = layout(progress, width=width)
    pad = lay.font_size * 1.5  # the chart's own margin: the title lines up with its labels
    room = width - 2 * pad
    title = wrap(text.title, room / BOLD_FACTOR, TITLE_SIZE)
    subtitle = wrap(text.subtitle, room, SUBTITLE_SIZE) if text.subtitle else ()
    notes = [wrap(note, room, NOTE_SIZE) for note in text.notes]

    out: list[str] = []
    y = pad + TITLE_SIZE * 0.8  # the first baseline: a capital's height below the margin
    out += _lines(pad, y, title, TITLE_SIZE, fill=TEXT_COLOUR, bold=True)
    y += (len(title) - 1) * TITLE_SIZE * LINE_HEIGHT_EM
    if subtitle:
        y += SUBTITLE_SIZE * 1.6
        out += _lines(pad, y, subtitle, SUBTITLE_SIZE, fill=TEXT_COLOUR)
        y += (len(subtitle) - 1) * SUBTITLE_SIZE * LINE_HEIGHT_EM
    # The chart's own top margin (its pad and headroom) separates it from the words above.
    chart_top = y + SUBTITLE_SIZE * 0.4
    out.append(f'<g transform="translate(0 {fmt(chart_top)})">')
    out += drawing(lay, id_prefix=ID_PREFIX)
    out.append("</g>")
    # The chart ends with its own bottom margin; half a line more sets the notes apart
    # from the legend.
    y = chart_top + lay.height + NOTE_SIZE * 0.5
    for lines in notes:
        out += _lines(pad, y, lines, NOTE_SIZE, fill=MUTED_COLOUR)
        y += len(lines) * NOTE_SIZE * LINE_HEIGHT_EM + NOTE_SIZE * 0.3
    height = y + (pad * 0.5 if notes else 0.0)

    size = f'width="{fmt(width)}" height="{fmt(height)}" viewBox="0 0 {fmt(width)} {fmt(height)}"'
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" {size} role="img" '
            f'aria-labelledby="{ID_PREFIX}-title {ID_PREFIX}-desc" '
            f"font-family={quoteattr(FONT_FAMILY)}>",
            f'<title id="{ID_PREFIX}-title">{escape(text.accessible_title or text.title)}</title>',
            f'<desc id="{ID_PREFIX}-desc">{escape(describe(progress))}</desc>',
            # The whole canvas white: a picture pasted on a coloured slide keeps its look.
            f'<rect x="0" y="0" width="{fmt(width)}" height="{fmt(height)}" fill="#ffffff"/>',
            *out,
            "</svg>",
            "",
        ]
    )
