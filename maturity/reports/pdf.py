"""An organisation's Figure 8 as a PDF: data → HTML → bytes.

This is the only module that uses WeasyPrint, and it imports it only in the bytes step
(``to_pdf``): web servers build the HTML (which names the PDF in the cache) and hand the
rendering to the report workers, so WeasyPrint is never loaded in a web request.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask import render_template
from markupsafe import Markup

from maturity import ROOT
from maturity.data import assessments, frameworks, report_content
from maturity.domain import chart
from maturity.domain.errors import DomainError
from maturity.domain.headline import chosen_range, headline
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.progress import Progress
from maturity.models import Framework, Organisation
from maturity.reports import cache, collector, organisation_content

if TYPE_CHECKING:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

TEMPLATE = "reports/organisation.html"
DRAFT_WATERMARK = "DRAFT"
WATERMARK_COLOUR = "#e5e6e7"
# The stylesheet asks for these (see organisation_print.css). Anything else means fontconfig fell
# back to whatever was installed, and the printed report would not look as designed.
FONT_FAMILIES = ("Arial", "Helvetica", "Liberation Sans")
# The service's readers are in the UK: the date printed must be theirs, not the server's
# (and the sign-off's dates too: see organisation_content).
LOCAL_TIME = organisation_content.LOCAL_TIME
PDF_VARIANT = "pdf/ua-1"
# Relative references in the template resolve beside it, never against the web's static/.
TEMPLATE_FOLDER = ROOT / "templates" / "reports"
BASE_URL = TEMPLATE_FOLDER.as_uri() + "/"
# How the report templates link a stylesheet beside them (see _split_linked_stylesheets).
LINKED_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([\w-]+\.css)">')


class ReportError(RuntimeError):
    """The report could not be produced as designed; better no PDF than a wrong one."""


@dataclass(frozen=True)
class Report:
    content: bytes
    filename: str

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.content)


@dataclass(frozen=True)
class PreparedReport:
    """A report's HTML and file name: everything but the rendering, which is the costly
    step, and which the HTML names in the cache (see ``cached``)."""

    html: str
    filename: str


@dataclass(frozen=True)
class DefinitionRow:
    number: int
    name: str
    descriptors: tuple[str, ...]  # one per domain, in the framework's order


def organisation_report(
    *,
    organisation: Organisation,
    first: str | None,
    last: str | None,
    framework: Framework | None = None,
    generated_on: date | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """The report ``prepare_organisation_report`` prepares, rendered here (or read from the
    cache): for the command line and the report workers, never a web request. A missing
    asset or font raises ReportError."""
    prepared = prepare_organisation_report(
        organisation=organisation,
        first=first,
        last=last,
        framework=framework,
        generated_on=generated_on,
        generated_at=generated_at,
    )
    return Report(content=to_pdf(prepared.html), filename=prepared.filename)


def today() -> date:
    """The day a report printed now is dated: the service's readers are in the UK."""
    return datetime.now(LOCAL_TIME).date()


def prepare_organisation_report(
    *,
    organisation: Organisation,
    first: str | None,
    last: str | None,
    framework: Framework | None = None,
    generated_on: date | None = None,
    generated_at: datetime | None = None,
) -> PreparedReport:
    """The HTML of the organisation's submitted and approved assessments from ``first`` to
    ``last`` (either may be None: no bound), on ``framework`` (the current NAO framework
    when None), and the name of its file. A bad period raises DomainError (field "from" or
    "to").

    The date printed is ``generated_on`` (or the day of ``generated_at``; today in London
    when neither is given). Nothing else varies between renders, so the same data and day
    give the same bytes (see ``render_html``).

    Levels are the approver's moderated ones where set; the report says so (see
    ``Progress.moderated``), and it is watermarked as a draft while any period shown is
    submitted but not yet approved."""
    low, high = check_periods(first, last)
    framework = framework or frameworks.current()
    progress = assessments.progress(
        organisation=organisation,
        framework=framework,
        first=low.label if low else None,
        last=high.label if high else None,
    )
    records = report_content.charted(
        organisation=organisation, framework=framework, first=low, last=high
    )
    if generated_on is None:
        generated_on = (generated_at or datetime.now(LOCAL_TIME)).astimezone(LOCAL_TIME).date()
    # An empty range of a body assessed in other periods must not read "none yet".
    assessed_outside = bool(
        not progress.periods
        and (low or high)
        and assessments.progress(organisation=organisation, framework=framework).periods
    )
    html = render_html(
        organisation=organisation,
        framework=framework,
        progress=progress,
        records=records,
        day=generated_on,
        first=low.label if low else None,
        last=high.label if high else None,
        assessed_outside=assessed_outside,
    )
    return PreparedReport(html=html, filename=filename(organisation.slug, progress))


def check_periods(first: str | None, last: str | None) -> tuple[Period | None, Period | None]:
    """The periods a report is asked to run from and to (None: no bound); a period that is
    not one, or a last before the first, raises DomainError (field "from" or "to")."""
    low, high = _period(first, field="from"), _period(last, field="to")
    if low and high and low > high:
        raise DomainError(
            f"The last period ({high}) must be the same as or after the first ({low})",
            field="to",
        )
    return low, high


def _period(text: str | None, *, field: str) -> Period | None:
    if text is None or not text.strip():
        return None
    try:
        return Period.parse(text)
    except InvalidPeriod as exc:
        which = "first" if field == "from" else "last"
        message = f"The {which} period ({text.strip()!r}) is not valid. {exc}."
        raise DomainError(message, field=field) from exc


def filename(slug: str, progress: Progress) -> str:
    periods = progress.periods
    if not periods:
        return f"maturity-{slug}.pdf"
    if len(periods) == 1:
        return f"maturity-{slug}-{periods[0]}.pdf"
    return f"maturity-{slug}-{periods[0]}-to-{periods[-1]}.pdf"


def definitions(framework: Framework) -> tuple[DefinitionRow, ...]:
    """The matrix as rows of levels, so the template only has to lay it out."""
    texts = {
        (domain.key, descriptor.level_number): descriptor.text
        for domain in framework.domains
        for descriptor in domain.descriptors
    }
    return tuple(
        DefinitionRow(
            level.number,
            level.name,
            tuple(texts.get((domain.key, level.number), "") for domain in framework.domains),
        )
        for level in framework.levels
    )


def css_string(text: str) -> str:
    """A CSS string literal. ``<`` is escaped too, so a name can never close the <style>."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r\f' or ord(c) < 0x20 else c for c in text)
    return f'"{escaped}"'


def render_html(
    *,
    organisation: Organisation,
    framework: Framework,
    progress: Progress,
    records: list[report_content.AssessmentRecord],
    day: date,
    first: str | None = None,
    last: str | None = None,
    assessed_outside: bool = False,
) -> str:
    """``first`` and ``last`` are the chosen bounds (None: open); ``assessed_outside`` says
    the body has submitted assessments outside them (see ``headline``)."""
    # The actions' status is the one on the date printed: the same day, the same bytes.
    content = organisation_content.build(progress=progress, records=records, day=day)
    return render_template(
        TEMPLATE,
        organisation=organisation,
        framework=framework,
        progress=progress,
        content=content,
        headline=headline(
            organisation.name,
            progress,
            first=first,
            last=last,
            assessed_outside=assessed_outside,
        ),
        # Said instead of "none yet" wherever the report would otherwise be empty.
        empty_range=chosen_range(first, last) if assessed_outside else None,
        chart_src=svg_data_url(chart.render_svg(progress)),
        # The figure's alternative text is its full description, not just its title: a
        # screen reader then hears every level, as a sighted reader sees every bar.
        chart_alt=f"{progress.title}. {chart.describe(progress)}",
        definitions=definitions(framework),
        generated_on=organisation_content.long_date(day),
        # The day, not the moment of rendering: same data and day, same bytes (WeasyPrint
        # writes it as the PDF's creation and modification dates; a W3C date needs no zone).
        generated_at=day.isoformat(),
        running_organisation=Markup(css_string(organisation.name)),
        running_title=Markup(css_string(framework.figure_title)),
        draft_watermark=DRAFT_WATERMARK,
        watermark=Markup(css_string(svg_data_url(watermark_svg()))) if content.is_draft else None,
    )


def svg_data_url(svg: str) -> str:
    """The SVG as an image address: drawn exactly as inline, tagged with the img's alt."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def watermark_svg() -> str:
    """ "DRAFT" across the page, in a grey light enough that text over it keeps WCAG AA
    contrast (#0b0c0c on #e5e6e7 is over 15:1; the muted #505a5f over 5.5:1)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297" '
        'width="210mm" height="297mm">'
        f'<text x="105" y="160" transform="rotate(-45 105 148.5)" text-anchor="middle" '
        f'font-family="Arial, Helvetica, sans-serif" font-weight="bold" font-size="46" '
        f'fill="{WATERMARK_COLOUR}">{DRAFT_WATERMARK}</text></svg>'
    )


@functools.cache
def _strict_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class StrictFetcher(URLFetcher):
        """Local files and data: URLs only (a report never reaches out to the network), and
        any failure stops the rendering instead of leaving a hole in the page."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    return StrictFetcher


def _describe_links(document: weasyprint.Document, _pdf: object) -> None:
    """PDF/UA wants each link annotation described (/Contents); WeasyPrint writes the
    target's id there ("domain-1"), which a screen reader would read out. The link's own
    text (the heading it leads to) says where it goes. Called by write_pdf after the
    annotations are made and before they are written."""
    import pydyf

    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            element = getattr(box, "element", None)
            if annotation is None or element is None or "Contents" not in annotation:
                continue
            text = " ".join("".join(element.itertext()).split())
            if text:
                annotation["Contents"] = pydyf.String(text)


# What a render can take over from the renders before it in the same thread: the fonts
# (making a FontConfiguration and looking fonts up again cost every render) and the parsed
# linked stylesheets. Per thread, not per process: Pango's font map is not thread-safe, and
# tests render in a worker thread beside the server.
_per_thread = threading.local()


def _font_config() -> FontConfiguration:
    config: FontConfiguration | None = getattr(_per_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _per_thread.font_config = FontConfiguration()
    return config


def _parsed_stylesheet(name: str, fetcher: object) -> weasyprint.CSS:
    """The stylesheet ``name`` beside the templates, parsed once per thread and again only
    when its text changes, so an edited file is never rendered stale."""
    import weasyprint

    try:
        text = (TEMPLATE_FOLDER / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"A file the report needs could not be read: {name}: {exc}") from exc
    parsed: dict[str, tuple[str, weasyprint.CSS]] = _per_thread.__dict__.setdefault(
        "stylesheets", {}
    )
    if name not in parsed or parsed[name][0] != text:
        sheet = weasyprint.CSS(
            string=text, base_url=BASE_URL, url_fetcher=fetcher, font_config=_font_config()
        )
        parsed[name] = (text, sheet)
    return parsed[name][1]


def _split_linked_stylesheets(html: str) -> tuple[str, list[str]]:
    """The HTML without its links to stylesheets beside the templates, and their names.

    Only the head is searched: people's words in the body are escaped, but a link there is
    never a stylesheet of ours. WeasyPrint applies the parsed sheets as user stylesheets,
    below author styles: the report's are its @page rules, which they never contradict,
    and the colours in style attributes, which win either way."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html, []
    head = html[:head_end]
    names = LINKED_STYLESHEET.findall(head)
    return LINKED_STYLESHEET.sub("", head) + html[head_end:], names


# A repeat of the same HTML (and assets) is a file read: see maturity/reports/cache.py.
@cache.cached(variant=PDF_VARIANT)
def to_pdf(html: str) -> bytes:
    # Here and nowhere else: importing WeasyPrint costs a web server memory and start-up
    # time for nothing, since web requests never render.
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    try:
        fetcher = _strict_fetcher_class()()
        html, linked = _split_linked_stylesheets(html)
        stylesheets = [_parsed_stylesheet(name, fetcher) for name in linked]
        with collector.paused():
            source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            document = source.render(
                pdf_variant=PDF_VARIANT, font_config=_font_config(), stylesheets=stylesheets
            )
            content = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_describe_links)
            families = {font.family for font in document.fonts.values()}
            # Unreferenced before the collector resumes, so that its one pass frees them.
            del source, document
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: turned into an ordinary error so that the web
        # server answers 500 and logs it, rather than the worker dying.
        raise ReportError(f"A file the report needs could not be read: {exc}") from exc
    if not families & set(FONT_FAMILIES):
        raise ReportError(
            f"None of the report's fonts ({', '.join(FONT_FAMILIES)}) is installed; "
            f"found only {', '.join(sorted(families)) or 'none'}. "
            "Install fonts-liberation2 (or Arial)."
        )
    return content
