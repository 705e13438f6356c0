"""Which organisations' reports a change touches, noticed as the change is written.

Every write goes through the ORM session and is committed by :func:`maturity.data.commit`,
so one listener sees them all: an assessment, a rating, an improvement action, an enabled
framework or an organisation that is added, changed or removed marks its organisation; a
new version of a framework marks every organisation that has its key enabled (a page or
report without an assessment on it shows the latest version's words).

- In the same transaction each marked organisation's ``data_version`` goes up by one: an
  oversight report records the counters of its bodies when it is built, and is current
  while they are unchanged (maturity/reports/freshness.py). Being in the transaction, the
  counter can never say "unchanged" about a committed change.
- Once the transaction has committed, the marked organisations are handed to the listener
  registered with :func:`on_change` (the report workers re-render their reports:
  maturity/jobs/prerender.py), so the next download is ready.

Writes that bypass the ORM's unit of work (a restore's core inserts, whose counters are
restored as they were) call :func:`changed_outside` once committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from maturity.models import (
    Assessment,
    Framework,
    ImprovementAction,
    Organisation,
    OrganisationFramework,
    Rating,
)

log = logging.getLogger(__name__)

Listener = Callable[[set[int]], None]

# session.info keys: organisations marked in the open transaction and already counted in
# it, and those of committed transactions not yet handed to the listener.
_MARKED = "reports.marked"
_COUNTED = "reports.counted"
_COMMITTED = "reports.committed"

_listeners: list[Listener] = []


def on_change(listener: Listener) -> None:
    """Call ``listener`` with the ids of the organisations whose report data changed, after
    each commit that changed any (see :func:`run_listeners`)."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed_outside(session: Session, *, organisation_ids: Iterable[int]) -> None:
    """Hand organisations whose data a committed write changed behind the listener's back
    to the listeners now."""
    session.info.setdefault(_COMMITTED, set()).update(organisation_ids)
    run_listeners(session)


def _organisation_of(instance: Any) -> int | None:
    if isinstance(instance, Organisation):
        return instance.id
    if isinstance(instance, OrganisationFramework):
        # Made with its relationship set, the key is only filled in by the flush.
        if instance.organisation_id is not None:
            return instance.organisation_id
        return instance.organisation.id if instance.organisation is not None else None
    if isinstance(instance, ImprovementAction):
        instance = instance.rating
    if isinstance(instance, Rating):
        instance = instance.assessment
    if isinstance(instance, Assessment):
        if instance.organisation_id is not None:
            return instance.organisation_id
        return instance.organisation.id if instance.organisation is not None else None
    return None


_TRACKED = (Assessment, Rating, ImprovementAction, Organisation, OrganisationFramework)


def _enabling(session: Session, keys: set[str]) -> set[int]:
    if not keys:
        return set()
    with session.no_autoflush:
        query = select(OrganisationFramework.organisation_id).where(
            OrganisationFramework.framework_key.in_(sorted(keys))
        )
        return set(session.scalars(query.distinct()))


@event.listens_for(Session, "before_flush")
def _mark(session: Session, _context: Any, _instances: Any) -> None:
    # Before the flush, while removed rows and their relationships can still be read.
    marked: set[int] = session.info.setdefault(_MARKED, set())
    new_versions = {i.key for i in session.new if isinstance(i, Framework)}
    marked.update(_enabling(session, new_versions))
    for instance in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(instance, _TRACKED):
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue  # only a relationship collection was touched, nothing it holds
        if isinstance(instance, Organisation):
            # A body that moves (or is new) changes what its old and new overseers show;
            # a move may be made through the key or the relationship.
            state = inspect(instance).attrs
            marked.update(p for p in state.parent_id.history.sum() if p)
            marked.update(p.id for p in state.parent.history.sum() if p is not None and p.id)
        if (organisation_id := _organisation_of(instance)) is not None:
            marked.add(organisation_id)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    _count(session)


def _count(session: Session) -> None:
    """Raise each newly marked organisation's counter, once per transaction: the commit
    makes every change in it visible at once, so once is enough."""
    counted: set[int] = session.info.setdefault(_COUNTED, set())
    new = session.info.get(_MARKED, set()) - counted
    if not new:
        return
    session.connection().execute(
        update(Organisation)
        .where(Organisation.id.in_(sorted(new)))  # one lock order: no deadlock between two
        .values(data_version=Organisation.data_version + 1)
        .execution_options(synchronize_session=False)
    )
    counted.update(new)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    marked = session.info.pop(_MARKED, set())
    session.info.pop(_COUNTED, None)
    if marked:
        session.info.setdefault(_COMMITTED, set()).update(marked)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    # The counters went back with the rest: a retry must count again.
    session.info.pop(_MARKED, None)
    session.info.pop(_COUNTED, None)


def run_listeners(session: Session) -> None:
    """Hand the organisations changed by committed transactions to the listeners. Called
    after a commit (not from the commit event, when the session may not be used); a
    listener that fails is logged and costs a ready report, never the change itself."""
    changed = session.info.pop(_COMMITTED, set())
    if not changed:
        return
    for listener in _listeners:
        try:
            listener(changed)
        except Exception:
            log.exception("reports of organisations %s could not be queued", sorted(changed))
            session.rollback()
