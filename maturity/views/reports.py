"""The PDF report of an organisation's progress."""

from __future__ import annotations

from flask import Blueprint, request, send_file
from flask.typing import ResponseReturnValue

from maturity.domain.roles import MembershipRole
from maturity.reports import pdf
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("reports", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@bp.get("/<slug>/report.pdf")
def organisation_pdf(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    report = pdf.organisation_report(
        organisation=organisation, first=request.args.get("from"), last=request.args.get("to")
    )
    return send_file(
        report.stream(),
        mimetype="application/pdf",
        download_name=report.filename,
        as_attachment=True,
    )
