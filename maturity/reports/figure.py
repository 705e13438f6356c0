"""An organisation's Figure 8 on its own, for board papers: the words around the chart, the
SVG file and its PNG.

Both files are drawn here, in the web request that asks for them: the SVG is our own
Python (maturity/domain/chart_document.py), and the PNG is that SVG rasterised by resvg, a
self-contained library (a Rust wheel: no system library, no WeasyPrint) that draws it in a
few tenths of a second. The one-page PDF of the figure is rendered by the report workers
like every PDF (maturity/reports/figure_pdf.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from flask import current_app

from maturity.data import assessments, frameworks
from maturity.domain.chart_document import FigureText, render_document
from maturity.domain.headline import headline
from maturity.domain.progress import Progress
from maturity.models import Framework, Organisation
from maturity.reports.organisation_content import long_date, period_span
from maturity.reports.pdf import check_periods, today

# Twice the chart's 900 units: sharp when printed at the width of a page's text column.
PNG_SCALE = 2
ILLUSTRATIVE = (
    "Illustrative demo data: these levels are made up to show how the service works; the "
    "real levels behind the NAO's Figure 8 are not published."
)


@dataclass(frozen=True)
class Figure:
    """What one organisation's figure shows: the data, and the periods asked for."""

    organisation: Organisation
    framework: Framework
    progress: Progress
    first: str | None  # the chosen bounds as asked for (None: open)
    last: str | None
    assessed_outside: bool  # assessed, but in none of the chosen periods
    day: date

    @property
    def headline(self) -> str:
        """The sentence under the title: the full report's headline, word for word."""
        return headline(
            self.organisation.name,
            self.progress,
            first=self.first,
            last=self.last,
            assessed_outside=self.assessed_outside,
        )

    @property
    def period_span(self) -> str:
        return period_span(self.progress.periods)

    @property
    def label(self) -> str:
        """What the figure is of, in a few words: "Home Office, 2014 to 2018"."""
        name = self.organisation.name
        return f"{name}, {self.period_span}" if self.period_span else name

    @property
    def source(self) -> str:
        service = current_app.config["SERVICE_NAME"]
        return (
            f"Source: {self.organisation.name}'s assessments in {service}, "
            f"generated {long_date(self.day)}."
        )

    @property
    def draft_note(self) -> str | None:
        """Said wherever levels that may still change are shown."""
        pending = [p for p in self.progress.periods if p in self.progress.unapproved]
        if not pending:
            return None
        listed = ", ".join(pending)
        verb = "was" if len(pending) == 1 else "were"
        return (
            f"Draft: {listed} {verb} submitted but not yet approved, so "
            f"{'its levels' if len(pending) == 1 else 'their levels'} may still change."
        )


def figure(
    *,
    organisation: Organisation,
    first: str | None,
    last: str | None,
    framework: Framework | None = None,
    day: date | None = None,
) -> Figure:
    """The figure of the organisation's submitted and approved assessments from ``first``
    to ``last`` (either may be None: no bound), as its full report charts them."""
    low, high = check_periods(first, last)
    framework = framework or frameworks.current()
    progress = assessments.progress(
        organisation=organisation,
        framework=framework,
        first=low.label if low else None,
        last=high.label if high else None,
    )
    assessed_outside = bool(
        not progress.periods
        and (low or high)
        and assessments.progress(organisation=organisation, framework=framework).periods
    )
    return Figure(
        organisation=organisation,
        framework=framework,
        progress=progress,
        first=low.label if low else None,
        last=high.label if high else None,
        assessed_outside=assessed_outside,
        day=day or today(),
    )


def filename(figure: Figure, extension: str) -> str:
    """Like ``figure-8-home-office-2014-to-2018.svg``: named after the NAO's figure it
    stands beside, the organisation and the periods, as the full report's file is."""
    periods = figure.progress.periods
    stem = f"figure-8-{figure.organisation.slug}"
    if len(periods) == 1:
        stem += f"-{periods[0]}"
    elif periods:
        stem += f"-{periods[0]}-to-{periods[-1]}"
    return f"{stem}.{extension}"


def text(figure: Figure) -> FigureText:
    notes = [
        ILLUSTRATIVE if figure.organisation.illustrative else None,
        figure.draft_note,
        figure.source,
    ]
    return FigureText(
        title=figure.framework.figure_title,
        subtitle=figure.headline,
        notes=tuple(note for note in notes if note),
        accessible_title=f"{figure.framework.figure_title}: {figure.label}",
    )


def svg(figure: Figure) -> str:
    """The SVG file: title, headline, the chart as the page draws it, notes and source."""
    return render_document(figure.progress, text(figure))


def png(document: str) -> bytes:
    """The SVG file as a PNG at twice its size, on white, the text in Liberation Sans
    (Arial's metric twin: the widths the chart was laid out for)."""
    return _rasterise(document)


# A repeat of the same drawing (a double click, a colleague, the same day) is not drawn
# again: a few recent PNGs per server process, some 100 KB each.
@functools.lru_cache(maxsize=16)
def _rasterise(document: str) -> bytes:
    import resvg_py

    content = resvg_py.svg_to_bytes(
        svg_string=document,
        zoom=PNG_SCALE,
        background="#ffffff",
        sans_serif_family="Liberation Sans",
    )
    return bytes(content)
