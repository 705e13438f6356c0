"""Improvement actions: what will be done to reach a domain's ambition, by whom, by when.

Changed only on drafts, like the answers; each change is kept in the rating's history.
An action is overdue when it is open and its due date is before today (UK time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from maturity.data import commit, history, valid_id
from maturity.data.assessments import refuse_if_locked
from maturity.domain.assessment_rules import ProblemsFound, action_problems
from maturity.domain.errors import ConflictError, NotFound
from maturity.extensions import db
from maturity.models import (
    ActionStatus,
    Assessment,
    Framework,
    FrameworkDomain,
    ImprovementAction,
    Rating,
    User,
)

# Due dates are days in the UK, where the people answerable for them work.
LOCAL_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class ListedAction:
    """An action with its domain's name, for lists beyond the domain's own page."""

    domain: str
    action: ImprovementAction
    overdue: bool


@dataclass(frozen=True)
class CurrentActions:
    """The improvement actions of an organisation's latest assessment on a framework."""

    assessment: Assessment | None
    open: tuple[ListedAction, ...]  # overdue first, then by due date
    done: int

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.open if item.overdue)


def today() -> date:
    return datetime.now(LOCAL_TIME).date()


def is_overdue(action: ImprovementAction, *, on: date) -> bool:
    """Open, with a due date before ``on``: due today is not overdue yet."""
    return (
        action.status == ActionStatus.OPEN and action.due_date is not None and action.due_date < on
    )


def by_rating(*, assessment: Assessment) -> dict[int, list[ImprovementAction]]:
    """Every rating's actions in one query, keyed by rating id (empty lists included)."""
    found: dict[int, list[ImprovementAction]] = {r.id: [] for r in assessment.ratings}
    if not found:
        return found
    rows = db.session.scalars(
        select(ImprovementAction)
        .where(ImprovementAction.rating_id.in_(found))
        .order_by(ImprovementAction.position, ImprovementAction.id)
    )
    for action in rows:
        found[action.rating_id].append(action)
    return found


def add(
    *,
    assessment: Assessment,
    domain_key: str,
    what: str,
    owner: str,
    due_date: date | None,
    actor: User | None,
) -> ImprovementAction:
    refuse_if_locked(assessment=assessment)
    rating = _rating(assessment, domain_key)
    problems = action_problems(what=what, owner=owner)
    if problems:
        raise ProblemsFound(problems)
    positions = [a.position for a in rating.actions]
    action = ImprovementAction(
        rating=rating,
        position=max(positions, default=-1) + 1,
        what=what.strip(),
        owner=owner.strip(),
        due_date=due_date,
        status=ActionStatus.OPEN,
    )
    db.session.add(action)
    _changed(assessment, rating, actor, before=None, after=history.action_text(action))
    commit()
    return action


def edit(
    *,
    assessment: Assessment,
    action_id: int,
    what: str,
    owner: str,
    due_date: date | None,
    status: ActionStatus,
    seen: str,
    actor: User | None,
) -> ImprovementAction:
    """Change what an action is, who owns it, when it is due and whether it is done.

    ``seen`` is :func:`fingerprint` of the action as the person opened it: if someone has
    changed it since, nothing is saved (ConflictError), rather than their change being
    silently replaced. Changing a carried-forward action is checking it, so it is no longer
    marked as carried.
    """
    refuse_if_locked(assessment=assessment)
    action = _action(assessment, action_id)
    if seen != fingerprint(action):
        raise ConflictError(
            "Someone else changed this action since you opened it. It now says: "
            f"{history.action_text(action)}. Your changes have not been saved: check them "
            "below and save again to replace theirs.",
            field="what",
        )
    problems = action_problems(what=what, owner=owner)
    if problems:
        raise ProblemsFound(problems)
    before = history.action_text(action)
    action.what = what.strip()
    action.owner = owner.strip()
    action.due_date = due_date
    action.status = status
    action.carried_forward = False
    after = history.action_text(action)
    if before != after:
        _changed(assessment, action.rating, actor, before=before, after=after)
    commit()
    return action


def fingerprint(action: ImprovementAction) -> str:
    """What the action says, as a short digest a form carries from opening to saving."""
    return hashlib.sha256(history.action_text(action).encode()).hexdigest()[:32]


def current(
    *, assessments: Sequence[Assessment], framework: Framework, on: date | None = None
) -> CurrentActions:
    """The actions of the latest of ``assessments`` (earliest period first, as
    :func:`maturity.data.assessments.for_organisation` gives them) on the framework's key,
    whatever its status: a new period starts with last period's open actions carried
    forward, so earlier copies are not counted twice. One query."""
    on = on or today()
    latest = next((a for a in reversed(assessments) if a.framework.key == framework.key), None)
    if latest is None:
        return CurrentActions(None, (), 0)
    rows = db.session.execute(
        select(ImprovementAction, FrameworkDomain.name)
        .join(Rating, ImprovementAction.rating_id == Rating.id)
        .join(FrameworkDomain, Rating.domain_id == FrameworkDomain.id)
        .where(Rating.assessment_id == latest.id)
        .order_by(FrameworkDomain.position, ImprovementAction.position, ImprovementAction.id)
    ).all()
    listed = [
        ListedAction(domain=name, action=action, overdue=is_overdue(action, on=on))
        for action, name in rows
        if action.status == ActionStatus.OPEN
    ]
    # Overdue first, longest overdue first; then those due soonest; undated last.
    listed.sort(key=lambda item: (not item.overdue, item.action.due_date or date.max))
    return CurrentActions(
        latest, tuple(listed), sum(1 for a, _ in rows if a.status == ActionStatus.DONE)
    )


def set_status(
    *, assessment: Assessment, action_id: int, status: ActionStatus, actor: User | None
) -> ImprovementAction:
    """Mark an action done, or open again."""
    refuse_if_locked(assessment=assessment)
    action = _action(assessment, action_id)
    if action.status != status:
        before = history.action_text(action)
        action.status = status
        _changed(assessment, action.rating, actor, before=before, after=history.action_text(action))
        commit()
    return action


def remove(*, assessment: Assessment, action_id: int, actor: User | None) -> None:
    refuse_if_locked(assessment=assessment)
    action = _action(assessment, action_id)
    _changed(assessment, action.rating, actor, before=history.action_text(action), after=None)
    db.session.delete(action)
    commit()


def _changed(
    assessment: Assessment,
    rating: Rating,
    actor: User | None,
    *,
    before: str | None,
    after: str | None,
) -> None:
    # Touching the assessment bumps its version, so a change racing a submit fails.
    assessment.updated_at = datetime.now(UTC).replace(tzinfo=None)
    history.record(
        assessment=assessment,
        rating=rating,
        actor=actor,
        before={"action": before},
        after={"action": after},
    )


def _rating(assessment: Assessment, domain_key: str) -> Rating:
    rating = next((r for r in assessment.ratings if r.domain.key == domain_key), None)
    if rating is None:
        raise NotFound(f"{assessment.framework.name} has no domain {domain_key!r}")
    return rating


def _action(assessment: Assessment, action_id: int) -> ImprovementAction:
    """The assessment's action; another assessment's id is simply not found."""
    action = None
    if valid_id(action_id):
        action = db.session.scalar(
            select(ImprovementAction).where(
                ImprovementAction.id == action_id,
                ImprovementAction.rating_id.in_([r.id for r in assessment.ratings]),
            )
        )
    if action is None:
        raise NotFound("That improvement action no longer exists")
    return action
