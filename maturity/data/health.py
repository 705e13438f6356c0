"""Whether the database answers, for /healthz."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from maturity.extensions import db


def database_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True
