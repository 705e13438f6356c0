"""An organisation's Figure 8 for board papers: SVG, PNG, and a one-page PDF.

The links sit beside "Download PDF report" on the organisation and progress pages and ask
for what the page shows (``?framework=``, and the periods ``from`` and ``to``). The SVG is
drawn here by our own Python and the PNG rasterised from it by resvg (maturity/reports/
figure.py): neither loads WeasyPrint. The PDF is answered as the full report is
(maturity/views/reports.py): the cached file, else a report worker renders it while the
person sees it being prepared. Whoever may read the organisation may download all three.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue

from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.models import JobKind, Organisation
from maturity.reports import figure as figures
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import chosen_framework

bp = Blueprint("figures", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


def _bad_periods(error: DomainError) -> ResponseReturnValue:
    # The periods come from the address, not a form: the message is the page's heading.
    return render_template("errors/error.html", code=400, title=error.message), 400


def _figure(organisation: Organisation) -> figures.Figure:
    return figures.figure(
        organisation=organisation,
        first=request.args.get("from"),
        last=request.args.get("to"),
        framework=chosen_framework(organisation).framework,
    )


def _attachment(content: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # People's data: never kept by a shared cache or the browser, as the other downloads.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<slug>/figure.svg")
def svg(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    try:
        shown = _figure(organisation)
    except DomainError as error:
        return _bad_periods(error)
    document = figures.svg(shown)
    return _attachment(document, "image/svg+xml", figures.filename(shown, "svg"))


@bp.get("/<slug>/figure.png")
def png(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    try:
        shown = _figure(organisation)
    except DomainError as error:
        return _bad_periods(error)
    content = figures.png(figures.svg(shown))
    return _attachment(content, "image/png", figures.filename(shown, "png"))


@bp.get("/<slug>/figure.pdf")
def one_page_pdf(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    return downloads.organisation_report(organisation, JobKind.FIGURE_PDF)
