"""The PDF report of an organisation's progress."""

from __future__ import annotations

from flask import Blueprint, render_template, request, send_file
from flask.typing import ResponseReturnValue

from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.reports import pdf
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import chosen_framework

bp = Blueprint("reports", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@bp.get("/<slug>/report.pdf")
def organisation_pdf(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    try:
        report = pdf.organisation_report(
            organisation=organisation,
            first=request.args.get("from"),
            last=request.args.get("to"),
            framework=chosen_framework(organisation).framework,
        )
    except DomainError as error:
        # The periods come from the address, not a form: the message is the page's heading.
        return render_template("errors/error.html", code=400, title=error.message), 400
    return send_file(
        report.stream(),
        mimetype="application/pdf",
        download_name=report.filename,
        as_attachment=True,
    )
