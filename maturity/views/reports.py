"""The PDF report of an organisation's progress, as its pages link to it.

The report's HTML is built here (a few milliseconds) because it names the PDF: if a worker
has rendered that PDF already (after the data last changed: maturity/jobs/prerender.py),
the download is a file read. Otherwise a worker renders it now, and the person sees it
being prepared (maturity/views/downloads.py); this server never renders.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.jobs import prerender
from maturity.models import JobKind
from maturity.reports import pdf
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import chosen_framework

bp = Blueprint("reports", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@bp.get("/<slug>/report.pdf")
def organisation_pdf(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = chosen_framework(organisation).framework
    try:
        prepared = pdf.prepare_organisation_report(
            organisation=organisation,
            first=request.args.get("from"),
            last=request.args.get("to"),
            framework=framework,
        )
    except DomainError as error:
        # The periods come from the address, not a form: the message is the page's heading.
        return render_template("errors/error.html", code=400, title=error.message), 400
    if (content := pdf.cached(prepared)) is not None:
        return downloads.send_pdf(content, prepared.filename)
    source_key = pdf.source_key(prepared)
    found = downloads.built(
        organisation=organisation, kind=JobKind.ORGANISATION_PDF, source_key=source_key
    )
    if found is not None:
        return found
    return downloads.wait_for(
        organisation=organisation,
        kind=JobKind.ORGANISATION_PDF,
        parameters=prerender.organisation_parameters(request.args),
    )
