"""The PDF report, read back as a reader (or a screen reader) would: text, structure, fonts."""

from __future__ import annotations

import base64
import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from maturity.data import assessments, frameworks, report_content
from maturity.domain import chart
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.reports import pdf
from tests import factories
from tests.conftest import download, page, sign_in

PERIODS = ("2014", "2015", "2016", "2017", "2018")


def nao_history(name: str = "Home Office & NCA"):
    """A Figure 8-shaped history; the levels are illustrative."""
    body = factories.organisation(name=name)
    keys = [domain.key for domain in frameworks.current().domains]
    for step, period in enumerate(PERIODS):
        factories.assessment(
            of=body,
            period=period,
            levels={key: min(1 + (step + i) // 2, 5) for i, key in enumerate(keys)},
            ambition={key: 4 for key in keys},
        )
    return body


def text_of(content: bytes, page_number: int = 0) -> str:
    """The page's text with whitespace runs collapsed: table cells wrap differently."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(reader.pages[page_number].extract_text().split())


def all_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def fonts_in(content: bytes) -> dict[str, bool]:
    """Every font used, by name, and whether its file is embedded (SVG text included)."""
    found: dict[str, bool] = {}

    def walk(resources) -> None:  # type: ignore[no-untyped-def]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            inner = xobject.get_object().get("/Resources")
            if inner is not None:
                walk(inner.get_object())

    for reader_page in PdfReader(io.BytesIO(content)).pages:
        walk(reader_page["/Resources"].get_object())
    return found


def page_with(content: bytes, needle: str) -> str:
    """The text of the first page containing ``needle`` (the report's parts move with
    the data, so tests find a part by its heading rather than by its page number)."""
    reader = PdfReader(io.BytesIO(content))
    for reader_page in reader.pages:
        text = " ".join(reader_page.extract_text().split())
        if needle in text:
            return text
    raise AssertionError(f"no page says {needle!r}")


def test_the_cover_names_the_organisation_periods_statuses_and_date():
    body = nao_history()
    report = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=date(2026, 11, 24)
    )
    cover = text_of(report.content)
    # The watermark comes first in the text (it is the page's background), then the title.
    assert cover.startswith("DRAFT Maturity of performance measurement Home Office & NCA")
    assert "Maturity of performance measurement Home Office & NCA" in cover
    assert "Framework NAO maturity of performance measurement (version 1)" in cover
    assert "Periods covered 2014 to 2018" in cover
    assert "Date generated 24 November 2026" in cover
    for period in PERIODS:
        assert f"{period} Draft (submitted, not yet approved)" in cover
    assert "Home Office & NCA's maturity rose in" in cover
    assert "Page 1 of" in cover


def test_the_figure_page_stands_beside_figure_8():
    body = nao_history()
    framework = frameworks.current()
    report = pdf.organisation_report(organisation=body, first=None, last=None)
    figure_page = page_with(report.content, framework.definitions_title)
    for level in framework.levels:
        assert level.name in figure_page
    for domain in framework.domains:
        assert domain.name in figure_page
        for descriptor in domain.descriptors:
            assert descriptor.text in figure_page
    assert "Submitted and approved assessments, with the ambition set in the latest, 2018" in (
        figure_page
    )


def test_notes_and_the_source_line_stand_under_the_figure():
    body = nao_history()
    framework = frameworks.current()
    generated_at = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    report = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_at=generated_at
    )
    figure_page = page_with(report.content, framework.definitions_title)
    assert "Notes" in figure_page
    for note in framework.notes:
        assert " ".join(note.split()) in figure_page
    assert "Source: Home Office & NCA's assessments in" in figure_page
    assert "generated 24 November 2026" in figure_page
    everything = all_text(report.content)
    assert "Levels reached, by period" in everything
    assert "Challenging (4)" in everything


def test_the_pdf_is_tagged_in_english_with_its_title_and_author():
    body = nao_history()
    report = pdf.organisation_report(organisation=body, first=None, last=None)
    reader = PdfReader(io.BytesIO(report.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == (
        "Maturity of performance measurement: Home Office & NCA, 2014 to 2018"
    )
    assert reader.metadata.author == "Home Office & NCA"
    assert reader.xmp_metadata is not None
    assert 'pdfuaid:part="1"' in reader.xmp_metadata.rdf_root.toxml()


def test_every_font_is_embedded_and_none_is_gds_transport():
    content = pdf.organisation_report(organisation=nao_history(), first=None, last=None).content
    fonts = fonts_in(content)
    assert fonts, "the text must be real text, drawn in fonts"
    assert all(fonts.values()), fonts
    assert not any("transport" in name.lower() for name in fonts)


def test_from_and_to_choose_the_periods():
    body = nao_history()
    report = pdf.organisation_report(organisation=body, first="2015", last="2017")
    everything = all_text(report.content)
    for period in ("2015", "2016", "2017"):
        assert period in everything
    for period in ("2014", "2018"):
        assert period not in everything
    assert report.filename == f"maturity-{body.slug}-2015-to-2017.pdf"


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2018/19", None, "from", "The first period ('2018/19') is not valid"),
        (None, "2018-20", "to", "the second year must follow the first"),
        ("2018", "2014", "to", "must be the same as or after the first"),
    ],
)
def test_a_bad_period_is_refused_at_its_field(first, last, field, message):
    body = nao_history()
    with pytest.raises(DomainError, match=re.escape(message)) as raised:
        pdf.organisation_report(organisation=body, first=first, last=last)
    assert raised.value.field == field


def test_with_no_submitted_assessment_the_report_still_says_so():
    body = factories.organisation(name="New Body")
    factories.assessment(of=body, period="2019", status=factories.AssessmentStatus.DRAFT)
    report = pdf.organisation_report(organisation=body, first=None, last=None)
    cover = text_of(report.content)
    assert "New Body has no submitted assessments yet." in cover
    assert "Periods covered None: no assessment has been submitted yet" in cover
    assert "Sign-off" not in cover  # no parts about periods there are none of
    assert "no progress to summarise" in all_text(report.content)
    assert frameworks.current().definitions_title in all_text(report.content)
    assert report.filename == f"maturity-{body.slug}.pdf"


def test_a_range_without_assessments_says_so_rather_than_none_yet():
    body = nao_history()  # assessed from 2014 to 2018
    report = pdf.organisation_report(organisation=body, first="2020", last="2021")
    cover = text_of(report.content)
    assert f"{body.name} has no submitted assessments between 2020 and 2021." in cover
    assert "Periods covered None: no assessment was submitted between 2020 and 2021" in cover
    everything = all_text(report.content)
    # The chart's own empty message (maturity/domain/chart_layout.py) is not the report's.
    said = everything.replace("not yet approved", "").replace(chart.NO_DATA_MESSAGE, "")
    assert "yet" not in said
    assert "No assessment was submitted between 2020 and 2021: choose other periods" in everything


def test_a_name_cannot_break_out_of_the_running_header():
    body = factories.organisation(name='Body "A" </style><h1>x</h1> \\ Ltd')
    content = pdf.organisation_report(organisation=body, first=None, last=None).content
    assert text_of(content).count('Body "A" </style><h1>x</h1> \\ Ltd') >= 2


def test_a_missing_asset_stops_the_report():
    html = (
        '<html lang="en"><head><link rel="stylesheet" href="no-such.css"></head>'
        "<body>x</body></html>"
    )
    with pytest.raises(pdf.ReportError, match=re.escape("no-such.css")):
        pdf.to_pdf(html)


def test_a_missing_font_stops_the_report(monkeypatch):
    monkeypatch.setattr(pdf, "FONT_FAMILIES", ("No Such Typeface",))
    with pytest.raises(pdf.ReportError, match="No Such Typeface"):
        pdf.to_pdf('<html lang="en"><body><p>x</p></body></html>')


def test_the_route_and_the_command_give_the_same_report(app, client, tmp_path):
    body = nao_history()
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = download(client, f"/organisations/{body.slug}/report.pdf?from=2015&to=2018")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"maturity-{body.slug}-2015-to-2018.pdf" in response.headers["Content-Disposition"]

    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", body.name, "--out", str(out), "--from", "2015", "--to", "2018"]
    )
    assert result.exit_code == 0, result.output
    assert text_of(response.data) == text_of(out.read_bytes())
    assert "2014" not in text_of(response.data)


def test_a_person_without_a_role_there_gets_not_found(client):
    body = nao_history()
    outsider = factories.member(of=factories.organisation())
    sign_in(client, outsider.email)
    response = client.get(f"/organisations/{body.slug}/report.pdf")
    assert response.status_code == 404
    assert body.name not in response.get_data(as_text=True)


def test_anyone_signed_out_is_sent_to_sign_in(client):
    body = nao_history()
    response = client.get(f"/organisations/{body.slug}/report.pdf")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=soon", "The first period ('soon') is not valid"),
        ("from=2018&to=2015", "must be the same as or after the first"),
    ],
)
def test_a_bad_period_in_the_address_is_a_400_with_the_reason(client, query, message):
    body = nao_history()
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get(f"/organisations/{body.slug}/report.pdf?{query}")
    assert response.status_code == 400
    assert message in page(response).h1.get_text()


def test_the_page_and_the_pdf_draw_the_same_svg(client):
    body = nao_history()
    framework = frameworks.current()
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    page_html = client.get(f"/organisations/{body.slug}").get_data(as_text=True)
    progress = assessments.progress(organisation=body, framework=framework)
    report_html = pdf.render_html(
        organisation=body,
        framework=framework,
        progress=progress,
        records=report_content.charted(organisation=body, framework=framework),
        day=date(2026, 11, 24),
    )
    svg = chart.render_svg(progress)
    assert svg in page_html
    # The report draws it as an image, so that its alternative text is the full description.
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    assert f'src="data:image/svg+xml;base64,{encoded}"' in report_html
