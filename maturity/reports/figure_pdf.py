"""Figure 8 only, as a one-page PDF: title, headline, the chart, the definitions, notes and
source, as the NAO's Figure 8 stands in its report.

Data → HTML here (cheap, and it names the PDF in the cache); HTML → bytes by
:func:`maturity.reports.pdf.to_pdf`, the only place WeasyPrint is used, in the report
workers (maturity/jobs/build.py) or the command line, never a web request. Tagged PDF/UA
like the full report: the same renderer, variant and fonts.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from markupsafe import Markup

from maturity.domain import chart
from maturity.domain.chart_layout import layout
from maturity.models import Framework, Organisation
from maturity.reports import figure as figures
from maturity.reports import figure_fit
from maturity.reports.organisation_content import long_date
from maturity.reports.pdf import (
    DRAFT_WATERMARK,
    WATERMARK_COLOUR,
    PreparedReport,
    Report,
    css_string,
    definitions,
    svg_data_url,
    to_pdf,
)

TEMPLATE = "reports/figure.html"


def prepare_figure_report(
    *,
    organisation: Organisation,
    first: str | None,
    last: str | None,
    framework: Framework | None = None,
    generated_on: date | None = None,
) -> PreparedReport:
    """The page's HTML and the PDF's file name, for the periods from ``first`` to ``last``
    (either may be None: no bound) on ``framework`` (the current NAO framework when None).
    A bad period raises DomainError (field "from" or "to"), as the full report does."""
    shown = figures.figure(
        organisation=organisation,
        first=first,
        last=last,
        framework=framework,
        day=generated_on,
    )
    return PreparedReport(html=render_html(shown), filename=figures.filename(shown, "pdf"))


def figure_report(
    *,
    organisation: Organisation,
    first: str | None,
    last: str | None,
    framework: Framework | None = None,
    generated_on: date | None = None,
) -> Report:
    """The prepared page rendered (or read from the cache): for the report workers and
    the command line, never a web request."""
    prepared = prepare_figure_report(
        organisation=organisation,
        first=first,
        last=last,
        framework=framework,
        generated_on=generated_on,
    )
    return Report(content=to_pdf(prepared.html), filename=prepared.filename)


def render_html(shown: figures.Figure) -> str:
    framework, progress = shown.framework, shown.progress
    rows = definitions(framework)
    notices = [figures.ILLUSTRATIVE] if shown.organisation.illustrative else []
    if shown.draft_note:
        notices.append(shown.draft_note)
    drawn = layout(progress)
    fit = figure_fit.choose(
        figure_fit.Words(
            title=framework.figure_title,
            subtitle=shown.headline,
            notices=notices,
            domains=[domain.name for domain in framework.domains],
            levels=[f"{row.number} {row.name}" for row in rows],
            descriptors=[row.descriptors for row in rows],
            definitions_title=framework.definitions_title,
            notes=framework.notes,
            source=shown.source,
        ),
        chart_ratio=drawn.height / drawn.width,
    )
    return render_template(
        TEMPLATE,
        shown=shown,
        organisation=shown.organisation,
        framework=framework,
        progress=progress,
        fit=fit,
        margin_mm=figure_fit.MARGIN_MM,
        definitions=rows,
        illustrative=figures.ILLUSTRATIVE if shown.organisation.illustrative else None,
        chart_src=svg_data_url(chart.render_svg(progress)),
        # As in the full report: the Figure tag's alternative text says every bar.
        chart_alt=f"{progress.title}. {chart.describe(progress)}",
        generated_on=long_date(shown.day),
        generated_at=shown.day.isoformat(),
        draft_watermark=DRAFT_WATERMARK,
        watermark=(
            Markup(css_string(svg_data_url(watermark_svg(*fit.page_mm))))
            if shown.draft_note
            else None
        ),
    )


def watermark_svg(width_mm: float, height_mm: float) -> str:
    """ "DRAFT" across a page of either orientation, in the full report's light grey."""
    cx, cy = width_mm / 2, height_mm / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width_mm:g} {height_mm:g}" '
        f'width="{width_mm:g}mm" height="{height_mm:g}mm">'
        f'<text x="{cx:g}" y="{cy + 11.5:g}" transform="rotate(-35 {cx:g} {cy:g})" '
        f'text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-weight="bold" '
        f'font-size="46" fill="{WATERMARK_COLOUR}">{DRAFT_WATERMARK}</text></svg>'
    )
