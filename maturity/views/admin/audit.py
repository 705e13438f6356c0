"""The audit trail, newest first, filtered by what the query string asks for."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import audit_log, organisations
from maturity.forms.admin import NO_ORGANISATION, AuditFilterForm, organisation_choices
from maturity.views.admin import bp

FILTER_FIELDS = (
    "action",
    "person",
    "organisation",
    "from_day",
    "from_month",
    "from_year",
    "to_day",
    "to_month",
    "to_year",
)


@bp.get("/audit")
def audit_trail() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "Any action"), *((a, a) for a in audit_log.actions())]
    everyone = organisations.visible_to(user=current_user)
    form.organisation.choices = organisation_choices(everyone, none_label="Any organisation")
    # A filter that does not make sense is ignored and explained, never a failure.
    form.validate()
    date_from, date_to = form.date("from"), form.date("to")
    if date_from and date_to and date_from > date_to:
        form.date_errors["to"] = "Date to must be the same as or after date from"
        date_to = None
    filters = audit_log.Filters(
        action=form.action.data if not form.action.errors else "",
        person="" if form.person.errors else (form.person.data or "").strip(),
        organisation_id=None
        if form.organisation.errors or form.organisation.data == NO_ORGANISATION
        else form.organisation.data,
        date_from=date_from,
        date_to=date_to,
    )
    found = audit_log.page(filters=filters, number=request.args.get("page", 1, type=int))
    problems = [
        {"text": messages[0], "href": f"#{name}"}
        for name, messages in form.errors.items()
        if messages
    ] + [{"text": text, "href": f"#{which}_day"} for which, text in form.date_errors.items()]
    return render_template(
        "admin/audit.html",
        form=form,
        filters=filters,
        found=found,
        pagination=_pagination(found),
        compact=audit_log.compact,
        error_list=problems,
    )


def _pagination(found: audit_log.Page) -> dict[str, Any] | None:
    """The GOV.UK pagination component's parameters: first, last, and pages near this one."""
    if found.pages == 1:
        return None
    kept: dict[str, Any] = {k: v for k, v in request.args.items() if k in FILTER_FIELDS and v}

    def href(number: int) -> str:
        return url_for(".audit_trail", **{**kept, "page": number})

    items: list[dict[str, Any]] = []
    for number in range(1, found.pages + 1):
        if number in (1, found.pages) or abs(number - found.number) <= 1:
            items.append(
                {"number": number, "href": href(number), "current": number == found.number}
            )
        elif items and not items[-1].get("ellipsis"):
            items.append({"ellipsis": True})
    return {
        "previous": {"href": href(found.number - 1)} if found.number > 1 else None,
        "next": {"href": href(found.number + 1)} if found.number < found.pages else None,
        "items": items,
    }
