from flask import Blueprint
from flask.typing import ResponseReturnValue

from maturity.data.health import database_reachable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    if not database_reachable():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "reachable"}, 200
