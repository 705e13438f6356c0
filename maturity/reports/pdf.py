"""An organisation's Figure 8 as a PDF: data → HTML → bytes.

This is the only module that imports WeasyPrint, so the rendering engine can be changed
(or run elsewhere) without touching views or commands.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import weasyprint
from flask import render_template
from markupsafe import Markup
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from maturity import ROOT
from maturity.data import assessments, frameworks
from maturity.domain import chart
from maturity.domain.errors import DomainError
from maturity.domain.headline import headline
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.progress import Progress
from maturity.models import Framework, Organisation

TEMPLATE = "reports/organisation.html"
# The stylesheet asks for these (see organisation.css). Anything else means fontconfig fell
# back to whatever was installed, and the printed report would not look as designed.
FONT_FAMILIES = ("Arial", "Helvetica", "Liberation Sans")
# The service's readers are in the UK: the date printed must be theirs, not the server's.
LOCAL_TIME = ZoneInfo("Europe/London")
PDF_VARIANT = "pdf/ua-1"
# Relative references in the template resolve beside it, never against the web's static/.
BASE_URL = (ROOT / "templates" / "reports").as_uri() + "/"


class ReportError(RuntimeError):
    """The report could not be produced as designed; better no PDF than a wrong one."""


@dataclass(frozen=True)
class Report:
    content: bytes
    filename: str

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.content)


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
    generated_at: datetime | None = None,
) -> Report:
    """The PDF of the organisation's submitted and approved assessments from ``first`` to
    ``last`` (either may be None: no bound). A bad period raises DomainError (field
    "from" or "to"); a missing asset or font raises ReportError.

    Levels are the approver's moderated ones where set; the report says so (see
    ``Progress.moderated``), as it marks periods submitted but not yet approved."""
    low, high = _period(first, field="from"), _period(last, field="to")
    if low and high and low > high:
        raise DomainError(
            f"The last period ({high}) must be the same as or after the first ({low})",
            field="to",
        )
    framework = frameworks.current()
    progress = assessments.progress(
        organisation=organisation,
        framework=framework,
        first=low.label if low else None,
        last=high.label if high else None,
    )
    when = (generated_at or datetime.now(LOCAL_TIME)).astimezone(LOCAL_TIME)
    html = render_html(organisation=organisation, framework=framework, progress=progress, when=when)
    return Report(content=to_pdf(html), filename=filename(organisation.slug, progress))


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
    *, organisation: Organisation, framework: Framework, progress: Progress, when: datetime
) -> str:
    period_span = (
        f"{progress.periods[0]} to {progress.periods[-1]}"
        if len(progress.periods) > 1
        else "".join(progress.periods)
    )
    return render_template(
        TEMPLATE,
        organisation=organisation,
        framework=framework,
        progress=progress,
        headline=headline(organisation.name, progress),
        # The web page's chart, unchanged: one figure, whether on screen or on paper.
        chart_svg=Markup(chart.render_svg(progress)),
        definitions=definitions(framework),
        period_span=period_span,
        generated_on=f"{when.day} {when:%B %Y}",
        generated_at=when.isoformat(timespec="seconds"),
        running_organisation=Markup(css_string(organisation.name)),
        running_title=Markup(css_string(framework.figure_title)),
    )


class _StrictFetcher(URLFetcher):
    """Local files and data: URLs only (a report never reaches out to the network), and
    any failure stops the rendering instead of leaving a hole in the page."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)


def to_pdf(html: str) -> bytes:
    try:
        source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_StrictFetcher())
        document = source.render(pdf_variant=PDF_VARIANT)
        content = document.write_pdf(pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: turned into an ordinary error so that the web
        # server answers 500 and logs it, rather than the worker dying.
        raise ReportError(f"A file the report needs could not be read: {exc}") from exc
    families = {font.family for font in document.fonts.values()}
    if not families & set(FONT_FAMILIES):
        raise ReportError(
            f"None of the report's fonts ({', '.join(FONT_FAMILIES)}) is installed; "
            f"found only {', '.join(sorted(families)) or 'none'}. "
            "Install fonts-liberation2 (or Arial)."
        )
    return content
