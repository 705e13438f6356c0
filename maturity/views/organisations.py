"""An organisation's page: Figure 8 of its progress, the numbers beneath, its assessments."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from maturity.data import assessments, frameworks, oversight
from maturity.domain import chart
from maturity.domain.roles import MembershipRole, at_least
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    organisation, role = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = frameworks.current()
    progress = assessments.progress(organisation=organisation, framework=framework)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        framework=framework,
        progress=progress,
        chart_svg=Markup(chart.render_svg(progress)),
        assessments=assessments.for_organisation(organisation=organisation),
        can_assess=at_least(role, MembershipRole.ASSESSOR),
        can_approve=at_least(role, MembershipRole.APPROVER),
        oversees=oversight.has_overseen(organisation=organisation),
    )
