"""Figure 8 as drawn: one <rect> per bar, hatched ambition, moderation markers, readable text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.domain.chart import MODERATED_KEY, layout, render_svg
from maturity.domain.chart_layout import STUB_HEIGHT, Bar
from tests.domain.test_chart import EPS, NAO_DOMAINS, SVG, nao, parse, shaped, texts

MODERATED = frozenset({("2017", "reporting"), ("2014", "reporting")})


def _contrast(a: str, b: str = "#ffffff") -> float:
    def luminance(colour: str) -> float:
        def lin(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        r, g, bl = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _box(el: ET.Element) -> tuple[float, float, float, float]:
    return tuple(float(el.get(k)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def _bar_rect(root: ET.Element, bar: Bar) -> ET.Element:
    """The one top-level <rect> drawn at the bar's laid-out box."""
    found = [
        r
        for r in root.findall(f"{SVG}rect")
        if _box(r)[0] == pytest.approx(bar.x, abs=EPS) and _box(r)[2] == pytest.approx(bar.width)
    ]
    assert len(found) == 1, bar
    return found[0]


def _patterns(root: ET.Element) -> dict[str, ET.Element]:
    return {p.get("id"): p for p in root.iter(f"{SVG}pattern")}


@pytest.mark.parametrize(
    ("n_domains", "n_levels", "n_periods"), [(4, 4, 5), (7, 6, 5), (1, 5, 5), (3, 5, 20)]
)
def test_each_bar_is_one_rect_with_the_exact_laid_out_box(n_domains, n_levels, n_periods):
    progress = shaped(n_domains, n_levels, n_periods)
    lay = layout(progress)
    root = parse(render_svg(progress))
    for bar in lay.bars:
        x, y, w, h = _box(_bar_rect(root, bar))
        if bar.level:
            assert (x, y, w, h) == pytest.approx((bar.x, bar.y, bar.width, bar.height), abs=EPS)
            assert h == pytest.approx(bar.level * lay.plot.height / n_levels, abs=EPS)
        else:  # not yet at the first level: a visible outlined block on the baseline
            assert h == STUB_HEIGHT and y + h == pytest.approx(lay.plot.bottom, abs=EPS)


def test_ambition_bars_are_hatched_in_their_domain_colour_and_outlined():
    lay = layout(nao())
    root = parse(render_svg(nao(), id_prefix="org-7"))
    patterns = _patterns(root)
    for bar in lay.groups[-1].bars:
        rect = _bar_rect(root, bar)
        fill = rect.get("fill")
        assert fill == f"url(#org-7-hatch-{bar.domain_index})"
        stripes = [r.get("fill") for r in patterns[fill[5:-1]].iter(f"{SVG}rect")]
        colour = NAO_DOMAINS[bar.domain_index].colour.lower()
        assert colour in stripes and len(set(stripes)) == 2  # stripes over a lighter tint
        assert rect.get("stroke") == bar.edge and float(rect.get("stroke-width")) >= 1.5
    for group in lay.groups[:-1]:  # achieved levels are solid
        for bar in group.bars:
            assert not _bar_rect(root, bar).get("fill").startswith("url(")


def test_the_legend_has_a_hatched_ambition_key_beneath_the_chart():
    lay = layout(nao())
    root = parse(render_svg(nao()))
    assert "Ambition: target level" in texts(root)
    (key,) = [i for i in lay.legend if i.kind == "ambition"]
    keyed = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == "url(#figure8-hatch-key)"]
    assert len(keyed) == 1
    assert float(keyed[0].get("y")) > lay.plot.bottom and float(keyed[0].get("y")) >= key.y
    stripes = {r.get("fill") for r in _patterns(root)["figure8-hatch-key"].iter(f"{SVG}rect")}
    assert _contrast(max(stripes, key=_contrast)) >= 3  # the hatch itself is visible
    # no ambition: no hatching, no key
    none = parse(render_svg(nao(ambition={})))
    assert not _patterns(none) and "Ambition: target level" not in texts(none)


def _triangles(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in p.split(",")) for p in poly.get("points").split()]
        for poly in root.findall(f"{SVG}polygon")
    ]


def test_a_moderated_bar_has_a_triangle_pointing_at_it_explained_in_the_legend():
    progress = nao(moderated=MODERATED)
    lay = layout(progress)
    root = parse(render_svg(progress))
    triangles = _triangles(root)
    # one per moderated bar, and one in the legend
    assert len(triangles) == 3
    assert MODERATED_KEY in texts(root)
    bar = next(b for b in lay.bars if b.is_moderated and b.level)
    tip = min(triangles, key=lambda t: abs(t[2][0] - (bar.x + bar.width / 2)))[2]
    assert tip[0] == pytest.approx(bar.x + bar.width / 2, abs=EPS)
    assert bar.y - 5 < tip[1] < bar.y
    for poly in root.findall(f"{SVG}polygon"):
        assert _contrast(poly.get("fill")) >= 3  # a dark shape: it needs no colour to be seen
    plain = parse(render_svg(nao()))
    assert _triangles(plain) == [] and MODERATED_KEY not in texts(plain)


def test_unapproved_periods_are_still_said_in_the_description():
    svg = parse(render_svg(nao(unapproved=frozenset({"2018"}))))
    assert "2018 (submitted, not yet approved): " in svg.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    "progress",
    [
        nao(moderated=MODERATED, unapproved=frozenset({"2018"})),
        shaped(7, 6, 20, period_label="Financial year {}"),
    ],
    ids=["nao", "7x6x20"],
)
def test_all_text_meets_aa_contrast_and_stays_inside_the_image(progress):
    lay = layout(progress)
    root = parse(render_svg(progress))
    for el in root.iter(f"{SVG}text"):
        assert _contrast(el.get("fill")) >= 4.5, el.get("fill")
        assert float(el.get("font-size")) >= 11
        assert 0 < float(el.get("y")) <= lay.height
        if el.get("text-anchor") == "end":
            assert float(el.get("x")) > 0
    # the legend is the last thing down the image, below the period labels
    legend_texts = [t for t in root.iter(f"{SVG}text") if float(t.get("y")) > lay.legend_y]
    shown = {"".join(t.itertext()) for t in legend_texts}
    assert shown >= {d.name.strip() for d in progress.domains}
    assert all(float(t.get("y")) < lay.height for t in legend_texts)


def test_the_ambition_label_is_bold_and_the_separator_dashed():
    root = parse(render_svg(nao()))
    ambition = [t for t in root.iter(f"{SVG}text") if t.text == "Ambition"]
    assert len(ambition) == 1 and ambition[0].get("font-weight") == "bold"
    assert next(t for t in root.iter(f"{SVG}text") if t.text == "2018").get("font-weight") is None
    lay = layout(nao())
    dashed = [line for line in root.findall(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert float(dashed[0].get("x1")) == pytest.approx(lay.separator_x, abs=EPS)
    assert float(dashed[0].get("y1")) <= lay.plot.y and float(dashed[0].get("y2")) > lay.plot.bottom
