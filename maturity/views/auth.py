"""Helpers every signed-in view shares: requiring sign-in and a role in the organisation."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import organisations
from maturity.domain.errors import NotFound
from maturity.domain.roles import MembershipRole, at_least
from maturity.models import Organisation


def require_sign_in() -> ResponseReturnValue | None:
    """A blueprint ``before_request`` hook: anyone not signed in is sent to sign in."""
    if not current_user.is_authenticated:
        return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
    return None


def organisation_for(slug: str, *, needs: MembershipRole) -> tuple[Organisation, MembershipRole]:
    """The organisation if this person holds at least ``needs`` there.

    Without any role the organisation does not exist for them (404), so its name never leaks;
    with a lesser role they are refused (403).
    """
    try:
        organisation = organisations.find(reference=slug)
    except NotFound:
        abort(404)
    if organisation.slug != slug:
        abort(404)
    role = organisations.role_of(user=current_user, organisation=organisation)
    if role is None:
        abort(404)
    if not at_least(role, needs):
        abort(403)
    return organisation, role
