"""The PDF report of an organisation's progress, as its pages link to it.

If a worker has rendered the report of the data as it is now (after the data last changed:
maturity/jobs/prerender.py), the download is a file read. Otherwise a worker renders it now,
and the person sees it being prepared (maturity/views/downloads.py); this server never
renders, nor builds the report's HTML.
"""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from maturity.domain.roles import MembershipRole
from maturity.models import JobKind
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("reports", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@bp.get("/<slug>/report.pdf")
def organisation_pdf(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    return downloads.organisation_report(organisation, JobKind.ORGANISATION_PDF)
