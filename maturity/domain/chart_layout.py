"""Figure 8's geometry: where every bar, gridline, label and legend key goes. No SVG here.

Everything is sized from the Progress shape (any number of domains, levels and periods),
so ``layout`` can be tested with plain numbers and ``chart_svg`` only has to draw it.
Top to bottom: headroom, the plot (one band per level), the period labels, the legend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from maturity.domain.chart_metrics import text_width, wrap
from maturity.domain.progress import Progress

# The default 900-unit width is scaled to ~170mm on A4: 13 units print at ~7pt, the
# smallest comfortable size for chart labels (12 would be ~6.4pt).
FONT_SIZE = 13
LINE_HEIGHT_EM = 1.2
STUB_HEIGHT = 5.0
# Said of the periods shown, which may be a chosen range of a longer history.
NO_DATA_MESSAGE = "No submitted assessments in the periods shown"
MODERATED_KEY = "Moderated level (set by an approver)"
# A level name longer than this share of the width wraps, so the plot keeps its room.
MAX_LEVEL_LABEL_SHARE = 0.22
# Slots between the last period and the ambition: it reads as a group of its own.
AMBITION_GAP_SLOTS = 0.6
# The share of a slot the bars fill; the rest is the gap that makes groups read as groups.
BARS_SHARE_OF_SLOT = 0.7

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

LegendKind = Literal["domain", "ambition", "stub", "moderated"]


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
    """One bar: its outer box. ``level`` 0 has height 0 and is drawn as a stub on the
    baseline. An ambition bar is hatched with ``hatch`` (the domain colour) over ``fill``
    (a tint of it) and outlined in ``edge``; ``domain_index`` names its hatch pattern."""

    period_label: str
    domain_key: str
    domain_index: int
    level: int
    x: float
    y: float
    width: float
    height: float
    fill: str
    edge: str
    is_ambition: bool = False
    is_moderated: bool = False
    hatch: str | None = None


@dataclass(frozen=True)
class Marker:
    """A downward triangle above a moderated bar: its tip at (``x``, ``y``)."""

    x: float
    y: float
    size: float


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
    label_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegendItem:
    label_lines: tuple[str, ...]
    x: float
    y: float  # top of the swatch
    fill: str
    edge: str
    kind: LegendKind = "domain"

    @property
    def is_stub(self) -> bool:  # the key for "not yet at the first level"
        return self.kind == "stub"


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    font_size: float
    plot: Box  # from the top gridline (the highest level) down to the baseline
    ticks: tuple[Tick, ...]
    groups: tuple[Group, ...]
    legend: tuple[LegendItem, ...]
    markers: tuple[Marker, ...]
    rotate_x_labels: bool
    x_label_y: float
    legend_y: float  # top of the legend, below the period labels
    separator_x: float | None  # dashed line in the gap before the ambition
    empty_message: str | None

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(bar for group in self.groups for bar in group.bars)

    @property
    def level_height(self) -> float:
        """The height of one level: a bar of level k is k times this."""
        return self.plot.height / len(self.ticks)

    @property
    def swatch(self) -> float:
        return self.font_size + 2


def _r(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


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


def contrast_with_white(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def colours(colour: str) -> tuple[str, str, str]:
    """(fill, edge, ambition tint). The edge is darkened until it meets WCAG 1.4.11 (3:1)
    against the white background, so light framework colours stay legible."""
    rgb: tuple[float, float, float] = _rgb(colour)
    edge = rgb
    while contrast_with_white(edge) < 3.0:
        edge = (edge[0] * 0.9, edge[1] * 0.9, edge[2] * 0.9)
    tint = (
        rgb[0] + (255 - rgb[0]) * 0.7,
        rgb[1] + (255 - rgb[1]) * 0.7,
        rgb[2] + (255 - rgb[2]) * 0.7,
    )
    return _hex(rgb), _hex(edge), _hex(tint)


def _check_level(progress: Progress, where: str, level: int | None) -> None:
    if level is not None and not 0 <= level <= len(progress.levels):
        raise ValueError(f"level {level} for {where} is outside 0..{len(progress.levels)}")


def rows(progress: Progress) -> list[tuple[str, list[int | None], bool]]:
    """(label, level per domain, is ambition): the periods in order, then the ambition."""
    domains = progress.domains
    out = [(p, [progress.level(p, d.key) for d in domains], False) for p in progress.periods]
    if progress.has_ambition:
        out.append((progress.ambition_label, [progress.ambition.get(d.key) for d in domains], True))
    return out


def _legend_entries(progress: Progress) -> list[tuple[str, str, str, LegendKind]]:
    """(label, fill, edge, kind): the domains, then a key for each mark the chart uses."""
    entries: list[tuple[str, str, str, LegendKind]] = [
        (d.name, *colours(d.colour)[:2], "domain") for d in progress.domains
    ]
    if progress.has_ambition:
        entries.append((f"{progress.ambition_label}: target level", "#ffffff", "", "ambition"))
    charted = [(p, d.key) for p in progress.periods for d in progress.domains]
    if 0 in progress.ambition.values() or any(progress.level(*pd) == 0 for pd in charted):
        entries.append((progress.level_name(0), "#ffffff", "", "stub"))
    if any(progress.level(*pd) is not None and progress.is_moderated(*pd) for pd in charted):
        entries.append((MODERATED_KEY, "", "", "moderated"))
    return entries


def _legend(
    progress: Progress, left: float, right: float, top: float, fs: float
) -> tuple[tuple[LegendItem, ...], float]:
    """Keys flow left to right and wrap; a name too long for one row wraps onto lines."""
    swatch, gap, spacing, line_h = fs + 2, fs * 0.5, fs * 2, fs * LINE_HEIGHT_EM
    items: list[LegendItem] = []
    x, y, row_h = left, top, 0.0
    for name, fill, edge, kind in _legend_entries(progress):
        lines = wrap(name, right - left - swatch - gap, fs)
        item_w = swatch + gap + max(text_width(line, fs) for line in lines)
        if x > left and x + item_w > right:
            x, y, row_h = left, y + row_h + fs * 0.6, 0.0
        items.append(LegendItem(lines, _r(x), _r(y), fill, edge, kind))
        x += item_w + spacing
        row_h = max(row_h, swatch, line_h * len(lines))
    return tuple(items), (y + row_h - top if items else 0.0)


def _group(
    progress: Progress,
    row: tuple[str, list[int | None], bool],
    slot: Box,
    pitch: float,
    step: float,
) -> Group:
    """The bars of one period (or the ambition), centred in ``slot`` (whose bottom is the
    baseline), ``pitch`` apart; a domain keeps its place when another is unanswered."""
    label, levels, is_ambition = row
    baseline, bar_gap = slot.bottom, min(pitch * 0.12, 3.0)
    first_x = slot.x + (slot.width - pitch * len(progress.domains)) / 2
    bars = []
    for j, (domain, level) in enumerate(zip(progress.domains, levels, strict=True)):
        if level is None:
            continue
        fill, edge, tint = colours(domain.colour)
        bars.append(
            Bar(
                period_label=label,
                domain_key=domain.key,
                domain_index=j,
                level=level,
                x=_r(first_x + j * pitch + bar_gap / 2),
                y=_r(baseline - level * step),
                width=_r(pitch - bar_gap),
                height=_r(level * step),
                fill=tint if is_ambition else fill,
                edge=edge,
                is_ambition=is_ambition,
                is_moderated=not is_ambition and progress.is_moderated(label, domain.key),
                hatch=fill if is_ambition else None,
            )
        )
    return Group(label, _r(slot.x), _r(slot.width), is_ambition, tuple(bars))


def _marker(bar: Bar, baseline: float, size: float) -> Marker:
    """Above the bar (a stub's top for level 0), pointing down at it."""
    top = bar.y if bar.level else baseline - STUB_HEIGHT
    return Marker(_r(bar.x + bar.width / 2), _r(top - 2), _r(size))


def layout(
    progress: Progress, *, width: float = 900, height: float = 400, font_size: float = FONT_SIZE
) -> ChartLayout:
    """Geometry of the chart. ``height`` grows if the labels and legend need more room;
    any height to spare goes to the plot."""
    if not progress.levels:
        raise ValueError("a chart needs at least one level")
    fs, pad = font_size, font_size * 1.5
    n_levels, domains = len(progress.levels), progress.domains
    for (period, key), level in progress.values.items():
        _check_level(progress, f"{period}/{key}", level)
    for key, level in progress.ambition.items():
        _check_level(progress, f"ambition/{key}", level)

    # x: level names, then one slot per group, the ambition set apart by a gap.
    level_lines = [wrap(name, width * MAX_LEVEL_LABEL_SHARE, fs) for name in progress.levels]
    tick_len = fs * 0.5
    widest_level = max(text_width(line, fs) for lines in level_lines for line in lines)
    left = pad + widest_level + tick_len + fs * 0.5
    right = width - pad
    groups_rows = rows(progress)
    labels = [label for label, _, _ in groups_rows]
    set_apart = progress.has_ambition and bool(progress.periods)
    slot_units = len(labels) + (AMBITION_GAP_SLOTS if set_apart else 0)
    label_w = max((text_width(lb, fs, bold=amb) for lb, _, amb in groups_rows), default=0.0)
    slot = (right - left) / max(slot_units, 1)
    rotate = bool(labels) and label_w > slot * 0.9
    if rotate:  # a rotated first label hangs left of its group: keep it inside the image
        left = max(left, pad + label_w * 0.71 - slot / 2)
        slot = (right - left) / slot_units
    x_band = fs * 1.2 + (label_w * 0.71 + fs if rotate else fs)

    # y: headroom for a moderation marker on a top-level bar, the plot, labels, legend.
    headroom = fs * 1.2
    line_h = fs * LINE_HEIGHT_EM
    step_min = max(fs * 2.2, max(len(lines) for lines in level_lines) * line_h + fs * 0.4)
    legend, legend_h = _legend(progress, left, right, 0.0, fs)
    legend_gap = fs * 1.2 if legend else 0.0
    fixed = pad + headroom + x_band + legend_gap + legend_h + pad
    height = max(height, fixed + n_levels * step_min)
    plot_top = _r(pad + headroom)
    plot = Box(_r(left), plot_top, _r(right - left), _r(height - fixed))
    baseline = plot.bottom
    step = plot.height / n_levels
    legend_y = baseline + x_band + legend_gap
    legend = tuple(
        LegendItem(i.label_lines, i.x, _r(i.y + legend_y), i.fill, i.edge, i.kind) for i in legend
    )

    ticks = tuple(
        Tick(k, progress.levels[k - 1], _r(baseline - k * step), level_lines[k - 1])
        for k in range(1, n_levels + 1)
    )
    pitch = min(slot * BARS_SHARE_OF_SLOT / max(len(domains), 1), fs * 4)
    marker_size = min(fs * 0.8, max(pitch, 4.0))
    groups: list[Group] = []
    for i, row in enumerate(groups_rows):
        slot_x = left + (i + (AMBITION_GAP_SLOTS if row[2] and set_apart else 0)) * slot
        groups.append(_group(progress, row, Box(slot_x, 0, slot, baseline), pitch, step))
    markers = [
        _marker(bar, baseline, marker_size) for g in groups for bar in g.bars if bar.is_moderated
    ]

    periods_end = left + len(progress.periods) * slot
    separator = _r(periods_end + slot * AMBITION_GAP_SLOTS / 2) if set_apart else None
    return ChartLayout(
        width=_r(width),
        height=_r(height),
        font_size=fs,
        plot=plot,
        ticks=ticks,
        groups=tuple(groups),
        legend=legend,
        markers=tuple(markers),
        rotate_x_labels=rotate,
        x_label_y=_r(baseline + fs * 1.5),
        legend_y=_r(legend_y),
        separator_x=separator,
        empty_message=None if labels else NO_DATA_MESSAGE,
    )
