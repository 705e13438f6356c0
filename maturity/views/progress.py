"""One organisation over the years: its progress over chosen periods, and two periods compared."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from maturity.data import assessments, framework_choice
from maturity.domain import chart, comparison, narrative, wording
from maturity.domain.roles import MembershipRole
from maturity.models import Framework, Organisation
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import chosen_framework

bp = Blueprint("progress", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)


def _error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{field}"} for field, message in errors.items()]


def _wording(
    organisation: Organisation, framework: Framework, periods: tuple[str, ...]
) -> list[wording.WordingChange]:
    """Where the framework's words changed from one shown period to the next."""
    versions = framework_choice.versions_by_period(organisation=organisation, framework=framework)
    shown = [(p, framework_choice.words(versions[p])) for p in periods if p in versions]
    return wording.along(shown)


@bp.get("/<slug>/progress")
def show(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework_chosen = chosen_framework(organisation)
    framework = framework_chosen.framework
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
    } | framework_chosen.query
    return render_template(
        "progress/show.html",
        organisation=organisation,
        framework=framework,
        framework_choice=framework_chosen,
        wording_changes=_wording(organisation, framework, shown.periods),
        periods=everything.periods,
        progress=shown,
        choice=choice,
        chosen={"from": request.args.get("from", ""), "to": request.args.get("to", "")},
        rows=comparison.rows(shown),
        summary=narrative.summary(shown),
        chart_svg=Markup(chart.render_svg(shown)),
        error_list=_error_list(choice.errors),
        pdf_url=url_for("reports.organisation_pdf", slug=organisation.slug, **chosen_range),
        # The figure downloads ask for the same periods and framework as the PDF.
        chosen_range=chosen_range,
    ), (400 if choice.errors else 200)


@bp.get("/<slug>/compare")
def compare(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework_chosen = chosen_framework(organisation)
    framework = framework_chosen.framework
    progress = assessments.progress(organisation=organisation, framework=framework)
    choice = comparison.choose_pair(progress.periods, request.args.get("a"), request.args.get("b"))
    compared: list[comparison.Compared] = []
    changes: list[wording.WordingChange] = []
    if choice.first is not None and choice.last is not None:
        notes = assessments.notes(organisation=organisation, framework=framework)
        compared = comparison.compare(progress, choice.first, choice.last, notes)
        changes = _wording(organisation, framework, (choice.first, choice.last))
    return render_template(
        "progress/compare.html",
        organisation=organisation,
        framework=framework,
        progress=progress,
        choice=choice,
        chosen={"a": request.args.get("a", ""), "b": request.args.get("b", "")},
        compared=compared,
        framework_choice=framework_chosen,
        wording_changes=changes,
        error_list=_error_list(choice.errors),
    ), (400 if choice.errors else 200)


# The organisation's page shows the same summary under its chart.
bp.add_app_template_global(narrative.summary, "progress_summary")
