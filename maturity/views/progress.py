"""One organisation over the years: its progress over chosen periods, and two periods compared."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from maturity.data import assessments, frameworks
from maturity.domain import chart, comparison, narrative
from maturity.domain.roles import MembershipRole
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("progress", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


def _error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{field}"} for field, message in errors.items()]


@bp.get("/<slug>/progress")
def show(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = frameworks.current()
    everything = assessments.progress(organisation=organisation, framework=framework)
    choice = comparison.choose_range(
        everything.periods, request.args.get("from"), request.args.get("to")
    )
    shown = (
        everything
        if choice.first is None and choice.last is None
        else assessments.progress(
            organisation=organisation, framework=framework, first=choice.first, last=choice.last
        )
    )
    chosen_range: dict[str, Any] = {
        key: value for key, value in (("from", choice.first), ("to", choice.last)) if value
    }
    return render_template(
        "progress/show.html",
        organisation=organisation,
        framework=framework,
        periods=everything.periods,
        progress=shown,
        choice=choice,
        chosen={"from": request.args.get("from", ""), "to": request.args.get("to", "")},
        rows=comparison.rows(shown),
        summary=narrative.summary(shown),
        chart_svg=Markup(chart.render_svg(shown)),
        error_list=_error_list(choice.errors),
        pdf_url=url_for("reports.organisation_pdf", slug=organisation.slug, **chosen_range),
    ), (400 if choice.errors else 200)


@bp.get("/<slug>/compare")
def compare(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = frameworks.current()
    progress = assessments.progress(organisation=organisation, framework=framework)
    choice = comparison.choose_pair(progress.periods, request.args.get("a"), request.args.get("b"))
    compared: list[comparison.Compared] = []
    if choice.first is not None and choice.last is not None:
        notes = assessments.notes(organisation=organisation, framework=framework)
        compared = comparison.compare(progress, choice.first, choice.last, notes)
    return render_template(
        "progress/compare.html",
        organisation=organisation,
        framework=framework,
        progress=progress,
        choice=choice,
        chosen={"a": request.args.get("a", ""), "b": request.args.get("b", "")},
        compared=compared,
        error_list=_error_list(choice.errors),
    ), (400 if choice.errors else 200)


# The organisation's page shows the same summary under its chart.
bp.add_app_template_global(narrative.summary, "progress_summary")
