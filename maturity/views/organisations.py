"""An organisation's page: Figure 8 of its progress, the numbers beneath, its assessments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from maturity.data import actions, assessments, duties, framework_choice, oversight
from maturity.domain import chart
from maturity.domain.errors import NotFound
from maturity.domain.roles import MembershipRole, at_least
from maturity.models import Framework, Organisation
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


@dataclass(frozen=True)
class FrameworkChoice:
    """The framework a page shows (``?framework=key``) and the others it could switch to."""

    framework: Framework
    options: list[framework_choice.FrameworkOption]

    @property
    def query(self) -> dict[str, Any]:
        """What links from the page add to keep the choice; nothing when there is none."""
        return {"framework": self.framework.key} if len(self.options) > 1 else {}


def chosen_framework(organisation: Organisation, *, key: str | None = None) -> FrameworkChoice:
    """The framework ``key``, else the query's (``?framework=key``), else the organisation's
    most recently used, else the default; a key the organisation has no use of is a 404,
    like any unknown address."""
    try:
        framework, options = framework_choice.framework_to_show(
            organisation=organisation, key=key or request.args.get("framework") or None
        )
    except NotFound:
        abort(404)
    return FrameworkChoice(framework, options)


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    organisation, role = organisation_for(slug, needs=MembershipRole.VIEWER)
    choice = chosen_framework(organisation)
    framework = choice.framework
    progress = assessments.progress(organisation=organisation, framework=framework)
    every = assessments.for_organisation(organisation=organisation)
    can_assess = at_least(role, MembershipRole.ASSESSOR)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        framework=framework,
        choice=choice,
        progress=progress,
        chart_svg=Markup(chart.render_svg(progress)),
        assessments=every,
        current_actions=actions.current(assessments=every, framework=framework),
        # Those who fill in or approve assessments are told when separation of duties could
        # leave nobody to approve; viewers have nothing to do about it.
        approvers=duties.approvers(organisation=organisation) if can_assess else None,
        can_assess=can_assess,
        can_approve=at_least(role, MembershipRole.APPROVER),
        oversees=oversight.has_overseen(organisation=organisation),
    )
