"""Improvement actions: what will be done to reach a domain's ambition, by whom, by when.

Changed only on drafts, like the answers; each change is kept in the rating's history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from maturity.data import commit, history
from maturity.data.assessments import refuse_if_locked
from maturity.domain.assessment_rules import ProblemsFound, action_problems
from maturity.domain.errors import NotFound
from maturity.extensions import db
from maturity.models import ActionStatus, Assessment, ImprovementAction, Rating, User


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
    if 0 < action_id < 2**31:  # beyond any id, and beyond what the database takes
        action = db.session.scalar(
            select(ImprovementAction).where(
                ImprovementAction.id == action_id,
                ImprovementAction.rating_id.in_([r.id for r in assessment.ratings]),
            )
        )
    if action is None:
        raise NotFound("That improvement action no longer exists")
    return action
