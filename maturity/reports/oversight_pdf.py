"""The oversight view as a PDF: an overview page (the table, the distribution, the moves
since the previous period), then one Figure 8 page per body.

Rendered through :func:`maturity.reports.pdf.to_pdf`, the only place WeasyPrint is used,
by the report workers. Each body's chart is built from the levels already loaded, so the
queries stay constant.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from markupsafe import Markup

from maturity.domain import chart
from maturity.domain.portfolio import PALETTE, Levels, Portfolio
from maturity.domain.progress import Progress
from maturity.models import Framework
from maturity.reports.organisation_content import long_date
from maturity.reports.pdf import PreparedReport, Report, css_string, definitions, to_pdf, today

TEMPLATE = "oversight/report.html"


def oversight_report(
    *,
    title: str,
    slug: str,
    framework: Framework,
    portfolio: Portfolio,
    data: Levels,
    day: date | None = None,
) -> Report:
    prepared = prepare_oversight_report(
        title=title, slug=slug, framework=framework, portfolio=portfolio, data=data, day=day
    )
    return Report(content=to_pdf(prepared.html), filename=prepared.filename)


def prepare_oversight_report(
    *,
    title: str,
    slug: str,
    framework: Framework,
    portfolio: Portfolio,
    data: Levels,
    day: date | None = None,
) -> PreparedReport:
    """The HTML and file name of the oversight PDF, dated ``day`` (today in London when
    None): the same data and day give the same bytes."""
    day = day or today()
    pages: list[tuple[str, Progress, Markup]] = []
    for row in portfolio.rows:
        progress = data.progress(
            body_id=row.body.id,
            title=framework.figure_title,
            levels=portfolio.levels,
            domains=portfolio.domains,
        )
        pages.append((row.body.name, progress, Markup(chart.render_svg(progress))))
    html = render_template(
        TEMPLATE,
        title=title,
        framework=framework,
        portfolio=portfolio,
        pages=pages,
        palette=PALETTE,
        definitions=definitions(framework),
        generated_on=long_date(day),
        generated_at=day.isoformat(),
        running_organisation=Markup(css_string(title)),
        running_title=Markup(css_string(f"Oversight, {portfolio.period or 'no period'}")),
    )
    name = f"oversight-{slug}-{portfolio.period or 'no-period'}.pdf"
    return PreparedReport(html=html, filename=name)
