"""Frameworks in the database (installed by the migrations from the shipped data files)."""

from __future__ import annotations

from sqlalchemy import select

from maturity.domain.errors import NotFound
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY
from maturity.models import Framework


def current(*, key: str = DEFAULT_FRAMEWORK_KEY) -> Framework:
    framework = db.session.scalar(
        select(Framework).where(Framework.key == key).order_by(Framework.version.desc()).limit(1)
    )
    if framework is None:
        raise NotFound(f"The framework {key!r} is not installed: run `flask db upgrade`")
    return framework
