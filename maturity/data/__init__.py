"""The data-access layer: every database read and write goes through these modules.

Functions take keyword arguments, raise :mod:`maturity.domain.errors` for a person to read,
and commit only through :func:`commit`.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from maturity.data import report_triggers
from maturity.domain.errors import ConflictError, DomainError
from maturity.extensions import db

T = TypeVar("T")
# No row has a larger id, and an integer column takes no larger (PostgreSQL refuses it).
LARGEST_ID = 2**31 - 1


def valid_id(value: int) -> bool:
    """Whether an id from an address or a form could name a row at all."""
    return 0 < value <= LARGEST_ID


def by_id(model: type[T], value: int) -> T | None:
    """The row of ``model`` with this id, or None: an id no row could have is not found,
    rather than an error from the database."""
    return db.session.get(model, value) if valid_id(value) else None


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
