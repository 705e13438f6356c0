"""Figure 8 chart: geometry via layout(), markup via render_svg(). No Flask, no database."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from maturity.domain.chart import STUB_HEIGHT, describe, layout, render_svg
from maturity.domain.chart_metrics import text_width
from maturity.domain.progress import DomainInfo, Progress

SVG = "{http://www.w3.org/2000/svg}"
EPS = 0.02  # coordinates are rounded to 2 decimals independently

NAO_LEVELS = ("Existing", "Functioning", "Enabling", "Challenging", "Optimising")
NAO_DOMAINS = (
    DomainInfo("developing", "Developing a framework", "#12436D"),
    DomainInfo("reporting", "Reporting performance information", "#28A197"),
    DomainInfo("using", "Using the framework", "#801650"),
)
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1", "#FFDD00")


def nao(ambition: dict[str, int | None] | None = None, **overrides) -> Progress:
    periods = ("2014", "2015", "2016", "2017", "2018")
    rows = {
        "2014": (1, 0, None),
        "2015": (1, 1, 1),
        "2016": (2, 1, 1),
        "2017": (2, 2, 2),
        "2018": (3, 2, 2),
    }
    values = {(p, d.key): rows[p][i] for p in periods for i, d in enumerate(NAO_DOMAINS)}
    fields = dict(
        title="Maturity of performance measurement",
        levels=NAO_LEVELS,
        domains=NAO_DOMAINS,
        periods=periods,
        values=values,
        ambition={"developing": 4, "reporting": 4, "using": 3} if ambition is None else ambition,
    )
    fields.update(overrides)
    return Progress(**fields)


def shaped(
    n_domains: int,
    n_levels: int,
    n_periods: int,
    *,
    with_ambition: bool = True,
    period_label: str = "{}",
) -> Progress:
    levels = tuple(f"Level name {k}" for k in range(1, n_levels + 1))
    domains = tuple(
        DomainInfo(f"d{j}", f"Domain {j} " + "long " * j, PALETTE[j % 7]) for j in range(n_domains)
    )
    periods = tuple(period_label.format(2000 + i) for i in range(n_periods))
    values = {
        (p, d.key): (i + j) % (n_levels + 1)
        for i, p in enumerate(periods)
        for j, d in enumerate(domains)
    }
    ambition = {d.key: n_levels for d in domains} if with_ambition else {}
    return Progress("Shape", levels, domains, periods, values, ambition)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# --- geometry -------------------------------------------------------------------------


def test_bar_height_is_proportional_to_level_and_reaches_its_gridline():
    lay = layout(nao())
    baseline = lay.plot.bottom
    step = baseline - lay.ticks[0].y
    assert step > 20
    heights = {b.level: b.height for b in lay.bars}
    assert set(heights) == {0, 1, 2, 3, 4}
    for bar in lay.bars:
        assert bar.height == pytest.approx(bar.level * step, abs=EPS * bar.level + EPS)
        assert bar.y + bar.height == pytest.approx(baseline, abs=EPS)
        if bar.level:
            assert bar.y == pytest.approx(lay.ticks[bar.level - 1].y, abs=EPS)
    assert heights[4] == pytest.approx(2 * heights[2], abs=EPS)


def test_ticks_are_level_names_bottom_to_top():
    lay = layout(nao())
    assert [t.label for t in lay.ticks] == list(NAO_LEVELS)
    assert [t.level for t in lay.ticks] == [1, 2, 3, 4, 5]
    ys = [t.y for t in lay.ticks]
    assert ys == sorted(ys, reverse=True)  # level 1 lowest on the page
    assert ys[-1] >= lay.plot.y


def test_bars_ordered_by_period_then_domain_with_ambition_last():
    lay = layout(nao())
    assert [g.label for g in lay.groups] == ["2014", "2015", "2016", "2017", "2018", "Ambition"]
    assert [g.is_ambition for g in lay.groups] == [False] * 5 + [True]
    xs = [g.x for g in lay.groups]
    assert xs == sorted(xs)
    for group in lay.groups[1:]:
        assert [b.domain_key for b in group.bars] == ["developing", "reporting", "using"]
        assert [b.x for b in group.bars] == sorted(b.x for b in group.bars)
        assert all(b.period_label == group.label for b in group.bars)
    assert [b.level for b in lay.groups[-1].bars] == [4, 4, 3]
    assert all(b.is_ambition for b in lay.groups[-1].bars)
    assert not any(b.is_ambition for g in lay.groups[:-1] for b in g.bars)


def test_domain_keeps_its_position_when_another_domain_is_unanswered():
    lay = layout(nao())
    g2014, g2015 = lay.groups[0], lay.groups[1]
    offset = {b.domain_key: b.x - g2015.x for b in g2015.bars}
    for bar in g2014.bars:
        assert bar.x - g2014.x == pytest.approx(offset[bar.domain_key], abs=EPS)


@pytest.mark.parametrize("ambition", [{}, {"developing": None, "reporting": None}])
def test_no_ambition_group_unless_an_ambition_is_set(ambition):
    lay = layout(nao(ambition=ambition))
    assert [g.label for g in lay.groups] == ["2014", "2015", "2016", "2017", "2018"]
    assert lay.separator_x is None
    assert "Ambition" not in texts(parse(render_svg(nao(ambition=ambition))))


def test_partial_ambition_and_custom_label():
    lay = layout(nao(ambition={"using": 2}, ambition_label="Target 2025"))
    last = lay.groups[-1]
    assert last.label == "Target 2025" and last.is_ambition
    assert [(b.domain_key, b.level) for b in last.bars] == [("using", 2)]
    # the separator stands in the gap that sets the ambition apart from the periods
    assert lay.groups[-2].x + lay.groups[-2].width < lay.separator_x < last.x


def test_level_zero_is_a_stub_and_none_is_nothing():
    lay = layout(nao())
    g2014 = lay.groups[0]
    assert [(b.domain_key, b.level) for b in g2014.bars] == [("developing", 1), ("reporting", 0)]
    stub = g2014.bars[1]
    assert stub.height == 0 and stub.y == pytest.approx(lay.plot.bottom, abs=EPS)

    root = parse(render_svg(nao()))
    rects = root.findall(f"{SVG}rect")
    stubs = [
        r
        for r in rects
        if float(r.get("height")) < STUB_HEIGHT + EPS
        and r.get("fill") == "#ffffff"
        and r.get("stroke") == "#28a197"
    ]
    assert len(stubs) == 1
    stub_rect = stubs[0]
    bottom = float(stub_rect.get("y")) + float(stub_rect.get("height"))
    assert bottom == pytest.approx(lay.plot.bottom, abs=EPS)  # sits on the baseline
    assert float(stub_rect.get("height")) == STUB_HEIGHT  # visible, not a zero-height bar
    # "using" was not answered in 2014: nothing drawn in its colour inside the 2014 slot
    in_2014 = [
        r
        for r in rects
        if g2014.x <= float(r.get("x")) < g2014.x + g2014.width
        and float(r.get("y")) < lay.plot.bottom  # the legend beneath is not the slot
    ]
    assert {r.get("fill") for r in in_2014} == {"#12436d", "#ffffff"}
    # and the legend explains the stub
    assert "Not yet at Existing" in texts(root)


def test_stub_key_only_when_some_value_is_zero():
    values = {k: (v or 1) for k, v in nao().values.items()}
    root = parse(render_svg(nao(values=values)))
    assert "Not yet at Existing" not in texts(root)


def test_ambition_bars_are_distinct_but_colour_coded():
    lay = layout(nao())
    normal = {b.domain_key: b for b in lay.groups[-2].bars}
    for bar in lay.groups[-1].bars:
        assert bar.fill != normal[bar.domain_key].fill
        assert bar.edge == normal[bar.domain_key].fill  # outline in the domain colour
    root = parse(render_svg(nao()))
    outlined = [
        r
        for r in root.findall(f"{SVG}rect")
        if r.get("stroke") in {"#12436d", "#28a197", "#801650"}
        and float(r.get("height")) > STUB_HEIGHT
    ]
    assert len(outlined) == 3


def _contrast_with_white(hex_colour: str) -> float:
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 1.05 / (0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) + 0.05)


def test_bar_edges_meet_3_to_1_contrast_even_for_light_colours():
    progress = shaped(7, 3, 2)
    lay = layout(progress)
    yellow = [b for b in lay.bars if b.domain_key == "d6"]
    assert yellow and _contrast_with_white("#ffdd00") < 3
    for bar in lay.bars:
        assert _contrast_with_white(bar.edge) >= 3.0, bar
    root = parse(render_svg(progress))
    assert any(
        r.get("fill") == "#ffdd00" and r.get("stroke") == yellow[0].edge
        for r in root.findall(f"{SVG}rect")
    )


@pytest.mark.parametrize(
    ("n_domains", "n_levels", "n_periods", "label"),
    [
        (2, 4, 5, "{}"),
        (7, 3, 5, "{}"),
        (3, 5, 20, "{}"),
        (7, 5, 20, "Q1 {}/01 (provisional)"),
        (1, 1, 1, "{}"),
        (1, 10, 0, "{}"),
    ],
)
def test_any_framework_shape_lays_out_without_overlap(n_domains, n_levels, n_periods, label):
    progress = shaped(n_domains, n_levels, n_periods, period_label=label)
    lay = layout(progress)
    plot = lay.plot
    assert 0 < plot.x < plot.right < lay.width and 0 < plot.y < plot.bottom < lay.height
    assert len(lay.ticks) == n_levels
    assert len(lay.groups) == n_periods + 1
    assert len(lay.bars) == (n_periods + 1) * n_domains
    for prev, nxt in zip(lay.groups, lay.groups[1:], strict=False):
        assert prev.x + prev.width <= nxt.x + EPS
    for group in lay.groups:
        assert plot.x - EPS <= group.x and group.x + group.width <= plot.right + EPS
        for a, b in zip(group.bars, group.bars[1:], strict=False):
            assert a.x + a.width < b.x
        for bar in group.bars:
            assert bar.width > 0
            assert group.x <= bar.x and bar.x + bar.width <= group.x + group.width + EPS
            assert plot.y <= bar.y and bar.y + bar.height <= plot.bottom + EPS
    for item in lay.legend:  # beneath the chart, below the period labels
        assert lay.x_label_y < lay.legend_y <= item.y < item.y + lay.swatch <= lay.height
        assert 0 <= item.x < lay.width
    # every line of a level label, at its estimated width, fits left of the plot
    widest = max(text_width(line, lay.font_size) for t in lay.ticks for line in t.label_lines)
    assert widest < plot.x
    assert len(set(t.y for t in lay.ticks)) == n_levels
    # the SVG for the shape is well-formed and carries every label
    root = parse(render_svg(progress))
    shown = texts(root)
    for name in progress.levels + progress.periods:
        assert name in shown


def test_long_period_labels_are_rotated_and_fit_the_image():
    lay = layout(shaped(3, 5, 20, period_label="Financial year {}"))
    assert lay.rotate_x_labels
    assert lay.x_label_y < lay.height
    assert not layout(nao()).rotate_x_labels


def test_long_domain_names_wrap_in_the_legend():
    long_name = "A very long domain name that goes on " * 5
    domains = (DomainInfo("a", long_name.strip(), "#12436D"), DomainInfo("b", "Short", "#801650"))
    lay = layout(Progress("t", ("One", "Two"), domains, ("2020",), {("2020", "a"): 1}))
    assert len(lay.legend[0].label_lines) > 1
    for item in lay.legend:
        widest = max(text_width(line, lay.font_size) for line in item.label_lines)
        assert item.x + widest <= lay.width
    assert lay.legend[1].y > lay.legend[0].y  # "Short" moved to the next row


def test_legend_is_domains_in_order_with_their_colours():
    lay = layout(nao())
    assert [(i.label_lines, i.fill) for i in lay.legend[:3]] == [
        (("Developing a framework",), "#12436d"),
        (("Reporting performance information",), "#28a197"),
        (("Using the framework",), "#801650"),
    ]


def test_no_periods_and_no_ambition_still_draws_axes_legend_and_message():
    progress = nao(periods=(), values={}, ambition={})
    lay = layout(progress)
    assert lay.groups == () and lay.empty_message == "No submitted assessments in the periods shown"
    root = parse(render_svg(progress))
    shown = texts(root)
    assert "No submitted assessments in the periods shown" in shown
    assert set(NAO_LEVELS) <= set(shown)
    assert {d.name for d in NAO_DOMAINS} <= set(shown)
    assert len(root.findall(f"{SVG}line")) == len(NAO_LEVELS) + 1  # gridlines + baseline
    assert "No submitted assessments in the periods shown" in describe(progress)


def test_only_ambition_draws_a_single_group_without_message():
    lay = layout(nao(periods=(), values={}))
    assert [g.label for g in lay.groups] == ["Ambition"]
    assert lay.empty_message is None and lay.separator_x is None


def test_level_out_of_range_is_rejected():
    with pytest.raises(ValueError, match=r"outside 0\.\.5"):
        layout(nao(values={("2014", "developing"): 6}))
    with pytest.raises(ValueError, match="ambition"):
        layout(nao(ambition={"using": -1}))


# --- markup ---------------------------------------------------------------------------


def test_svg_is_standalone_accessible_xml():
    svg = render_svg(nao())
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 900 \d+(\.\d+)?", root.get("viewBox"))
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by == ["figure8-title", "figure8-desc"]
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.get("id") == "figure8-title"
    assert title.text == "Maturity of performance measurement"
    assert desc.get("id") == "figure8-desc"
    assert desc.text.startswith(
        "2014: Developing a framework Existing, Reporting performance information "
        "Not yet at Existing, Using the framework Not answered; 2015: "
    )
    assert (
        "Ambition: Developing a framework Challenging, Reporting performance information "
        "Challenging, Using the framework Enabling."
    ) in desc.text
    shown = texts(root)
    for expected in [*NAO_LEVELS, *(d.name for d in NAO_DOMAINS), "2014", "2018", "Ambition"]:
        assert expected in shown
    for el in root.iter(f"{SVG}text"):
        assert el.get("font-family") == "Arial, 'Liberation Sans', Helvetica, sans-serif"
        assert float(el.get("font-size")) >= 11


def test_svg_has_no_scripts_styles_classes_or_external_references():
    svg = render_svg(nao())
    for forbidden in ("<script", "foreignObject", "class=", "style", "href", "<image", "@import"):
        assert forbidden not in svg


def test_ids_are_unique_and_use_the_prefix():
    a = parse(render_svg(nao(), id_prefix="chart-org-1"))
    b = parse(render_svg(nao(), id_prefix="chart-org-2"))
    ids_a = [el.get("id") for el in a.iter() if el.get("id")]
    ids_b = [el.get("id") for el in b.iter() if el.get("id")]
    # title, desc, a hatch per domain for the ambition and one for its legend key
    assert len(ids_a) == len(set(ids_a)) == 2 + len(NAO_DOMAINS) + 1
    assert all(i.startswith("chart-org-1-") for i in ids_a)
    assert not set(ids_a) & set(ids_b)
    assert b.get("aria-labelledby") == "chart-org-2-title chart-org-2-desc"
    odd = parse(render_svg(nao(), id_prefix='1 "x"'))
    assert all(re.fullmatch(r"[A-Za-z][\w-]*", el.get("id")) for el in odd.iter() if el.get("id"))


def test_text_is_escaped():
    nasty = 'R&D <board> "quoted"'
    domains = (DomainInfo("rd", nasty, "#12436D"), DomainInfo("ops", "Ops & <script>", "#801650"))
    progress = Progress(
        title=f"{nasty} maturity",
        levels=("Low & slow", "<High>"),
        domains=domains,
        periods=("2019 <draft>",),
        values={("2019 <draft>", "rd"): 2, ("2019 <draft>", "ops"): 1},
        ambition={"rd": 2},
        ambition_label="Aim & <goal>",
    )
    svg = render_svg(progress)
    assert "R&amp;D &lt;board&gt;" in svg
    assert "<board>" not in svg and "<script>" not in svg and "<High>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == f"{nasty} maturity"
    shown = texts(root)
    for expected in (
        nasty,
        "Ops & <script>",
        "Low & slow",
        "<High>",
        "2019 <draft>",
        "Aim & <goal>",
    ):
        assert expected in shown
    assert (
        f"2019 <draft>: {nasty} <High>, Ops & <script> Low & slow" in root.find(f"{SVG}desc").text
    )


def test_output_is_deterministic_and_independent_of_dict_order():
    first = render_svg(nao())
    assert render_svg(nao()) == first
    reordered = nao(
        values=dict(reversed(list(nao().values.items()))),
        ambition={"using": 3, "reporting": 4, "developing": 4},
    )
    assert render_svg(reordered) == first


def test_numbers_have_at_most_two_decimals():
    svg = render_svg(shaped(7, 3, 20))
    numbers = re.findall(
        r'\s(?:x|y|x1|x2|y1|y2|width|height|font-size|stroke-width)="([^"]+)"', svg
    )
    assert numbers
    for n in numbers:
        if n != "100%":
            assert re.fullmatch(r"-?\d+(\.\d{1,2})?", n), n
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1).split()
    assert all(re.fullmatch(r"\d+(\.\d{1,2})?", n) for n in view_box)


def test_bad_colour_is_rejected():
    domains = (DomainInfo("a", "A", "red"),)
    with pytest.raises(ValueError, match="colour"):
        layout(Progress("t", ("One",), domains, ("2020",), {("2020", "a"): 1}))


def test_description_says_which_ambitions_are_not_set():
    text = describe(nao(ambition={"using": 3}))
    assert text.endswith(
        "Ambition: Developing a framework Not set, Reporting performance information Not set, "
        "Using the framework Enabling. Levels from lowest to highest: Existing, Functioning, "
        "Enabling, Challenging, Optimising."
    )


def test_a_period_named_like_the_ambition_is_still_a_period():
    progress = nao(periods=("Ambition",), values={("Ambition", "using"): 1}, ambition={"using": 2})
    lay = layout(progress)
    assert [(g.label, g.is_ambition) for g in lay.groups] == [
        ("Ambition", False),
        ("Ambition", True),
    ]
    assert [b.level for b in lay.bars] == [1, 2]
