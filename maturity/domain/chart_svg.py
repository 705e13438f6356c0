"""Figure 8 drawn as SVG from ``chart_layout``: only serialisation, no geometry decisions.

Stdlib only and self-contained (no CSS, scripts or external references), so the same
string is inlined in a page and handed to WeasyPrint. Every bar is one <rect> whose outer
box is the laid-out box; hatching comes from a <pattern> fill, never extra shapes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from maturity.domain.chart_layout import (
    FONT_SIZE,
    LINE_HEIGHT_EM,
    STUB_HEIGHT,
    Bar,
    ChartLayout,
    LegendItem,
    Marker,
    layout,
)
from maturity.domain.chart_text import describe
from maturity.domain.progress import Progress

# Arial, else its metric twin (the PDF's font, and what resvg draws the PNG download with),
# in single quotes: the value sits in a double-quoted attribute.
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
# Text is near-black or dark grey on white: 19:1 and 7:1, above WCAG AA's 4.5:1.
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
GRID_COLOUR = "#d9d9d9"
# Hatching: stripes this wide every HATCH_SPACING units at 45 degrees. Wide enough to
# survive print and 80 dpi previews, narrow enough to read as "lighter than a solid bar".
HATCH_SPACING = 6
HATCH_STRIPE = 2.5


def fmt(value: float) -> str:
    text = f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text(
    x: float,
    y: float,
    content: str,
    fs: float,
    *,
    anchor: str = "start",
    fill: str = TEXT_COLOUR,
    extra: str = "",
) -> str:
    return (
        f'<text x="{fmt(x)}" y="{fmt(y)}" font-family="{FONT_FAMILY}" '
        f'font-size="{fmt(fs)}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{escape(content)}</text>"
    )


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    fill: str,
    stroke: str | None = None,
    stroke_width: float = 1.0,
) -> str:
    stroke_attrs = f' stroke="{stroke}" stroke-width="{fmt(stroke_width)}"' if stroke else ""
    return (
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" '
        f'fill="{fill}"{stroke_attrs}/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" '
        f'stroke="{stroke}" stroke-width="1"{extra}/>'
    )


def _hatch(pattern_id: str, background: str, stripe: str) -> str:
    """Diagonal stripes: ambition bars differ from achieved ones by more than colour."""
    s = HATCH_SPACING
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{s}" height="{s}" '
        f'patternTransform="rotate(45)">'
        f"{_rect(0, 0, s, s, background)}{_rect(0, 0, HATCH_STRIPE, s, stripe)}</pattern>"
    )


def _stub(x: float, width: float, bottom: float, edge: str) -> str:
    """Outlined and empty: "not yet at level 1" must differ from "not answered" (nothing)."""
    return _rect(x, bottom - STUB_HEIGHT, width, STUB_HEIGHT, "#ffffff", edge, 1.5)


def _marker(marker: Marker) -> str:
    """A triangle pointing down at the bar: a shape, so it reads without colour."""
    half, x, y = marker.size / 2, marker.x, marker.y
    points = f"{fmt(x - half)},{fmt(y - marker.size)} {fmt(x + half)},{fmt(y - marker.size)} "
    return f'<polygon points="{points}{fmt(x)},{fmt(y)}" fill="{TEXT_COLOUR}"/>'


def _bar(bar: Bar, baseline: float, pid: str) -> str:
    """One <rect> exactly the laid-out box, so its height in the page or the PDF is the
    level times the level height. A stroke straddles the edge; the half outside is at most
    one unit, and at the bottom the baseline is drawn over it."""
    if bar.level == 0:
        return _stub(bar.x, bar.width, baseline, bar.edge)
    if bar.is_ambition:
        fill = f"url(#{pid}-hatch-{bar.domain_index})"
        return _rect(bar.x, bar.y, bar.width, bar.height, fill, bar.edge, min(2.0, bar.width / 4))
    if bar.edge != bar.fill:  # light colours get a darker 3:1 edge
        return _rect(bar.x, bar.y, bar.width, bar.height, bar.fill, bar.edge)
    return _rect(bar.x, bar.y, bar.width, bar.height, bar.fill)


def _legend_key(item: LegendItem, swatch: float, pid: str) -> str:
    if item.kind == "stub":
        return _stub(item.x, swatch, item.y + swatch, MUTED_COLOUR)
    if item.kind == "ambition":
        return _rect(
            item.x + 1,
            item.y + 1,
            swatch - 2,
            swatch - 2,
            f"url(#{pid}-hatch-key)",
            MUTED_COLOUR,
            2,
        )
    if item.kind == "moderated":
        size = swatch * 0.8
        return _marker(Marker(item.x + swatch / 2, item.y + (swatch + size) / 2, size))
    edge = item.edge if item.edge != item.fill else None
    return _rect(item.x, item.y, swatch, swatch, item.fill, edge)


def _safe_id(prefix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    return cleaned if cleaned[:1].isalpha() else f"c-{cleaned}"


def _defs(lay: ChartLayout, pid: str) -> list[str]:
    """A hatch per domain that has an ambition bar, in its colours, and one for the key."""
    hatches = {bar.domain_index: (bar.fill, bar.hatch) for bar in lay.bars if bar.hatch}
    if not hatches:
        return []
    patterns = [
        _hatch(f"{pid}-hatch-{index}", background, stripe)
        for index, (background, stripe) in sorted(hatches.items())
    ]
    patterns.append(_hatch(f"{pid}-hatch-key", "#ffffff", MUTED_COLOUR))
    return ["<defs>", *patterns, "</defs>"]


def render_svg(
    progress: Progress,
    *,
    width: float = 900,
    height: float = 400,
    font_size: float = FONT_SIZE,
    id_prefix: str = "figure8",
) -> str:
    """A standalone <svg> for pages and PDFs, with its text alternative in <desc>."""
    lay = layout(progress, width=width, height=height, font_size=font_size)
    pid = _safe_id(id_prefix)
    return "\n".join(
        [
            # width="100%" and no height: browsers and WeasyPrint both scale to the column
            # and keep the viewBox ratio; fixed pixel sizes overflow an A4 page.
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(lay.width)} '
            f'{fmt(lay.height)}" width="100%" '
            f'role="img" aria-labelledby="{pid}-title {pid}-desc">',
            f'<title id="{pid}-title">{escape(progress.title)}</title>',
            f'<desc id="{pid}-desc">{escape(describe(progress))}</desc>',
            *drawing(lay, id_prefix=pid),
            "</svg>",
        ]
    )


def drawing(lay: ChartLayout, *, id_prefix: str = "figure8") -> list[str]:
    """The chart's elements (its patterns, white background, gridlines, bars, labels and
    legend) in the layout's own coordinates, without the <svg> around them: ``render_svg``
    wraps them for pages and PDFs, and ``chart_document`` places the very same elements
    under a title for downloads."""
    fs, plot, line_h = lay.font_size, lay.plot, lay.font_size * LINE_HEIGHT_EM
    pid = _safe_id(id_prefix)
    out = [*_defs(lay, pid), _rect(0, 0, lay.width, lay.height, "#ffffff")]
    tick_len = fs * 0.5
    for tick in lay.ticks:
        out.append(_line(plot.x - tick_len, tick.y, plot.right, tick.y, GRID_COLOUR))
        label_x = plot.x - tick_len - fs * 0.4
        first_y = tick.y + fs * 0.35 - (len(tick.label_lines) - 1) * line_h / 2
        for n, line in enumerate(tick.label_lines):
            out.append(_text(label_x, first_y + n * line_h, line, fs, anchor="end"))
    if lay.separator_x is not None:
        sx, dash = lay.separator_x, ' stroke-dasharray="4 4"'
        out.append(_line(sx, plot.y, sx, lay.x_label_y, MUTED_COLOUR, dash))
    out.extend(_bar(bar, plot.bottom, pid) for bar in lay.bars)
    out.extend(_marker(marker) for marker in lay.markers)
    out.append(_line(plot.x - tick_len, plot.bottom, plot.right, plot.bottom, TEXT_COLOUR))
    for group in lay.groups:
        x, y = group.label_x, lay.x_label_y
        bold = ' font-weight="bold"' if group.is_ambition else ""
        if lay.rotate_x_labels:
            turn = f' transform="rotate(-45 {fmt(x)} {fmt(y)})"'
            out.append(_text(x, y, group.label, fs, anchor="end", extra=turn + bold))
        else:
            out.append(_text(x, y, group.label, fs, anchor="middle", extra=bold))
    for item in lay.legend:
        out.append(_legend_key(item, lay.swatch, pid))
        for n, line in enumerate(item.label_lines):
            out.append(
                _text(item.x + lay.swatch + fs * 0.5, item.y + fs * 0.95 + n * line_h, line, fs)
            )
    if lay.empty_message:
        centre = (plot.x + plot.width / 2, plot.y + plot.height / 2)
        out.append(_text(*centre, lay.empty_message, fs * 1.2, anchor="middle", fill=MUTED_COLOUR))
    return out
