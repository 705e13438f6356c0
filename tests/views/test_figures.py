"""Figure 8 for board papers: SVG and PNG downloads and the one-page PDF, from the
organisation and progress pages, as the people who may read the organisation get them."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from maturity.data import assessments, frameworks
from maturity.domain import chart
from maturity.domain.chart_layout import colours
from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus, JobKind, ReportJob
from maturity.reports import figure_pdf
from tests import factories
from tests.conftest import download, link, page, run_jobs, sign_in
from tests.reports.test_pdf import nao_history, text_of
from tests.reports.test_pdf_accessibility import structure, tag, tags_under

SVG = "{http://www.w3.org/2000/svg}"
LINKS = (
    "Download Figure 8 as SVG",
    "Download Figure 8 as PNG",
    "Download Figure 8 only (PDF, one page)",
)


@pytest.fixture
def body():  # type: ignore[no-untyped-def]
    return nao_history("Home Office")


@pytest.fixture
def viewer(client, body):  # type: ignore[no-untyped-def]
    person = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, person.email)
    return person


def _links(html) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = {}
    for text in LINKS:
        anchor = link(html, text)
        assert anchor is not None, f"no link {text!r}"
        found[text] = anchor["href"]
    return found


def _rects(root) -> set[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return {
        tuple(el.get(name) or "" for name in ("x", "y", "width", "height", "fill", "stroke"))
        for el in root.iter(f"{SVG}rect")
        if el.get("fill", "").startswith("#") or el.get("fill", "").startswith("url(")
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _texts(root) -> list[str]:  # type: ignore[no-untyped-def]
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_the_organisation_page_offers_figure_8_beside_the_report(client, body, viewer):  # type: ignore[no-untyped-def]
    html = page(client.get(f"/organisations/{body.slug}"))
    hrefs = _links(html)
    assert [urlsplit(h).path for h in hrefs.values()] == [
        f"/organisations/{body.slug}/figure.svg",
        f"/organisations/{body.slug}/figure.png",
        f"/organisations/{body.slug}/figure.pdf",
    ]
    # Screen readers hear whose figure each link downloads.
    anchor = link(html, "Download Figure 8 as PNG")
    hidden = anchor.select_one(".govuk-visually-hidden").get_text()
    assert "Home Office" in hidden and "Maturity of performance measurement" in hidden


def test_the_svg_is_a_standalone_document_with_the_pages_own_chart(client, body, viewer):  # type: ignore[no-untyped-def]
    response = client.get(f"/organisations/{body.slug}/figure.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="figure-8-home-office-2014-to-2018.svg"'
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SVG}svg"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width == 900 and height > 400
    assert "Liberation Sans" in root.get("font-family")

    framework = frameworks.current()
    progress = assessments.progress(organisation=body, framework=framework)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Maturity of performance measurement: Home Office, 2014 to 2018"
    assert desc.text == chart.describe(progress)
    labelled = root.get("aria-labelledby").split()
    assert labelled == [title.get("id"), desc.get("id")] and root.get("role") == "img"

    texts = _texts(root)
    assert texts[0] == "Maturity of performance measurement"  # the visible title, on top
    assert texts[1] == "Home Office's maturity rose in all 3 domains between 2014 and 2018."
    for expected in (
        *(domain.name for domain in framework.domains),  # the legend
        *(level.name for level in framework.levels),  # the axis
        *progress.periods,
        "Ambition",
        "Ambition: target level",
    ):
        assert expected in texts, expected
    assert any(t.startswith("Source: Home Office's assessments in ") for t in texts)
    for el in root.iter(f"{SVG}text"):
        assert "Liberation Sans" in el.get("font-family")

    # The bars are the page's bars: the same rectangles, in the same colours.
    html = page(client.get(f"/organisations/{body.slug}"))
    shown = ElementTree.fromstring(str(html.select_one("figure.app-chart svg")))
    on_page, downloaded = _rects(shown), _rects(root)
    assert on_page <= downloaded
    assert downloaded - on_page == {("0", "0", "900", root.get("height"), "#ffffff", "")}
    bars = [bar for bar in chart.layout(progress).bars if bar.level]
    assert len(bars) == len(progress.periods) * 3 + 3
    # Moved down under the title, all of it: one group, one translation.
    group = root.find(f"{SVG}g")
    assert re.fullmatch(r"translate\(0 [\d.]+\)", group.get("transform"))


def test_the_png_is_that_drawing_at_twice_the_size_on_white(client, body, viewer):  # type: ignore[no-untyped-def]
    svg = ElementTree.fromstring(client.get(f"/organisations/{body.slug}/figure.svg").data)
    response = client.get(f"/organisations/{body.slug}/figure.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="figure-8-home-office-2014-to-2018.png"'
    )
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(response.data)).convert("RGBA")
    assert image.size == (1800, round(float(svg.get("height")) * 2))
    # White, opaque background: pasted on a coloured slide, it keeps its look.
    for corner in ((0, 0), (image.width - 1, 0), (0, image.height - 1)):
        assert image.getpixel(corner) == (255, 255, 255, 255)
    assert image.getextrema()[3] == (255, 255)
    # Not blank: the domains' colours fill the bars, and dark text is drawn.
    pixels = set(image.convert("RGB").getdata())
    for domain in frameworks.current().domains:
        fill = colours(domain.colour)[0]
        assert tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5)) in pixels, domain.name
    dark = sum(1 for p in image.convert("L").getdata() if p < 60)
    assert dark > 2000


def test_the_progress_page_links_the_chosen_periods_and_framework(client):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Two Frameworks")
    factories.member(of=body, role=MembershipRole.VIEWER, email="two@example.org")
    sign_in(client, "two@example.org")
    other = factories.framework(domains=7, levels=6)
    frameworks.enable(organisation=body, key=other.key, actor=None)
    for period in ("2015", "2016", "2017", "2018"):
        factories.assessment(of=body, period=period, framework=other)
    factories.assessment(of=body, period="2019")  # the NAO framework: shown by default
    html = page(
        client.get(f"/organisations/{body.slug}/progress?framework={other.key}&from=2016&to=2017")
    )
    hrefs = _links(html)
    for href in hrefs.values():
        assert parse_qs(urlsplit(href).query) == {
            "framework": [other.key],
            "from": ["2016"],
            "to": ["2017"],
        }
    hidden = link(html, "Download Figure 8 as SVG").select_one(".govuk-visually-hidden")
    assert "2016 to 2017" in hidden.get_text()

    response = client.get(hrefs["Download Figure 8 as SVG"])
    assert (
        'filename="figure-8-two-frameworks-2016-to-2017.svg"'
        in (response.headers["Content-Disposition"])
    )
    root = ElementTree.fromstring(response.data)
    texts = _texts(root)
    assert texts[0] == other.figure_title
    assert "2016" in texts and "2017" in texts
    assert "2015" not in texts and "2018" not in texts and "2019" not in texts
    for n in range(1, 8):
        assert f"Domain {n}" in texts
    for n in range(1, 7):
        assert f"Level {n}" in texts

    png = client.get(hrefs["Download Figure 8 as PNG"])
    assert Image.open(io.BytesIO(png.data)).size == (
        1800,
        round(float(root.get("height")) * 2),
    )

    pdf_response = download(client, hrefs["Download Figure 8 only (PDF, one page)"])
    assert pdf_response.status_code == 200
    text = text_of(pdf_response.data)
    assert other.figure_title in text and "between 2016 and 2017" in text
    assert "Domain 7 at level 6." in text
    assert len(PdfReader(io.BytesIO(pdf_response.data)).pages) == 1


def test_the_one_page_pdf_is_prepared_by_a_worker_then_downloaded(client, body, viewer):  # type: ignore[no-untyped-def]
    url = f"/organisations/{body.slug}/figure.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "Your report is being prepared" in page(waiting).get_text()
    job = ReportJob.query.filter_by(kind=JobKind.FIGURE_PDF).one()
    assert job.organisation_id == body.id and job.parameters == {}

    response = download(client, url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith(
        "filename=figure-8-home-office-2014-to-2018.pdf"
    )
    # Rendered once: asked again, it is the cached file, no new job.
    again = client.get(url)
    assert again.status_code == 200 and again.data == response.data
    assert ReportJob.query.filter_by(kind=JobKind.FIGURE_PDF).count() == 1

    content = response.data
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = text_of(content)
    framework = frameworks.current()
    progress = assessments.progress(organisation=body, framework=framework)
    assert text.removeprefix("DRAFT ").startswith(framework.figure_title), text[:200]
    assert "Home Office's maturity rose in all 3 domains between 2014 and 2018." in text
    assert framework.definitions_title in text
    # Lines break after hyphens too ("Inter- Ministerial"): compared without spaces.
    squashed = _squash(text)
    for domain in framework.domains:
        assert domain.name in text
        for descriptor in domain.descriptors:
            assert _squash(descriptor.text) in squashed, descriptor.text
    for level in framework.levels:
        assert f"{level.number} {level.name}" in text
    for note in framework.notes:
        assert _squash(note) in squashed, note
    assert "Source: Home Office's assessments in Performance measurement maturity" in text
    # Submitted, not approved: said, and marked.
    assert "were submitted but not yet approved" in text

    # Tagged like the full report (PDF/UA-1).
    root, elements = structure(content)
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == f"{framework.figure_title}: Home Office, 2014 to 2018"
    order = [tag(e) for e in elements]
    assert order.count("H1") == 1 and order.index("H1") < order.index("Figure")
    figures = [e for e in elements if tag(e) == "Figure"]
    assert len(figures) == 1
    assert str(figures[0]["/Alt"]) == f"{progress.title}. {chart.describe(progress)}"
    tables = [e for e in elements if tag(e) == "Table"]
    assert len(tables) == 1
    cells = tags_under(tables[0])
    assert cells.count("TH") == 1 + len(framework.domains) + len(framework.levels)
    assert cells.count("TD") == len(framework.domains) * len(framework.levels)
    assert order.index("Figure") < order.index("Table")


def test_an_approved_figure_has_no_draft_notice(client):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Approved Body")
    factories.member(of=body, role=MembershipRole.VIEWER, email="approved@example.org")
    sign_in(client, "approved@example.org")
    factories.assessment(of=body, period="2018", status=AssessmentStatus.APPROVED)
    content = download(client, f"/organisations/{body.slug}/figure.pdf").data
    assert "not yet approved" not in text_of(content)
    svg = client.get(f"/organisations/{body.slug}/figure.svg").data.decode()
    assert "not yet approved" not in svg and "DRAFT" not in svg


@pytest.mark.parametrize(("domains", "levels"), [(1, 3), (7, 6), (12, 7)])
def test_any_framework_shape_fits_one_page(domains, levels):  # type: ignore[no-untyped-def]
    framework = factories.framework(domains=domains, levels=levels)
    body = factories.organisation(name=f"Shape {domains} by {levels}")
    for period in ("2016", "2017", "2018"):
        factories.assessment(of=body, period=period, framework=framework)
    report = figure_pdf.figure_report(organisation=body, first=None, last=None, framework=framework)
    assert len(PdfReader(io.BytesIO(report.content)).pages) == 1
    text = text_of(report.content)
    for n in range(1, domains + 1):
        assert f"Domain {n} at level {levels}." in text


def test_long_descriptors_still_fit_one_page():  # type: ignore[no-untyped-def]
    framework = factories.framework(domains=5, levels=7)
    for domain in framework.domains:
        for descriptor in domain.descriptors:
            descriptor.text = (
                f"{domain.name} at level {descriptor.level_number}: " + "a long descriptor " * 9
            ).strip()
    from maturity.extensions import db

    db.session.commit()
    body = factories.organisation(name="Wordy Body")
    factories.assessment(of=body, period="2018", framework=framework)
    report = figure_pdf.figure_report(organisation=body, first=None, last=None, framework=framework)
    assert len(PdfReader(io.BytesIO(report.content)).pages) == 1


def test_bad_periods_are_a_clear_400(client, body, viewer):  # type: ignore[no-untyped-def]
    for name in ("figure.svg", "figure.png", "figure.pdf"):
        response = client.get(f"/organisations/{body.slug}/{name}?from=2018&to=2014")
        assert response.status_code == 400
        assert "must be the same as or after the first" in page(response).get_text()
        response = client.get(f"/organisations/{body.slug}/{name}?from=last+year")
        assert response.status_code == 400


def test_an_outsider_is_told_none_of_them_exist(client, body):  # type: ignore[no-untyped-def]
    other = factories.organisation(name="Elsewhere")
    person = factories.member(of=other, role=MembershipRole.APPROVER)
    sign_in(client, person.email)
    for name in ("figure.svg", "figure.png", "figure.pdf"):
        response = client.get(f"/organisations/{body.slug}/{name}")
        assert response.status_code == 404, name
        assert b"Home Office" not in response.data
    assert ReportJob.query.count() == 0
    run_jobs()
