"""Errors the data layer raises for a person to read, tied to the form field they concern."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class ConflictError(DomainError):
    """Someone else saved the same thing since this person loaded it."""


class LockedError(DomainError):
    """The assessment is no longer a draft and cannot be changed."""


class NotIndependent(DomainError):
    """Separation of duties: the person edited or submitted the assessment, so someone else
    must moderate and approve it (maturity/data/duties.py)."""
