"""The rules a domain's answers must meet, as plain functions of plain values.

The data layer enforces them and the pages explain them from the same statements, so the
two never disagree; no database or request is needed to test them.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from maturity.domain.errors import DomainError
from maturity.domain.guided import differs
from maturity.domain.levels import level_name
from maturity.domain.periods import EARLIEST_YEAR, LATEST_YEAR

# The longest evidence or reason a rating keeps: the form, a draft and an import agree.
EVIDENCE_LIMIT = 10_000
WHAT_LIMIT = 2_000
OWNER_LIMIT = 200


@dataclass(frozen=True)
class Answers:
    """One domain's answers, saved or only typed."""

    level: int | None
    evidence: str = ""
    reason_for_change: str = ""
    ambition: int | None = None
    ambition_reason: str = ""
    # Guided scoring: the ids of the criteria ticked as met, the level they suggest (None
    # when the domain has no criteria) and why the level chosen differs from it.
    ticked: frozenset[int] = frozenset()
    suggested: int | None = None
    level_differs_reason: str = ""


@dataclass(frozen=True)
class PreviousPeriod:
    """The latest earlier submitted or approved assessment: the levels judged then."""

    period: str
    levels: dict[str, int | None] = field(default_factory=dict)

    def level(self, domain_key: str) -> int | None:
        return self.levels.get(domain_key)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class ProblemsFound(DomainError):
    """Every rule the input breaks, each tied to its field; the first is the message."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = tuple(problems)


class TaskStatus(enum.StrEnum):
    NOT_STARTED = "Not started"
    CARRIED_FORWARD = "Carried forward"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


def reason_needed(level: int | None, previous_level: int | None) -> bool:
    """A level that moved since the previous period needs saying why."""
    return level is not None and previous_level is not None and level != previous_level


def ambition_reason_needed(level: int | None, ambition: int | None) -> bool:
    """Aiming below what has been reached is allowed, but only with a reason."""
    return level is not None and ambition is not None and ambition < level


def problems(
    answers: Answers, *, previous_level: int | None, level_names: Sequence[str]
) -> list[Problem]:
    """What stops these answers counting as a finished domain, in the order of the page."""
    found = []
    if answers.level is None:
        found.append(Problem("level", "Select the level reached"))
    if differs(answers.level, answers.suggested) and not answers.level_differs_reason.strip():
        found.append(
            Problem(
                "level_differs_reason",
                "Enter why the level differs from the suggested level ("
                + level_name(level_names, answers.suggested)
                + ")",
            )
        )
    if reason_needed(answers.level, previous_level) and not answers.reason_for_change.strip():
        found.append(
            Problem(
                "reason_for_change",
                "Enter the reason the level changed from "
                + level_name(level_names, previous_level),
            )
        )
    if (
        ambition_reason_needed(answers.level, answers.ambition)
        and not answers.ambition_reason.strip()
    ):
        found.append(
            Problem(
                "ambition_reason",
                "Enter why the ambition is below the level reached, or choose a higher ambition",
            )
        )
    return found


def task_status(
    answers: Answers, *, carried_forward: bool, problems: Sequence[Problem]
) -> TaskStatus:
    """The status a domain shows in the task list."""
    if carried_forward:
        return TaskStatus.CARRIED_FORWARD
    if not problems:
        return TaskStatus.COMPLETED
    started = (
        answers.level is not None
        or answers.ambition is not None
        or bool(answers.ticked)
        or any(
            text.strip()
            for text in (
                answers.evidence,
                answers.reason_for_change,
                answers.ambition_reason,
                answers.level_differs_reason,
            )
        )
    )
    return TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED


def action_problems(*, what: str, owner: str) -> list[Problem]:
    """What is wrong with an improvement action's text, field by field."""
    found = []
    if not what.strip():
        found.append(Problem("what", "Enter what will be done"))
    elif len(what) > WHAT_LIMIT:
        found.append(
            Problem("what", f"What will be done must be {WHAT_LIMIT:,} characters or less")
        )
    if not owner.strip():
        found.append(Problem("owner", "Enter who owns the action"))
    elif len(owner) > OWNER_LIMIT:
        found.append(Problem("owner", f"Owner must be {OWNER_LIMIT} characters or less"))
    return found


def parse_due_date(day: str, month: str, year: str) -> date | None:
    """The due date from the three boxes of a GOV.UK date input; all empty is no date.

    Raises :class:`DomainError` on ``due_date`` with the GOV.UK pattern's wording.
    """
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        return None
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise DomainError("Due date must include a " + " and a ".join(missing), field="due_date")
    if not all(value.isascii() and value.isdigit() for value in parts.values()):
        raise DomainError("Enter a real due date", field="due_date")
    if len(parts["year"]) != 4:
        raise DomainError("Year must include 4 numbers", field="due_date")
    try:
        due = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (ValueError, OverflowError) as exc:
        raise DomainError("Enter a real due date", field="due_date") from exc
    if not EARLIEST_YEAR <= due.year <= LATEST_YEAR:
        raise DomainError(
            f"Due date must be between {EARLIEST_YEAR} and {LATEST_YEAR}", field="due_date"
        )
    return due
