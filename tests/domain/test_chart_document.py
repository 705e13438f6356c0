"""Figure 8 as a file of its own: the page's drawing under its title, as a standalone SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.domain.chart import describe, render_svg
from maturity.domain.chart_document import (
    NOTE_SIZE,
    TITLE_SIZE,
    FigureText,
    render_document,
)
from maturity.domain.chart_metrics import text_width
from tests.domain.test_chart import SVG, nao, shaped, texts

TEXT = FigureText(
    title="Maturity of performance measurement",
    subtitle="Home Office's maturity rose in all 3 domains between 2014 and 2018.",
    notes=("Source: Home Office's assessments, generated 24 November 2026.",),
    accessible_title="Maturity of performance measurement: Home Office, 2014 to 2018",
)


def _drawn(root: ET.Element) -> list[str]:
    """Every element of the chart, as markup, in order (the document's own around it left
    out)."""
    return [ET.tostring(el, encoding="unicode") for el in root]


def test_a_standalone_document_with_size_title_and_description():
    document = render_document(nao(), TEXT)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(document.encode())
    width, height = root.get("width"), root.get("height")
    assert width == "900" and float(height) > 400
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root.find(f"{SVG}title").text == TEXT.accessible_title
    assert root.find(f"{SVG}desc").text == describe(nao())
    assert root.get("font-family") == "Arial, 'Liberation Sans', Helvetica, sans-serif"
    shown = texts(root)
    assert shown[:2] == [TEXT.title, TEXT.subtitle]
    assert shown[-1] == TEXT.notes[0]


@pytest.mark.parametrize(
    "progress", [nao(), shaped(7, 6, 4), shaped(1, 3, 1), shaped(12, 7, 12)], ids=str
)
def test_the_chart_is_the_pages_drawing_moved_under_the_title(progress):
    page = ET.fromstring(render_svg(progress))
    document = ET.fromstring(render_document(progress, TEXT).encode())
    group = document.find(f"{SVG}g")
    assert group.get("transform").startswith("translate(0 ")
    # Everything the page draws, in the same order, nothing else: the same bars, legend,
    # patterns and labels (the page's own title and description are the document's).
    on_page = [el for el in page if el.tag not in (f"{SVG}title", f"{SVG}desc")]
    assert _drawn(group) == [ET.tostring(el, encoding="unicode") for el in on_page]


def test_every_word_is_inside_the_canvas():
    long = FigureText(
        title="A figure title long enough to need a second line " * 2,
        subtitle="A headline that goes on and on about the levels reached " * 3,
        notes=("A note " * 40, "Source: somewhere."),
    )
    root = ET.fromstring(render_document(nao(), long).encode())
    width, height = float(root.get("width")), float(root.get("height"))
    for el in root:
        if el.tag != f"{SVG}text":
            continue
        size = float(el.get("font-size"))
        bold = el.get("font-weight") == "bold"
        x, y = float(el.get("x")), float(el.get("y"))
        assert x + text_width(el.text, size, bold=bold) <= width - x + 0.01, el.text
        assert size * 0.8 <= y <= height - size * 0.2, el.text
    titles = [el for el in root if el.get("font-size") == f"{TITLE_SIZE:g}"]
    assert len(titles) == 2
    notes = [el for el in root if el.tag == f"{SVG}text" and el.get("font-size") == str(NOTE_SIZE)]
    assert len(notes) > 2  # the long note wrapped
    ys = [float(el.get("y")) for el in root if el.tag == f"{SVG}text"]
    assert ys == sorted(ys[:3]) + ys[3:]  # title and subtitle lines top down


def test_people_s_words_are_escaped():
    text = FigureText(title="Levels <&> 'quoted'", subtitle='A "body" & co <script>')
    root = ET.fromstring(render_document(nao(), text).encode())
    assert texts(root)[:2] == [text.title, text.subtitle]
    assert root.find(f"{SVG}title").text == text.title  # no accessible title: the title
