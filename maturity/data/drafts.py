"""Drafts of a domain's answers: what a person is typing, kept on the server as they type.

Why on the server rather than in the browser's local storage: evidence can be sensitive and
the service is used on shared computers. A copy in local storage would stay on the machine
after sign-out, readable by the next person using the same browser profile, outside the
service's access control (a role taken away, "sign out everywhere" or a disabled account
would not reach it) and beyond anyone's power to delete it. On the server a draft is
behind the same role checks as the answers themselves, belongs to one person, follows them
to another computer, and is deleted when they save or discard it.

A draft is never a save. Keeping one writes nothing to the rating: not its answers, not
its version (so the optimistic check of :func:`maturity.data.assessments.save_rating` stays
honest), not its history and not its carried-forward mark (a person has "checked" carried
answers only when they save). A draft keeps the version the person opened; restored, it
brings that version back with it, so saving it after someone else's save is a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from maturity.data import commit, journey
from maturity.domain.assessment_rules import EVIDENCE_LIMIT
from maturity.domain.errors import DomainError
from maturity.extensions import db
from maturity.models import Rating, User
from maturity.models.draft import RatingDraft

# The longest answer the form accepts; the browser stops typing there, so anything longer
# was not typed into the page.
TEXT_LIMIT = EVIDENCE_LIMIT
TEXT_FIELDS = ("evidence", "reason_for_change", "ambition_reason", "level_differs_reason")


@dataclass(frozen=True)
class DraftAnswers:
    """One domain's answers as typed. ``criteria``: the ticked criteria's ids where the
    domain has good-practice criteria, else None."""

    level: int | None = None
    evidence: str = ""
    reason_for_change: str = ""
    ambition: int | None = None
    ambition_reason: str = ""
    level_differs_reason: str = ""
    criteria: tuple[int, ...] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "evidence": self.evidence,
            "reason_for_change": self.reason_for_change,
            "ambition": self.ambition,
            "ambition_reason": self.ambition_reason,
            "level_differs_reason": self.level_differs_reason,
            "criteria": list(self.criteria) if self.criteria is not None else None,
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> DraftAnswers:
        criteria = stored.get("criteria")
        return cls(
            level=stored.get("level"),
            evidence=stored.get("evidence") or "",
            reason_for_change=stored.get("reason_for_change") or "",
            ambition=stored.get("ambition"),
            ambition_reason=stored.get("ambition_reason") or "",
            level_differs_reason=stored.get("level_differs_reason") or "",
            criteria=tuple(criteria) if criteria is not None else None,
        )

    def same_as(self, rating: Rating) -> bool:
        """Whether saving these answers would change nothing (text is saved trimmed)."""
        saved = (
            rating.level,
            rating.evidence,
            rating.reason_for_change,
            rating.ambition,
            rating.ambition_reason,
            rating.level_differs_reason,
        )
        typed = (
            self.level,
            self.evidence.strip(),
            self.reason_for_change.strip(),
            self.ambition,
            self.ambition_reason.strip(),
            self.level_differs_reason.strip(),
        )
        if saved != typed:
            return False
        return self.criteria is None or set(self.criteria) == {c.id for c in rating.criteria}


@dataclass(frozen=True)
class Draft:
    answers: DraftAnswers
    base_version: int
    kept_at: datetime  # naive UTC


def keep(*, rating: Rating, person: User, answers: DraftAnswers, base_version: int) -> Draft:
    """Keep what ``person`` is typing into ``rating``'s domain, replacing their last draft.

    Refused on an assessment that is no longer a draft (LockedError) and for answers the
    page could not have sent (DomainError). Answers the same as the saved ones leave no
    draft: there is nothing to restore.
    """
    from maturity.data.assessments import refuse_if_locked

    refuse_if_locked(assessment=rating.assessment)
    _check(rating, answers)
    now = datetime.now(UTC).replace(tzinfo=None)
    if answers.same_as(rating):
        if drop(rating=rating, person=person):
            commit()
        return Draft(answers=answers, base_version=base_version, kept_at=now)
    for attempt in (1, 2):
        row = _row(rating=rating, person=person)
        if row is None:
            row = RatingDraft(rating_id=rating.id, user_id=person.id)
            db.session.add(row)
        row.answers = answers.as_json()
        row.base_version = base_version
        row.updated_at = now
        try:
            commit(on_integrity_error=_KeptMeanwhile("kept by another tab"))
        except _KeptMeanwhile:
            # The same person's other tab inserted first: replace that one instead.
            if attempt == 2:
                raise
            continue
        break
    return Draft(answers=answers, base_version=base_version, kept_at=now)


def find(*, rating: Rating, person: User) -> Draft | None:
    """``person``'s own draft of the domain, if they have one; nobody else's, ever."""
    row = _row(rating=rating, person=person)
    if row is None:
        return None
    return Draft(
        answers=DraftAnswers.from_json(row.answers),
        base_version=row.base_version,
        kept_at=row.updated_at,
    )


def worth_restoring(*, rating: Rating, person: User) -> Draft | None:
    """The person's draft when it holds something the saved answers do not."""
    draft = find(rating=rating, person=person)
    if draft is None or draft.answers.same_as(rating):
        return None
    return draft


def discard(*, rating: Rating, person: User) -> None:
    """The person chose the saved answers over their draft."""
    if drop(rating=rating, person=person):
        commit()


def drop(*, rating: Rating, person: User | None) -> bool:
    """Delete the person's draft of the domain, uncommitted (a save commits it with the
    answers: see save_rating). Whether there was one."""
    if person is None or person.id is None:
        return False
    # Read without flushing, and deleted by the flush in commit(): a save's changes reach
    # the database there, where a stale version becomes a conflict for the person to
    # resolve, and no write lock is taken before then.
    with db.session.no_autoflush:
        row = _row(rating=rating, person=person)
    if row is None:
        return False
    db.session.delete(row)
    return True


def forget_older_than(*, cutoff: datetime) -> int:
    """Delete every draft last typed into before ``cutoff`` (naive UTC), whoever's and
    whatever the assessment's status: a draft is a safety net for the days around a
    time-out, not a second record. How many were deleted."""
    result = db.session.execute(delete(RatingDraft).where(RatingDraft.updated_at < cutoff))
    commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _row(*, rating: Rating, person: User) -> RatingDraft | None:
    return db.session.scalar(
        select(RatingDraft).where(
            RatingDraft.rating_id == rating.id, RatingDraft.user_id == person.id
        )
    )


def _check(rating: Rating, answers: DraftAnswers) -> None:
    top = rating.assessment.framework.top_level
    for field, value in (("level", answers.level), ("ambition", answers.ambition)):
        if value is not None and not 0 <= value <= top:
            raise DomainError("Choose a level from the list", field=field)
    for field in TEXT_FIELDS:
        if len(getattr(answers, field)) > TEXT_LIMIT:
            raise DomainError(
                f"A draft's answers are at most {TEXT_LIMIT:,} characters", field=field
            )
    if answers.criteria is not None:
        known = {c.id for found in journey.criteria_by_level(rating.domain).values() for c in found}
        if not set(answers.criteria) <= known:
            raise DomainError("Choose the criteria met from the list", field="criteria")


class _KeptMeanwhile(DomainError):
    pass
