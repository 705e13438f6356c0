"""Ratings' history: every saved change, who made it and when, kept for good.

Written in the caller's unit of work (the caller commits), read back for an assessment's
history page and for the conflict page's "saved by".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from maturity.extensions import db
from maturity.models import Assessment, ImprovementAction, Rating, RatingChange, User

# What each answer is called on the page; keys written by the approver's side included, so
# whoever records a change, the history reads the same.
LABELS = {
    "level": "Level reached",
    "evidence": "Evidence",
    "reason_for_change": "Reason for change",
    "ambition": "Ambition",
    "ambition_reason": "Why the ambition is below the level reached",
    "criteria_met": "Criteria met",
    "level_differs_reason": "Why the level differs from the suggested level",
    "carried_forward": "Carried forward and not yet checked",
    "action": "Improvement action",
    "moderated_level": "Moderated level",
    "moderated_note": "Moderation note",
    "review_comment": "Comments from the approver",
}
LEVELS = {"level", "ambition", "moderated_level"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One saved change, ready to show: when, who, which domain, what changed."""

    changed_at: datetime
    who: str
    domain: str
    changes: tuple[FieldChange, ...]


def record(
    *,
    assessment: Assessment,
    rating: Rating,
    actor: User | None,
    before: dict[str, Any],
    after: dict[str, Any],
    at: datetime | None = None,
) -> None:
    """Add a change; ``at`` is now unless given (the demo's history of earlier years)."""
    db.session.add(
        RatingChange(
            rating=rating,
            assessment_id=assessment.id,
            actor=actor,
            # Set here rather than by the database so every backend keeps the same clock (UTC).
            changed_at=at or _now(),
            before=before,
            after=after,
        )
    )


def action_text(action: ImprovementAction) -> str:
    """An improvement action in one line, as its history shows it."""
    details = []
    if action.owner:
        details.append(f"owner: {action.owner}")
    if action.due_date:
        details.append(f"due {action.due_date.strftime('%-d %B %Y')}")
    details.append(action.status.value)
    return f"{action.what} ({', '.join(details)})"


def for_assessment(*, assessment: Assessment) -> list[Entry]:
    """Every change to the assessment's ratings, newest first, in one query.

    Newest by id: rows are only ever added, and the approver's side lets the database stamp
    the time, which may be coarser than ours.
    """
    changes = db.session.scalars(
        select(RatingChange)
        .where(RatingChange.assessment_id == assessment.id)
        .options(joinedload(RatingChange.actor))
        .order_by(RatingChange.id.desc())
    ).all()
    framework = assessment.framework
    # From the framework's domains, loaded with it, rather than one rating at a time.
    names = {domain.id: domain.name for domain in framework.domains}
    domains = {rating.id: names.get(rating.domain_id, "") for rating in assessment.ratings}
    entries = []
    for change in changes:
        fields = [key for key in LABELS if _differs(change, key)]
        fields += sorted(
            key for key in {*change.before, *change.after} - set(LABELS) if _differs(change, key)
        )
        entries.append(
            Entry(
                changed_at=change.changed_at,
                who=_who(change.actor),
                domain=domains.get(change.rating_id, ""),
                changes=tuple(
                    FieldChange(
                        label=LABELS.get(key, key.replace("_", " ").capitalize()),
                        before=_shown(framework.level_name, key, change.before.get(key)),
                        after=_shown(framework.level_name, key, change.after.get(key)),
                    )
                    for key in fields
                ),
            )
        )
    return entries


def latest(*, rating: Rating) -> RatingChange | None:
    """The rating's most recent change, with who made it."""
    return db.session.scalar(
        select(RatingChange)
        .where(RatingChange.rating_id == rating.id)
        .options(joinedload(RatingChange.actor))
        .order_by(RatingChange.id.desc())
        .limit(1)
    )


def who(change: RatingChange | None) -> str:
    return _who(change.actor if change else None)


def _differs(change: RatingChange, key: str) -> bool:
    return (key in change.before or key in change.after) and change.before.get(
        key
    ) != change.after.get(key)


def _who(actor: User | None) -> str:
    if actor is None:
        return "The system"
    return actor.name or actor.email


def _shown(level_name: Callable[[int | None], str], key: str, value: Any) -> str:
    if key in LEVELS:
        if value is None:
            return "Not answered" if key == "level" else "Not set"
        return level_name(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "None"
    return str(value)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
