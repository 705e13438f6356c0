"""The oversight view: every body an organisation oversees, side by side for one period.

A person with a role in an organisation may read every body below it; administrators may
read any organisation's, and the full portfolio of every organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import oversight_page as data
from maturity.domain import portfolio as shape
from maturity.domain import portfolio_page as listing
from maturity.domain import portfolio_query
from maturity.domain.errors import NotFound
from maturity.domain.progress import DomainInfo
from maturity.domain.roles import MembershipRole
from maturity.jobs import prerender
from maturity.models import JobKind, Organisation
from maturity.reports import freshness, oversight_tables, pdf
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import FrameworkChoice

bp = Blueprint("oversight", __name__)
bp.before_request(require_sign_in)


@dataclass(frozen=True)
class _Loaded:
    """What the page and the downloads are built from: the framework, the periods, and
    each body's levels in the chosen period and the one before."""

    choice: FrameworkChoice
    periods: tuple[str, ...]
    period: str | None
    previous: str | None
    standings: list[listing.Standing]

    @property
    def shape(self) -> dict[str, Any]:
        framework = self.choice.framework
        return {
            "domains": tuple(DomainInfo(d.key, d.name, d.colour) for d in framework.domains),
            "levels": tuple(level.name for level in framework.levels),
            "period": self.period,
            "previous_period": self.previous,
            "periods": self.periods,
        }


def _load(organisation: Organisation | None) -> _Loaded:
    """In a constant number of queries, whatever the number of bodies and periods. The
    framework is the query's (``?framework=key``), else the default; bodies on another
    are listed as bodies without an assessment on this one."""
    try:
        framework, options, periods = data.framework_and_periods(
            organisation=organisation, key=request.args.get("framework") or None
        )
    except NotFound:
        abort(404)
    chosen = shape.choose_period(request.args.get("period"), periods)
    previous = shape.previous_period(chosen, periods)
    standings = data.standings(
        framework=framework, organisation=organisation, period=chosen, previous=previous
    )
    return _Loaded(FrameworkChoice(framework, options), periods, chosen, previous, standings)


def _organisation(slug: str) -> Organisation:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    return organisation


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(404)


def _linker(
    organisation: Organisation | None, loaded: _Loaded, choice: portfolio_query.Choice
) -> Callable[..., str]:
    """The page's address with its period, framework, search, filter and sort, changed by
    the keyword arguments (None leaves one out): sort headings and page links keep the
    rest of what the person chose."""
    endpoint = "oversight.show" if organisation else "oversight.portfolio"
    kept: dict[str, Any] = {
        "slug": organisation.slug if organisation else None,
        "period": loaded.period,
        **loaded.choice.query,
        **choice.query(),
    }

    def link(**changes: str | int | None) -> str:
        values = {k: v for k, v in (kept | changes).items() if v is not None and v != ""}
        return url_for(endpoint, **values)

    return link


def _page(organisation: Organisation | None) -> ResponseReturnValue:
    loaded = _load(organisation)
    found = loaded.shape
    choice = portfolio_query.choose(request.args, domains=found["domains"], levels=found["levels"])
    page = listing.build_page(loaded.standings, choice=choice, **found)
    return render_template(
        "oversight/show.html",
        organisation=organisation,
        framework=loaded.choice.framework,
        framework_choice=loaded.choice,
        portfolio=page,
        comparisons=portfolio_query.COMPARISONS,
        link=_linker(organisation, loaded, choice),
        has_pdf=True,
        error_list=[{"text": text, "href": f"#{name}"} for name, text in choice.errors.items()],
    ), (400 if choice.errors else 200)


@bp.get("/organisations/<slug>/oversight")
def show(slug: str) -> ResponseReturnValue:
    return _page(_organisation(slug))


@bp.get("/oversight")
def portfolio() -> ResponseReturnValue:
    _admin_only()
    return _page(None)


def _download(organisation: Organisation | None) -> tuple[_Loaded, shape.Portfolio]:
    """Every body, by name, whatever the page's search, filter or sort."""
    loaded = _load(organisation)
    return loaded, listing.portfolio(loaded.standings, **loaded.shape)


def _name(organisation: Organisation | None, portfolio: shape.Portfolio, suffix: str) -> str:
    who = organisation.slug if organisation else "all-organisations"
    return f"oversight-{who}-{portfolio.period or 'no-period'}.{suffix}"


def _csv(organisation: Organisation | None) -> ResponseReturnValue:
    _, portfolio = _download(organisation)
    return send_file(
        oversight_tables.csv_bytes(portfolio),
        mimetype="text/csv",
        download_name=_name(organisation, portfolio, "csv"),
        as_attachment=True,
    )


def _xlsx(organisation: Organisation | None) -> ResponseReturnValue:
    loaded, portfolio = _download(organisation)
    return send_file(
        oversight_tables.xlsx_bytes(portfolio, loaded.choice.framework),
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
    downloads.check_oversight_framework(organisation, parameters.get("framework"))
    source_key = freshness.oversight_key(
        organisation=organisation, parameters=parameters, day=pdf.today()
    )
    return downloads.file_or_wait(
        organisation=organisation,
        kind=JobKind.OVERSIGHT_PDF,
        parameters=parameters,
        source_key=source_key,
    )
