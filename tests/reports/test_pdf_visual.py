"""How the report looks: chosen pages against reference images, and the chart's bars
measured in the PDF's own drawing operations.

The reference images are small greyscale renders (pdftoppm at 40 dpi) under
``tests/reports/reference/``. When a change to the report's look is intended, regenerate
them and review the new images before committing:

    UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/reports/test_pdf_visual.py

A page passes when at most ``TOLERANCE`` of its pixels (about 150 of a page's 155,000)
differ by more than ``THRESHOLD`` grey levels. Two renders on one machine differ by none;
the margin absorbs anti-aliasing between poppler and font versions, not a moved table, a
lost watermark or a bar two levels off. A single changed character is only a pixel or two
at this size: words are checked by the text tests, bar heights by the test below.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from maturity.data import assessments, decisions, frameworks, review
from maturity.domain import chart
from maturity.extensions import db
from maturity.models import AssessmentStatus, DecisionKind, Framework, Organisation
from maturity.reports import pdf
from tests import factories
from tests.reports.test_pdf_accessibility import structure, tag

REFERENCE = Path(__file__).parent / "reference"
UPDATE = os.environ.get("UPDATE_REFERENCE") == "1"
RESOLUTION = 40
THRESHOLD = 64
TOLERANCE = 0.001
DAY = date(2026, 11, 24)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


@contextmanager
def decided_at(moment: datetime) -> Iterator[None]:
    """Decisions made meanwhile are dated ``moment``, not now: the sign-off prints them."""

    class Fixed(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def]
            return moment.replace(tzinfo=tz)

    with (
        mock.patch.object(decisions, "datetime", Fixed),
        mock.patch.object(review, "_now", lambda: moment),
    ):
        yield


def reference_body(*, with_draft: bool) -> Organisation:
    """Fixed data, names and dates, so the pages are the same on every run."""
    framework = frameworks.current()
    keys = [d.key for d in framework.domains]
    body = factories.organisation(name="Reference Body")
    submitter = factories.user(name="Sam Submitter")
    approver = factories.user(name="Ada Approver")
    periods = ("2014", "2015", "2016", "2017", "2018")
    for step, period in enumerate(periods):
        last = step == len(periods) - 1
        made = factories.assessment(
            of=body,
            period=period,
            levels={
                key: min(1 + (step + i) // 2, len(framework.levels)) for i, key in enumerate(keys)
            },
            ambition=dict.fromkeys(keys, 4),
            evidence=f"Board papers of {period}.",
            status=AssessmentStatus.DRAFT if last else AssessmentStatus.SUBMITTED,
        )
        year = int(period) + 1
        if last:
            factories.improvement_action(
                assessment=made,
                domain_key=keys[0],
                what="Map delivery to objectives",
                owner="Head of Performance",
                due_date=date(2019, 6, 30),
            )
            made.status = AssessmentStatus.SUBMITTED
        # Submitted by someone, as the sign-off shows (the factory only sets the status).
        made.submitted_by, made.submitted_at = submitter, datetime(year, 2, 1, 9, 0)
        decisions.record(
            assessment=made,
            kind=DecisionKind.SUBMITTED,
            actor=submitter,
            at=made.submitted_at,
        )
        db.session.commit()
        if last:
            with decided_at(datetime(year, 2, 20, 9, 0)):
                review.moderate(
                    assessment=made,
                    domain_key=keys[-1],
                    level=2,
                    note="Minutes show monitoring.",
                    actor=approver,
                )
            if with_draft:
                continue
        with decided_at(datetime(year, 3, 1, 9, 0)):
            review.approve(
                assessment=made,
                actor=approver,
                comment="Checked against the board's minutes." if last else "",
            )
    return body


def render_page(content: bytes, number: int, tmp_path: Path) -> Image.Image:
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    prefix = tmp_path / f"page-{number}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            str(RESOLUTION),
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(source),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    with Image.open(f"{prefix}.png") as image:
        return image.convert("L")


def differing_share(actual: Image.Image, expected: Image.Image) -> float:
    if actual.size != expected.size:
        return 1.0
    difference = ImageChops.difference(actual, expected)
    histogram = difference.histogram()
    differing = sum(histogram[THRESHOLD + 1 :])
    return differing / (actual.width * actual.height)


def page_number_of(content: bytes, heading: str, *, anywhere: bool = False) -> int:
    for number, reader_page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):
        text = " ".join(reader_page.extract_text().split()).removeprefix("DRAFT ")
        if text.startswith(heading) or (anywhere and heading in text):
            return number
    raise AssertionError(f"no page starts with {heading!r}")


@needs_poppler
@pytest.mark.parametrize("with_draft", [False, True], ids=["approved", "draft"])
def test_chosen_pages_look_like_their_reference_images(tmp_path, with_draft):
    body = reference_body(with_draft=with_draft)
    framework = frameworks.current()
    content = pdf.organisation_report(
        organisation=body, first=None, last=None, generated_on=DAY
    ).content
    chosen = {"cover": 1}
    if not with_draft:  # the draft's other pages differ only by the watermark
        chosen |= {
            "summary": page_number_of(content, "Summary of progress"),
            # Not by its heading: the cover starts with the same title.
            "figure": page_number_of(content, framework.definitions_title, anywhere=True),
            "domain": page_number_of(content, framework.domains[0].name),
            "sign-off": len(PdfReader(io.BytesIO(content)).pages),
        }
    failures = []
    for name, number in chosen.items():
        actual = render_page(content, number, tmp_path)
        path = REFERENCE / f"{'draft' if with_draft else 'approved'}-{name}.png"
        if UPDATE:
            REFERENCE.mkdir(exist_ok=True)
            actual.save(path, optimize=True)
            continue
        assert path.exists(), f"{path} is missing: run with UPDATE_REFERENCE=1 to make it"
        with Image.open(path) as expected:
            share = differing_share(actual, expected.convert("L"))
        if share > TOLERANCE:
            actual.save(tmp_path / path.name)
            failures.append(
                f"{name} (page {number}): {share:.1%} of pixels differ, see {tmp_path / path.name}"
            )
    assert not failures, failures


# The bars, measured in the PDF -------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n``, as PDF's ``cm`` composes (row vectors)."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def filled_rectangles(
    reader: PdfReader,
    stream,
    resources,
    ctm: Matrix = IDENTITY,  # type: ignore[no-untyped-def]
) -> list[tuple[tuple[float, ...], float, float]]:
    """(fill colour, width, height) in points of every rectangle filled on the page, form
    XObjects included, following the graphics state's transformation."""
    found: list[tuple[tuple[float, ...], float, float]] = []
    fill: tuple[float, ...] = (0.0, 0.0, 0.0)
    saved: list[tuple[Matrix, tuple[float, ...]]] = []
    path: list[tuple[float, float]] = []
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"q":
            saved.append((ctm, fill))
        elif operator == b"Q":
            ctm, fill = saved.pop()
        elif operator == b"cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"rg":
            fill = tuple(float(v) for v in operands)
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            (x0, y0), (x1, y1) = (apply(ctm, x, y), apply(ctm, x + w, y + h))
            path.append((abs(x1 - x0), abs(y1 - y0)))  # the chart is never rotated
        elif operator in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            found.extend((fill, w, h) for w, h in path)
            path = []
        elif operator in (b"n", b"S", b"s"):
            path = []
        elif operator == b"Do":
            xobject = resources["/XObject"][operands[0]].get_object()
            if xobject.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                inner = xobject.get("/Resources", resources)
                found += filled_rectangles(
                    reader,
                    xobject,
                    inner.get_object(),
                    multiply(matrix, ctm),  # type: ignore[arg-type]
                )
    return found


def rgb(colour: str) -> tuple[float, ...]:
    digits = colour.lstrip("#")
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def chart_page(content: bytes) -> tuple[int, float]:
    """The page the chart is on and its drawn width in points, from its Figure tag."""
    reader = PdfReader(io.BytesIO(content))
    _, elements = structure(content)
    figure = next(e for e in elements if tag(e) == "Figure")
    page_id = figure.raw_get("/Pg").idnum
    number = next(i for i, p in enumerate(reader.pages) if p.indirect_reference.idnum == page_id)
    x1, _, x2, _ = (float(v) for v in figure["/A"]["/BBox"])
    # The BBox is in CSS pixels; the page's content is drawn at 0.75 points per pixel.
    ctm = next(
        tuple(float(v) for v in ops)
        for ops, op in ContentStream(reader.pages[number].get_contents(), reader).operations
        if op == b"cm" and float(ops[0]) != 1
    )
    return number, (x2 - x1) * ctm[0]


@pytest.mark.parametrize(("domains", "levels"), [(3, 5), (4, 4), (7, 6)])
def test_each_bar_is_drawn_as_high_as_its_level(domains, levels):
    framework: Framework = (
        frameworks.current()
        if (domains, levels) == (3, 5)
        else factories.framework(domains=domains, levels=levels)
    )
    keys = [d.key for d in framework.domains]
    body = factories.organisation(name=f"Bars {domains} by {levels}")
    for step, period in enumerate(("2016", "2017", "2018")):
        factories.assessment(
            of=body,
            period=period,
            framework=framework,
            levels={key: 1 + (step + i) % levels for i, key in enumerate(keys)},
            ambition=dict.fromkeys(keys, levels),
        )
    progress = assessments.progress(organisation=body, framework=framework)
    lay = chart.layout(progress)
    bars = [bar for bar in lay.bars if not bar.is_ambition and bar.level > 0]
    assert len(bars) == 3 * domains

    # In the SVG: one <rect> per bar, exactly its laid-out box, level times the level height.
    svg = ElementTree.fromstring(chart.render_svg(progress))
    rects = [
        (float(r.get("x", 0)), float(r.get("y", 0)), float(r.get("height", 0)))
        for r in svg.iter("{http://www.w3.org/2000/svg}rect")
    ]
    for bar in bars:
        assert bar.height == pytest.approx(bar.level * lay.level_height, abs=0.02)
        assert any(
            abs(x - bar.x) < 0.01 and abs(y - bar.y) < 0.01 and abs(h - bar.height) < 0.01
            for x, y, h in rects
        ), bar

    # In the PDF: a filled rectangle of the bar's colour, the same height scaled to the page.
    content = pdf.organisation_report(
        organisation=body, first=None, last=None, framework=framework, generated_on=DAY
    ).content
    reader = PdfReader(io.BytesIO(content))
    number, drawn_width = chart_page(content)
    reader_page = reader.pages[number]
    resources = reader_page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    drawn = filled_rectangles(reader, reader_page.get_contents(), resources)
    scale = drawn_width / lay.width
    one_level = lay.level_height * scale
    for bar in bars:
        colour = rgb(bar.fill)
        heights = [
            h
            for fill, w, h in drawn
            if all(abs(a - b) < 0.003 for a, b in zip(fill, colour, strict=True))
            and abs(w - bar.width * scale) < 0.5
        ]
        assert any(abs(h - bar.level * one_level) < 0.5 for h in heights), (bar, heights)
