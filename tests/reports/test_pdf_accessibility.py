"""The report's tagged structure, as assistive technology reads it (PDF/UA-1).

veraPDF is not available, so the checks a screen reader depends on are made here from the
structure tree: language, title shown as the window title, headings in order, the chart a
Figure with its full description as alternative text, tables tagged with header cells.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import date

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from maturity import ROOT
from maturity.data import assessments, frameworks
from maturity.domain import chart
from maturity.reports import pdf
from tests import factories
from tests.reports.test_organisation_report import reviewed_with_a_trail
from tests.reports.test_pdf import nao_history


def structure(content: bytes) -> tuple[DictionaryObject, list[DictionaryObject]]:
    """The document catalog and every structure element, in reading (tree) order."""
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    found: list[DictionaryObject] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return  # a marked-content id: the leaf text itself
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(root["/StructTreeRoot"])
    return root, found


def tag(element: DictionaryObject) -> str:
    return str(element["/S"]).lstrip("/")


def tags_under(element: DictionaryObject) -> list[str]:
    """The structure types of the element and everything under it, in tree order."""
    found = [tag(element)]
    kids = element.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            found += tags_under(kid)
    return found


def test_the_catalog_sets_language_title_and_marks_the_pdf_tagged():
    content = pdf.organisation_report(organisation=nao_history(), first=None, last=None).content
    root, elements = structure(content)
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    # The window shows the document's title, not its file name (PDF/UA 7.1).
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title.startswith("Maturity of performance measurement: ")
    assert tag(elements[0]) == "Document"


def test_headings_run_h1_then_h2s_in_the_order_of_the_contents():
    body = nao_history()
    framework = frameworks.current()
    content = pdf.organisation_report(organisation=body, first=None, last=None).content
    _, elements = structure(content)
    headings = [tag(e) for e in elements if tag(e) in {"H1", "H2", "H3", "H4", "H5", "H6"}]
    assert headings[0] == "H1" and headings.count("H1") == 1
    # No level skipped: each heading is at most one deeper than the one before it.
    for before, after in itertools.pairwise(headings):
        assert int(after[1]) <= int(before[1]) + 1, headings
    # Contents, summary, figure, one per domain, year-on-year change, sign-off.
    assert headings.count("H2") == 5 + len(framework.domains)


def test_the_chart_is_a_figure_whose_alternative_text_is_its_full_description():
    body = nao_history()
    framework = frameworks.current()
    progress = assessments.progress(organisation=body, framework=framework)
    content = pdf.organisation_report(organisation=body, first=None, last=None).content
    _, elements = structure(content)
    figures = [e for e in elements if tag(e) == "Figure"]
    assert len(figures) == 1
    alt = str(figures[0]["/Alt"])
    assert alt == f"{progress.title}. {chart.describe(progress)}"
    for period in progress.periods:
        assert period in alt
    # Its caption follows it; its data table is in the tree too (below).
    order = [tag(e) for e in elements]
    assert "Caption" in order[order.index("Figure") :]


def test_tables_are_tagged_with_header_cells():
    body = nao_history()
    content = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=date(2026, 11, 24)
    ).content
    _, elements = structure(content)
    tables = [e for e in elements if tag(e) == "Table"]
    # About, statuses, current levels, definitions, chart data, change, sign-off.
    assert len(tables) >= 7
    for table in tables:
        cells = tags_under(table)
        assert "TR" in cells and "TH" in cells and "TD" in cells


def test_a_framework_of_any_shape_keeps_the_same_structure():
    framework = factories.framework(domains=7, levels=6)
    body = factories.organisation(name="Seven by Six")
    factories.assessment(of=body, period="2018", framework=framework)
    content = pdf.organisation_report(
        organisation=body, first=None, last=None, framework=framework
    ).content
    _, elements = structure(content)
    headings = [tag(e) for e in elements if tag(e) in {"H1", "H2"}]
    assert headings.count("H2") == 5 + 7
    assert [tag(e) for e in elements].count("Figure") == 1


def contrast(one: str, two: str) -> float:
    def luminance(colour: str) -> float:
        digits = colour.lstrip("#")
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_text_colour_meets_wcag_aa_on_white_and_on_the_draft_watermark():
    stylesheet = "".join(
        (ROOT / "templates" / "reports" / name).read_text()
        for name in ("organisation_page.css", "organisation_print.css")
    )
    colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", stylesheet))
    assert colours, "the stylesheet sets its text colours"
    for colour in colours:
        for background in ("#ffffff", pdf.WATERMARK_COLOUR):
            # 4.5:1 for text of any size (WCAG 2.2 1.4.3, level AA).
            assert contrast(colour, background) >= 4.5, (colour, background)


def test_the_bookmarks_follow_the_headings_in_reading_order():
    body = nao_history()
    framework = frameworks.current()
    content = pdf.organisation_report(organisation=body, first=None, last=None).content
    outline = PdfReader(io.BytesIO(content)).outline
    assert outline[0].title == framework.figure_title  # the H1
    parts = [item.title for item in outline[1] if not isinstance(item, list)]
    assert parts == [
        "Contents",
        "Summary of progress",
        framework.figure_title,
        *(domain.name for domain in framework.domains),
        "Year-on-year change",
        "Sign-off",
    ]


def test_each_contents_link_is_described_by_the_heading_it_leads_to():
    """PDF/UA: a link annotation's /Contents is what a screen reader announces for it; an
    anchor id like "domain-1" would mean nothing to the listener."""
    body = nao_history()
    framework = frameworks.current()
    content = pdf.organisation_report(organisation=body, first=None, last=None).content
    reader = PdfReader(io.BytesIO(content))
    described = [
        str(annotation.get_object()["/Contents"])
        for reader_page in reader.pages
        for annotation in reader_page.get("/Annots") or []
        if annotation.get_object()["/Subtype"] == "/Link"
    ]
    # WeasyPrint gives each box of a link (its title, its page number) an annotation.
    assert list(dict.fromkeys(described)) == [
        "Summary of progress",
        framework.figure_title,
        *(domain.name for domain in framework.domains),
        "Year-on-year change",
        "Sign-off",
    ]


def test_the_sign_off_trail_is_a_table_whose_rows_a_period_heads():
    """Each period's decisions are a row group headed by the period (a TH), under the
    column headers, so a screen reader says which period and which column a cell is in."""
    body, _ = reviewed_with_a_trail()
    content = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=date(2026, 11, 24)
    ).content
    _, elements = structure(content)
    trail = [e for e in elements if tag(e) == "Table"][-1]
    cells = tags_under(trail)
    assert cells.count("TR") == 1 + 8  # the header row, then the period's eight decisions
    assert cells.count("TH") == 5 + 1  # the column headers, then the period
    assert cells.count("TD") == 8 * 4
    assert "THead" in cells and "TBody" in cells
