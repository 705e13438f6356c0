"""Reading the audit trail: newest first, filtered, a page at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, lazyload

from maturity.extensions import db
from maturity.models import AuditEvent, Organisation, User

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    action: str = ""
    person: str = ""
    organisation_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return any((self.action, self.person, self.organisation_id, self.date_from, self.date_to))


@dataclass(frozen=True)
class Page:
    events: list[AuditEvent]
    number: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_shown(self) -> int:
        return min(self.total, self.number * self.per_page)


_actor = aliased(User, name="actor")


def page(*, filters: Filters, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of events: a count, then one query that brings who and which organisation."""
    total = db.session.scalar(_filtered(select(func.count(AuditEvent.id)), filters)) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    query = _filtered(
        select(AuditEvent).outerjoin(Organisation, AuditEvent.organisation_id == Organisation.id),
        filters,
    ).options(
        contains_eager(AuditEvent.actor.of_type(_actor)),
        # Roles are not shown here; left unloaded they cost no further query.
        lazyload(AuditEvent.actor.of_type(_actor), _actor.roles),
        contains_eager(AuditEvent.organisation),
    )
    query = (
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    events = list(db.session.scalars(query).unique())
    return Page(events=events, number=number, total=total, per_page=per_page)


def actions() -> list[str]:
    """Every action the trail holds, for the filter's list."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by("action")))


def compact(details: dict[str, Any] | None, *, limit: int = 120) -> str:
    """Details on one line: ``role: viewer, previous: assessor``, cut short if long."""
    text = ", ".join(f"{key}: {_plain(value)}" for key, value in (details or {}).items())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    query = query.select_from(AuditEvent).outerjoin(_actor, AuditEvent.actor_id == _actor.id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.person:
        # LIKE wildcards typed into the box are searched for, not obeyed.
        needle = filters.person.strip().lower()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(_actor.email).like(pattern, escape="\\"),
                func.lower(AuditEvent.subject).like(pattern, escape="\\"),
            )
        )
    if filters.organisation_id:
        query = query.where(AuditEvent.organisation_id == filters.organisation_id)
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(filters.date_from, time()))
    if filters.date_to and filters.date_to < date.max:
        # The whole of the last day counts.
        end = datetime.combine(filters.date_to + timedelta(days=1), time())
        query = query.where(AuditEvent.occurred_at < end)
    return query
