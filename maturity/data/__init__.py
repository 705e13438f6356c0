"""The data-access layer: every database read and write goes through these modules.

Functions take keyword arguments, raise :mod:`maturity.domain.errors` for a person to read,
and commit only through :func:`commit`.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from maturity.data import report_triggers
from maturity.domain.errors import ConflictError, DomainError
from maturity.extensions import db


def commit(*, on_integrity_error: DomainError | None = None) -> None:
    """The one place changes are committed; database errors come back as domain errors.
    Once committed, the reports the change touched are queued to be rendered again
    (maturity/data/report_triggers.py)."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        if on_integrity_error is not None:
            raise on_integrity_error from exc
        raise
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError(
            "Someone else saved a change to this since you opened it. "
            "Your change has not been saved: reload the page to see theirs."
        ) from exc
    report_triggers.run_listeners(db.session())
