"""The oversight view: every body an organisation oversees, side by side for one period.

A person with a role in an organisation may read every body below it; administrators may
read any organisation's, and the full portfolio of every organisation.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import framework_choice
from maturity.data import oversight as data
from maturity.domain import portfolio as shape
from maturity.domain.errors import NotFound
from maturity.domain.progress import DomainInfo
from maturity.domain.roles import MembershipRole
from maturity.jobs import prerender
from maturity.models import Framework, JobKind, Organisation
from maturity.reports import freshness, oversight_tables, pdf
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import FrameworkChoice

bp = Blueprint("oversight", __name__)
bp.before_request(require_sign_in)


def _framework(
    bodies: list[shape.Body],
) -> tuple[Framework, list[framework_choice.FrameworkOption]]:
    """The framework from the query (``?framework=key``), else the default, and the others
    the bodies have assessed on, to switch to. Bodies on another framework are listed
    with no levels, as bodies that have not assessed on this one."""
    try:
        return framework_choice.frameworks_for_oversight(
            organisation_ids=[body.id for body in bodies],
            key=request.args.get("framework") or None,
        )
    except NotFound:
        abort(404)


def _portfolio(organisation: Organisation | None) -> tuple[FrameworkChoice, shape.Portfolio]:
    """Everything the page and the tables need, in a constant number of queries: the
    chosen period and the one before."""
    bodies = data.overseen(organisation=organisation)
    framework, options = _framework(bodies)
    periods = data.periods(framework=framework, bodies=bodies)
    chosen = shape.choose_period(request.args.get("period"), periods)
    wanted = [p for p in (chosen, shape.previous_period(chosen, periods)) if p]
    levels = data.levels(framework=framework, bodies=bodies, only=wanted)
    portfolio = shape.build(
        bodies=bodies,
        data=levels,
        levels=tuple(level.name for level in framework.levels),
        domains=tuple(DomainInfo(d.key, d.name, d.colour) for d in framework.domains),
        period=chosen,
        sort=request.args.get("sort"),
        periods=periods,
    )
    return FrameworkChoice(framework, options), portfolio


def _organisation(slug: str) -> Organisation:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    return organisation


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(404)


def _page(organisation: Organisation | None) -> ResponseReturnValue:
    choice, portfolio = _portfolio(organisation)
    return render_template(
        "oversight/show.html",
        organisation=organisation,
        framework=choice.framework,
        framework_choice=choice,
        portfolio=portfolio,
        has_pdf=True,
    )


@bp.get("/organisations/<slug>/oversight")
def show(slug: str) -> ResponseReturnValue:
    return _page(_organisation(slug))


@bp.get("/oversight")
def portfolio() -> ResponseReturnValue:
    _admin_only()
    return _page(None)


def _name(organisation: Organisation | None, portfolio: shape.Portfolio, suffix: str) -> str:
    who = organisation.slug if organisation else "all-organisations"
    return f"oversight-{who}-{portfolio.period or 'no-period'}.{suffix}"


def _csv(organisation: Organisation | None) -> ResponseReturnValue:
    _, portfolio = _portfolio(organisation)
    return send_file(
        oversight_tables.csv_bytes(portfolio),
        mimetype="text/csv",
        download_name=_name(organisation, portfolio, "csv"),
        as_attachment=True,
    )


def _xlsx(organisation: Organisation | None) -> ResponseReturnValue:
    choice, portfolio = _portfolio(organisation)
    return send_file(
        oversight_tables.xlsx_bytes(portfolio, choice.framework),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        download_name=_name(organisation, portfolio, "xlsx"),
        as_attachment=True,
    )


@bp.get("/organisations/<slug>/oversight.csv")
def show_csv(slug: str) -> ResponseReturnValue:
    return _csv(_organisation(slug))


@bp.get("/organisations/<slug>/oversight.xlsx")
def show_xlsx(slug: str) -> ResponseReturnValue:
    return _xlsx(_organisation(slug))


@bp.get("/organisations/<slug>/oversight.pdf")
def show_pdf(slug: str) -> ResponseReturnValue:
    """The PDF of every body's Figure 8: the file if a worker has built it from the bodies
    as they are now (maturity/reports/freshness.py), else a worker builds it while the
    person sees it being prepared. Never rendered here: it can be hundreds of pages."""
    organisation = _organisation(slug)
    parameters = prerender.oversight_parameters(request.args)
    source_key = freshness.oversight_key(
        organisation=organisation, parameters=parameters, day=pdf.today()
    )
    found = downloads.built(
        organisation=organisation, kind=JobKind.OVERSIGHT_PDF, source_key=source_key
    )
    if found is not None:
        return found
    return downloads.wait_for(
        organisation=organisation, kind=JobKind.OVERSIGHT_PDF, parameters=parameters
    )
