"""Figure 8 geometry for frameworks of every shape: exact bar heights, groups, legend, wrapping."""

from __future__ import annotations

import itertools

import pytest

from maturity.domain.chart_layout import (
    LINE_HEIGHT_EM,
    MAX_LEVEL_LABEL_SHARE,
    MODERATED_KEY,
    STUB_HEIGHT,
    ChartLayout,
    layout,
)
from maturity.domain.chart_metrics import text_width
from maturity.domain.progress import DomainInfo, Progress
from tests.domain.test_chart import EPS, nao, shaped

SHAPES = [
    pytest.param(4, 4, 5, id="4 domains x 4 levels"),
    pytest.param(7, 6, 5, id="7 domains x 6 levels"),
    pytest.param(1, 5, 5, id="1 domain"),
    pytest.param(3, 5, 20, id="20 periods"),
    pytest.param(12, 7, 20, id="12 domains x 7 levels x 20 periods"),
    pytest.param(2, 3, 1, id="2 domains x 3 levels x 1 period"),
]


def _gaps_between_groups(lay: ChartLayout) -> list[float]:
    """The white space between the last bar of a group and the first bar of the next."""
    with_bars = [g for g in lay.groups if g.bars]
    return [
        b.bars[0].x - (a.bars[-1].x + a.bars[-1].width) for a, b in itertools.pairwise(with_bars)
    ]


@pytest.mark.parametrize(("n_domains", "n_levels", "n_periods"), SHAPES)
def test_bar_height_is_exactly_level_times_plot_height_over_levels(n_domains, n_levels, n_periods):
    lay = layout(shaped(n_domains, n_levels, n_periods))
    assert lay.level_height == lay.plot.height / n_levels
    assert lay.ticks[-1].y == pytest.approx(lay.plot.y, abs=EPS)  # the top level is the top
    assert len({b.level for b in lay.bars}) > 1
    for bar in lay.bars:
        assert bar.height == pytest.approx(bar.level * lay.plot.height / n_levels, abs=EPS)
        assert bar.y + bar.height == pytest.approx(lay.plot.bottom, abs=EPS)


@pytest.mark.parametrize(("n_domains", "n_levels", "n_periods"), SHAPES)
def test_groups_are_separated_by_a_clear_gap(n_domains, n_levels, n_periods):
    lay = layout(shaped(n_domains, n_levels, n_periods))
    widest_bar = max(b.width for b in lay.bars)
    for group in lay.groups:  # within a group, bars nearly touch
        for a, b in zip(group.bars, group.bars[1:], strict=False):
            assert 0 < b.x - (a.x + a.width) <= 3.0 + EPS
    for gap in _gaps_between_groups(lay):  # between groups, a gap wider than the bar spacing
        assert gap > 3.0
        assert gap >= min(widest_bar, lay.font_size)


def test_the_ambition_group_is_set_apart_further_than_the_periods():
    lay = layout(nao())
    gaps = _gaps_between_groups(lay)
    period_gaps, ambition_gap = gaps[:-1], gaps[-1]
    assert ambition_gap > max(period_gaps) * 1.5
    last_period, ambition = lay.groups[-2], lay.groups[-1]
    assert last_period.x + last_period.width < lay.separator_x < ambition.x
    assert ambition.x + ambition.width == pytest.approx(lay.plot.right, abs=EPS)


def test_without_periods_the_ambition_needs_no_gap():
    lay = layout(nao(periods=(), values={}))
    assert lay.separator_x is None
    assert lay.groups[0].x == pytest.approx(lay.plot.x, abs=EPS)


def test_moderated_values_get_a_marker_above_their_bar_and_a_legend_key():
    progress = nao(moderated=frozenset({("2017", "reporting"), ("2014", "reporting")}))
    lay = layout(progress)
    moderated = [b for b in lay.bars if b.is_moderated]
    assert [(b.period_label, b.domain_key, b.level) for b in moderated] == [
        ("2014", "reporting", 0),
        ("2017", "reporting", 2),
    ]
    assert len(lay.markers) == 2
    stub_marker, bar_marker = lay.markers
    bar = moderated[1]
    assert bar_marker.x == pytest.approx(bar.x + bar.width / 2, abs=EPS)
    assert bar.y - lay.font_size < bar_marker.y < bar.y  # just above the bar, pointing at it
    assert stub_marker.y < lay.plot.bottom - STUB_HEIGHT  # above the stub, not on it
    for marker in lay.markers:
        assert marker.size >= 4 and lay.plot.y - lay.font_size * 1.2 < marker.y - marker.size
    keys = [(i.kind, i.label_lines) for i in lay.legend]
    assert ("moderated", (MODERATED_KEY,)) in keys


def test_no_moderation_key_when_nothing_charted_is_moderated():
    # a moderation recorded for a value that is not charted (unanswered) is not marked
    lay = layout(nao(moderated=frozenset({("2014", "using")})))
    assert lay.markers == ()
    assert "moderated" not in [i.kind for i in lay.legend]


def test_a_moderated_top_level_marker_stays_inside_the_image():
    values = {("2020", "a"): 3}
    progress = Progress(
        "t",
        ("One", "Two", "Three"),
        (DomainInfo("a", "A", "#12436D"),),
        ("2020",),
        values,
        moderated=frozenset({("2020", "a")}),
    )
    lay = layout(progress)
    (marker,) = lay.markers
    assert marker.y - marker.size > 0 and marker.y < lay.plot.y


def test_legend_keys_explain_every_mark_in_order():
    lay = layout(nao(moderated=frozenset({("2016", "using")})))
    assert [(i.kind, i.label_lines) for i in lay.legend] == [
        ("domain", ("Developing a framework",)),
        ("domain", ("Reporting performance information",)),
        ("domain", ("Using the framework",)),
        ("ambition", ("Ambition: target level",)),
        ("stub", ("Not yet at Existing",)),
        ("moderated", (MODERATED_KEY,)),
    ]
    custom = layout(nao(ambition_label="Target 2025"))
    assert ("ambition", ("Target 2025: target level",)) in [
        (i.kind, i.label_lines) for i in custom.legend
    ]
    bare = layout(nao(ambition={}, values={k: v or 1 for k, v in nao().values.items()}))
    assert [i.kind for i in bare.legend] == ["domain"] * 3


def test_legend_rows_do_not_overlap_and_stay_inside():
    lay = layout(shaped(12, 5, 3))
    assert len({i.y for i in lay.legend}) > 1  # twelve names need more than one row
    line_h = lay.font_size * LINE_HEIGHT_EM
    for a, b in zip(lay.legend, lay.legend[1:], strict=False):
        if a.y == b.y:
            widest = max(text_width(line, lay.font_size) for line in a.label_lines)
            assert a.x + lay.swatch + widest < b.x
        else:
            assert b.y >= a.y + max(lay.swatch, line_h * len(a.label_lines))
    for item in lay.legend:
        widest = max(text_width(line, lay.font_size) for line in item.label_lines)
        assert item.x + lay.swatch + widest <= lay.width


def test_long_level_names_wrap_and_leave_the_plot_its_room():
    long_name = "Performance information is communicated and used throughout the organisation"
    progress = Progress(
        "t",
        ("Existing", long_name, "Optimising"),
        (DomainInfo("a", "A", "#12436D"),),
        ("2020",),
        {("2020", "a"): 2},
    )
    lay = layout(progress)
    tick = lay.ticks[1]
    assert tick.label == long_name and len(tick.label_lines) > 1
    assert " ".join(tick.label_lines) == long_name
    limit = lay.width * MAX_LEVEL_LABEL_SHARE
    for line in tick.label_lines:
        assert text_width(line, lay.font_size) <= limit
    assert lay.plot.x < lay.width * 0.3
    # the wrapped lines fit within one level, so neighbouring level names never collide
    assert len(tick.label_lines) * lay.font_size * LINE_HEIGHT_EM < lay.level_height
    assert lay.ticks[0].label_lines == ("Existing",)


def test_many_periods_stay_legible():
    lay = layout(shaped(3, 5, 20))
    assert lay.rotate_x_labels
    slot = lay.groups[0].width
    # rotated by 45 degrees, neighbouring labels are slot * sin 45 apart: at least a line
    assert slot * 0.7 >= lay.font_size
    assert min(b.width for b in lay.bars if b.level) >= 4
    assert lay.level_height >= lay.font_size * 2


def test_extra_height_goes_to_the_plot():
    small, tall = layout(nao()), layout(nao(), height=800)
    assert tall.height == 800
    assert tall.plot.height == pytest.approx(small.plot.height + 800 - small.height, abs=EPS)
