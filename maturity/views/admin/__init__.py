"""The administration area: organisations, people and their roles, and the audit trail.

Only administrators know it exists: anyone else, signed in or not, gets 404 for every
address under /admin, whatever the method.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import users
from maturity.domain.errors import NotFound
from maturity.extensions import csrf
from maturity.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")
# The app-wide CSRF check would run before ours and answer 400, telling a non-administrator
# the address exists; the gate below checks who it is first, then the token.
csrf.exempt(bp)


@bp.before_app_request
def _administrators_only() -> None:
    # App-wide and by path, so that even an unknown method or address under /admin is a
    # 404 rather than a 405 that would give the area away.
    if request.path != bp.url_prefix and not request.path.startswith(f"{bp.url_prefix}/"):
        return
    if not current_user.is_authenticated or not getattr(current_user, "is_admin", False):
        abort(404)


@bp.before_request
def _check_csrf() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def remote_address() -> str | None:
    return request.remote_addr


def person_or_404(user_id: int) -> User:
    try:
        return users.get(user_id=user_id)
    except NotFound:
        abort(404)


@bp.get("")
def index() -> ResponseReturnValue:
    return render_template("admin/index.html")


from maturity.views import admin_frameworks  # noqa: E402
from maturity.views.admin import accounts, audit, links, organisations, people  # noqa: E402

__all__ = ["accounts", "admin_frameworks", "audit", "bp", "links", "organisations", "people"]
