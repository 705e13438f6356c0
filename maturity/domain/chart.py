"""Figure 8 as SVG: a grouped bar chart of the level reached per period and domain.

Pure: stdlib only, so the same string can be inlined in a page and handed to WeasyPrint.
``layout`` computes the geometry (tested directly); ``render_svg`` only serialises it.
Everything is sized from the Progress shape: any number of domains, levels and periods.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from maturity.domain.progress import Progress

FONT_FAMILY = "Arial, Helvetica, sans-serif"
# The default 900-unit width is scaled to ~170mm on A4: 13 units print at ~7pt, the
# smallest comfortable size for chart labels (12 would be ~6.4pt).
FONT_SIZE = 13
# Deliberately generous (Arial averages nearer 0.5em): labels must never be clipped,
# and we cannot measure text without a font engine.
CHAR_WIDTH_EM = 0.6
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
GRID_COLOUR = "#d9d9d9"
STUB_HEIGHT = 5.0
NO_DATA_MESSAGE = "No assessments yet"
# Said wherever a moderated level is charted: the page, the PDF and the SVG's <desc>.
MODERATION_NOTE = "Moderated levels are shown where an approver set one"

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Bar:
    """One bar. ``level`` 0 has height 0 and is drawn as a stub on the baseline.
    An ambition bar's ``fill`` is a tint of the domain colour, outlined in ``edge``."""

    period_label: str
    domain_key: str
    level: int
    x: float
    y: float
    width: float
    height: float
    fill: str
    edge: str
    is_ambition: bool = False


@dataclass(frozen=True)
class Group:
    label: str
    x: float  # the slot the group owns on the x-axis, bars are centred in it
    width: float
    is_ambition: bool
    bars: tuple[Bar, ...]  # unanswered (None) values have no bar

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    level: int
    label: str
    y: float


@dataclass(frozen=True)
class LegendItem:
    label_lines: tuple[str, ...]
    x: float
    y: float  # top of the swatch
    fill: str
    edge: str
    is_stub: bool = False  # the key for "not yet at the first level"


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    font_size: float
    plot: Box
    ticks: tuple[Tick, ...]
    groups: tuple[Group, ...]
    legend: tuple[LegendItem, ...]
    rotate_x_labels: bool
    x_label_y: float
    separator_x: float | None  # dashed line between the last period and the ambition
    empty_message: str | None

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(bar for group in self.groups for bar in group.bars)


def _r(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _fmt(value: float) -> str:
    text = f"{_r(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text_width(text: str, font_size: float) -> float:
    return len(text) * CHAR_WIDTH_EM * font_size


def _rgb(colour: str) -> tuple[int, int, int]:
    match = _HEX.match(colour.strip())
    if not match:
        raise ValueError(f"domain colour must be #rgb or #rrggbb, not {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _contrast_with_white(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _colours(colour: str) -> tuple[str, str, str]:
    """(fill, edge, ambition tint). The edge is darkened until it meets WCAG 1.4.11 (3:1)
    against the white background, so light framework colours stay legible."""
    rgb: tuple[float, float, float] = _rgb(colour)
    edge = rgb
    while _contrast_with_white(edge) < 3.0:
        edge = (edge[0] * 0.9, edge[1] * 0.9, edge[2] * 0.9)
    tint = tuple(c + (255 - c) * 0.65 for c in rgb)
    return _hex(rgb), _hex(edge), _hex(tint)  # type: ignore[arg-type]


def _check_level(progress: Progress, where: str, level: int | None) -> None:
    if level is not None and not 0 <= level <= len(progress.levels):
        raise ValueError(f"level {level} for {where} is outside 0..{len(progress.levels)}")


def _legend(
    progress: Progress, left: float, right: float, top: float, fs: float, show_stub_key: bool
) -> tuple[tuple[LegendItem, ...], float]:
    """Items flow left to right and wrap; a name too long for one row wraps onto lines."""
    swatch, gap, spacing, line_h = fs + 2, fs * 0.5, fs * 2, fs * 1.3
    entries = [(d.name, *_colours(d.colour)[:2], False) for d in progress.domains]
    if show_stub_key:
        entries.append((progress.level_name(0), "#ffffff", MUTED_COLOUR, True))
    max_chars = max(1, int((right - left - swatch - gap) / (CHAR_WIDTH_EM * fs)))
    items: list[LegendItem] = []
    x, y, row_h = left, top, 0.0
    for name, fill, edge, is_stub in entries:
        lines = tuple(textwrap.wrap(name, max_chars) or [""])
        item_w = swatch + gap + max(_text_width(line, fs) for line in lines)
        if x > left and x + item_w > right:
            x, y, row_h = left, y + row_h + fs * 0.6, 0.0
        items.append(LegendItem(lines, _r(x), _r(y), fill, edge, is_stub))
        x += item_w + spacing
        row_h = max(row_h, swatch, line_h * len(lines))
    return tuple(items), (y + row_h - top if items else 0.0)


def layout(
    progress: Progress, *, width: float = 900, height: float = 400, font_size: float = FONT_SIZE
) -> ChartLayout:
    """Geometry of the chart. ``height`` grows if the legend leaves too little plot."""
    if not progress.levels:
        raise ValueError("a chart needs at least one level")
    fs, pad = font_size, font_size * 1.5
    n_levels, domains = len(progress.levels), progress.domains
    for (period, key), level in progress.values.items():
        _check_level(progress, f"{period}/{key}", level)
    for key, level in progress.ambition.items():
        _check_level(progress, f"ambition/{key}", level)

    rows = _rows(progress)
    labels = [label for label, _, _ in rows]
    tick_len = fs * 0.5
    left = pad + max(_text_width(name, fs) for name in progress.levels) + tick_len + fs * 0.5
    right = width - pad
    label_w = max((_text_width(label, fs) for label in labels), default=0.0)
    slot = (right - left) / max(len(labels), 1)
    rotate = bool(labels) and label_w > slot * 0.9
    if rotate:  # a rotated first label hangs left of its group: keep it inside the image
        left = max(left, pad + label_w * 0.71 - slot / 2)
        slot = (right - left) / len(labels)
    x_band = fs * 1.2 + (label_w * 0.71 + fs if rotate else fs)

    show_stub_key = 0 in progress.ambition.values() or any(
        progress.level(p, d.key) == 0 for p in progress.periods for d in domains
    )
    legend, legend_h = _legend(progress, left, right, pad, fs, show_stub_key)
    plot_top = pad + legend_h + (fs * 1.5 if legend else 0)
    min_plot_h = n_levels * fs * 2.2 + fs
    height = max(height, plot_top + min_plot_h + x_band + pad)
    baseline = height - pad - x_band
    plot = Box(_r(left), _r(plot_top), _r(right - left), _r(baseline - plot_top))
    step = (baseline - plot_top - fs) / n_levels  # headroom keeps the top label in the plot

    ticks = tuple(
        Tick(k, progress.levels[k - 1], _r(baseline - k * step)) for k in range(1, n_levels + 1)
    )
    # Bars share ~70% of the slot; the gap between groups keeps them readable as groups.
    pitch = min(slot * 0.7 / max(len(domains), 1), fs * 4)
    bar_gap = min(pitch * 0.12, 3.0)
    groups: list[Group] = []
    for i, (label, levels, is_ambition) in enumerate(rows):
        slot_x = left + i * slot
        first_x = slot_x + (slot - pitch * len(domains)) / 2
        bars = []
        for j, (domain, level) in enumerate(zip(domains, levels, strict=True)):
            if level is None:
                continue
            fill, edge, tint = _colours(domain.colour)
            bars.append(
                Bar(
                    period_label=label,
                    domain_key=domain.key,
                    level=level,
                    x=_r(first_x + j * pitch + bar_gap / 2),
                    y=_r(baseline - level * step),
                    width=_r(pitch - bar_gap),
                    height=_r(level * step),
                    fill=tint if is_ambition else fill,
                    edge=edge,
                    is_ambition=is_ambition,
                )
            )
        groups.append(Group(label, _r(slot_x), _r(slot), is_ambition, tuple(bars)))

    periods_end = left + len(progress.periods) * slot
    separator = _r(periods_end) if progress.has_ambition and progress.periods else None
    return ChartLayout(
        width=_r(width),
        height=_r(height),
        font_size=fs,
        plot=plot,
        ticks=ticks,
        groups=tuple(groups),
        legend=legend,
        rotate_x_labels=rotate,
        x_label_y=_r(baseline + fs * 1.5),
        separator_x=separator,
        empty_message=None if labels else NO_DATA_MESSAGE,
    )


def _rows(progress: Progress) -> list[tuple[str, list[int | None], bool]]:
    """(label, level per domain, is ambition): the periods in order, then the ambition."""
    domains = progress.domains
    rows = [(p, [progress.level(p, d.key) for d in domains], False) for p in progress.periods]
    if progress.has_ambition:
        rows.append(
            (progress.ambition_label, [progress.ambition.get(d.key) for d in domains], True)
        )
    return rows


def describe(progress: Progress) -> str:
    """The chart as sentences, for <desc> and for anyone who cannot see it."""

    def name(level: int | None, is_ambition: bool) -> str:
        if level is None:
            return "Not set" if is_ambition else "Not answered"
        return progress.level_name(level)

    def moderated(label: str, key: str, is_ambition: bool) -> str:
        return " (moderated)" if not is_ambition and progress.is_moderated(label, key) else ""

    def heading(label: str, is_ambition: bool) -> str:
        pending = not is_ambition and label in progress.unapproved
        return f"{label} (submitted, not yet approved)" if pending else label

    parts = [
        f"{heading(label, is_ambition)}: "
        + ", ".join(
            f"{d.name} {name(level, is_ambition)}{moderated(label, d.key, is_ambition)}"
            for d, level in zip(progress.domains, levels, strict=True)
        )
        for label, levels, is_ambition in _rows(progress)
    ]
    body = "; ".join(parts) if parts else NO_DATA_MESSAGE
    text = f"{body}. Levels from lowest to highest: {', '.join(progress.levels)}."
    if progress.has_moderation:
        text += f" {MODERATION_NOTE}."
    return text


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
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-family="{FONT_FAMILY}" '
        f'font-size="{_fmt(fs)}" fill="{fill}" text-anchor="{anchor}"{extra}>'
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
    stroke_attrs = f' stroke="{stroke}" stroke-width="{_fmt(stroke_width)}"' if stroke else ""
    return (
        f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(w)}" height="{_fmt(h)}" '
        f'fill="{fill}"{stroke_attrs}/>'
    )


def _stub(x: float, width: float, bottom: float, edge: str) -> str:
    """Outlined and empty: "not yet at level 1" must differ from "not answered" (nothing)."""
    return _rect(
        x + 0.75,
        bottom - STUB_HEIGHT,
        max(width - 1.5, 0.5),
        STUB_HEIGHT - 0.75,
        "#ffffff",
        edge,
        1.5,
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" '
        f'stroke="{stroke}" stroke-width="1"{extra}/>'
    )


def _bar(bar: Bar, baseline: float) -> str:
    if bar.level == 0:
        return _stub(bar.x, bar.width, baseline, bar.edge)
    # Strokes are inset by half their width so every bar keeps its laid-out outer edge.
    sw = min(2.0, bar.width / 4) if bar.is_ambition else 1.0
    if bar.is_ambition or bar.edge != bar.fill:  # light colours get a darker 3:1 edge
        return _rect(
            bar.x + sw / 2,
            bar.y + sw / 2,
            bar.width - sw,
            bar.height - sw / 2,
            bar.fill,
            bar.edge,
            sw,
        )
    return _rect(bar.x, bar.y, bar.width, bar.height, bar.fill)


def _safe_id(prefix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    return cleaned if cleaned[:1].isalpha() else f"c-{cleaned}"


def render_svg(
    progress: Progress,
    *,
    width: float = 900,
    height: float = 400,
    font_size: float = FONT_SIZE,
    id_prefix: str = "figure8",
) -> str:
    """A standalone <svg> (no CSS, scripts or external references) for pages and PDFs."""
    lay = layout(progress, width=width, height=height, font_size=font_size)
    fs, plot = lay.font_size, lay.plot
    pid = _safe_id(id_prefix)
    out = [
        # width="100%" and no height: browsers and WeasyPrint both scale to the column
        # and keep the viewBox ratio; fixed pixel sizes overflow an A4 page.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(lay.width)} '
        f'{_fmt(lay.height)}" width="100%" '
        f'role="img" aria-labelledby="{pid}-title {pid}-desc">',
        f'<title id="{pid}-title">{escape(progress.title)}</title>',
        f'<desc id="{pid}-desc">{escape(describe(progress))}</desc>',
        _rect(0, 0, lay.width, lay.height, "#ffffff"),
    ]
    swatch = fs + 2
    for item in lay.legend:
        if item.is_stub:
            out.append(_stub(item.x, swatch, item.y + swatch, item.edge))
        else:
            edge = item.edge if item.edge != item.fill else None
            out.append(_rect(item.x, item.y, swatch, swatch, item.fill, edge))
        for n, line in enumerate(item.label_lines):
            out.append(_text(item.x + swatch + fs * 0.5, item.y + fs * (0.95 + 1.3 * n), line, fs))
    tick_len = fs * 0.5
    for tick in lay.ticks:
        out.append(_line(plot.x - tick_len, tick.y, plot.right, tick.y, GRID_COLOUR))
        label_x = plot.x - tick_len - fs * 0.4
        out.append(_text(label_x, tick.y + fs * 0.35, tick.label, fs, anchor="end"))
    if lay.separator_x is not None:
        sx, dash = lay.separator_x, ' stroke-dasharray="4 4"'
        out.append(_line(sx, lay.ticks[-1].y, sx, plot.bottom, MUTED_COLOUR, dash))
    out.extend(_bar(bar, plot.bottom) for bar in lay.bars)
    out.append(_line(plot.x - tick_len, plot.bottom, plot.right, plot.bottom, TEXT_COLOUR))
    for group in lay.groups:
        x, y = group.label_x, lay.x_label_y
        if lay.rotate_x_labels:
            turn = f' transform="rotate(-45 {_fmt(x)} {_fmt(y)})"'
            out.append(_text(x, y, group.label, fs, anchor="end", extra=turn))
        else:
            out.append(_text(x, y, group.label, fs, anchor="middle"))
    if lay.empty_message:
        centre = (plot.x + plot.width / 2, plot.y + plot.height / 2)
        out.append(_text(*centre, lay.empty_message, fs * 1.2, anchor="middle", fill=MUTED_COLOUR))
    out.append("</svg>")
    return "\n".join(out)
