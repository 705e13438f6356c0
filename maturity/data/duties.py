"""Separation of duties: whoever edited or submitted an assessment cannot moderate or
approve it; another approver must.

What counts:

- **edited**: any saved change by the person to this assessment's answers or improvement
  actions, at any time in its life (a sitting before it was sent back or reopened counts
  too): a row of the ratings' history with them as the actor that changes anything other
  than the approver's own fields (moderated level and note, send-back comments), or an
  import of ratings by them into the assessment's organisation and period (the audit trail
  records imports by period; a same-period assessment on another framework is refused too,
  which errs on the safe side). Starting an assessment, and answers carried forward from
  last year, are not edits: nobody typed them into this one.
- **submitted**: the person is the assessment's current submitter (``submitted_by``).

Sending back and reopening stay open to them: neither signs anything off, and both need a
reason that is recorded. Administrators, who act as approvers everywhere, follow the same
rule. A change made by nobody in particular (the command line, with no actor) is not
checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from maturity.domain.errors import NotIndependent
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import (
    Assessment,
    AuditEvent,
    Membership,
    Organisation,
    RatingChange,
    User,
)

# What an approver writes on a rating: changing only these is reviewing, not editing.
REVIEW_FIELDS = frozenset({"moderated_level", "moderated_note", "review_comment"})
IMPORTED = "assessment.imported"


@dataclass(frozen=True)
class Involvement:
    edited: bool
    submitted: bool

    @property
    def any(self) -> bool:
        return self.edited or self.submitted

    def reason(self, doing: str = "moderate or approve") -> str:
        """Why this person may not: "You edited this assessment, so another approver must
        approve it"; "" when they may."""
        what = " and ".join(
            word for word, done in (("edited", self.edited), ("submitted", self.submitted)) if done
        )
        if not what:
            return ""
        return f"You {what} this assessment, so another approver must {doing} it"


@dataclass(frozen=True)
class Approval:
    """Who may sign an assessment off, for the review page."""

    approvers: tuple[User, ...]  # everyone with the approver role in the organisation
    independent: tuple[User, ...]  # those of them who neither edited nor submitted it
    yours: Involvement  # the person asking: whether they edited or submitted it

    @property
    def single_approver(self) -> bool:
        return len(self.approvers) < 2


def involvement(*, assessment: Assessment, person: User) -> Involvement:
    """Whether the person edited or submitted the assessment (see the module's words)."""
    return Involvement(
        edited=person.id in editors(assessment=assessment, among={person.id}),
        submitted=assessment.submitted_by_id == person.id,
    )


def refuse_if_involved(*, assessment: Assessment, actor: User | None, doing: str) -> None:
    """Raise :class:`NotIndependent` when ``actor`` edited or submitted the assessment."""
    if actor is None:
        return
    found = involvement(assessment=assessment, person=actor)
    if found.any:
        raise NotIndependent(found.reason(doing), field="decision")


def involved_in(*, assessments: Sequence[Assessment], person: User) -> dict[int, Involvement]:
    """Of these assessments, those the person edited or submitted, by id, in two queries
    (for the home page's list of assessments waiting for approval)."""
    if not assessments:
        return {}
    ids = [a.id for a in assessments]
    changes = select(RatingChange.assessment_id, RatingChange.before, RatingChange.after).where(
        RatingChange.assessment_id.in_(ids), RatingChange.actor_id == person.id
    )
    edited = {
        found for found, before, after in db.session.execute(changes) if _edits(before, after)
    }
    imports = select(AuditEvent.organisation_id, AuditEvent.subject).where(
        AuditEvent.action == IMPORTED,
        AuditEvent.actor_id == person.id,
        AuditEvent.organisation_id.in_({a.organisation_id for a in assessments}),
    )
    imported = set(db.session.execute(imports).tuples())
    found = {}
    for a in assessments:
        involvement = Involvement(
            edited=a.id in edited or (a.organisation_id, a.period) in imported,
            submitted=a.submitted_by_id == person.id,
        )
        if involvement.any:
            found[a.id] = involvement
    return found


def editors(*, assessment: Assessment, among: set[int] | None = None) -> set[int]:
    """The ids of the people who edited the assessment, in two queries; ``among`` narrows
    the question to some people."""
    changes = select(RatingChange.actor_id, RatingChange.before, RatingChange.after).where(
        RatingChange.assessment_id == assessment.id, RatingChange.actor_id.is_not(None)
    )
    imports = select(AuditEvent.actor_id).where(
        AuditEvent.action == IMPORTED,
        AuditEvent.organisation_id == assessment.organisation_id,
        AuditEvent.subject == assessment.period,
        AuditEvent.actor_id.is_not(None),
    )
    if among is not None:
        changes = changes.where(RatingChange.actor_id.in_(among))
        imports = imports.where(AuditEvent.actor_id.in_(among))
    found = {
        actor_id for actor_id, before, after in db.session.execute(changes) if _edits(before, after)
    }
    found.update(actor_id for actor_id in db.session.scalars(imports))
    return {actor_id for actor_id in found if actor_id is not None}


def approvers(*, organisation: Organisation) -> list[User]:
    """The active people with the approver role in the organisation itself (overseeing a
    body gives no approval), by name."""
    people = db.session.scalars(
        select(User)
        # Their service roles are not needed here: the eager default would add a query.
        .options(lazyload(User.roles))
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == MembershipRole.APPROVER,
            User.active.is_(True),
        )
    )
    return sorted(people, key=lambda p: ((p.name or p.email).casefold(), p.id))


def approval(*, assessment: Assessment, person: User) -> Approval:
    """The organisation's approvers, which of them may sign this assessment off, and
    whether ``person`` may; three queries."""
    everyone = approvers(organisation=assessment.organisation)
    edited = editors(assessment=assessment)
    involved = set(edited)
    if assessment.submitted_by_id is not None:
        involved.add(assessment.submitted_by_id)
    return Approval(
        approvers=tuple(everyone),
        independent=tuple(p for p in everyone if p.id not in involved),
        yours=Involvement(
            edited=person.id in edited, submitted=assessment.submitted_by_id == person.id
        ),
    )


def _edits(before: dict[str, object] | None, after: dict[str, object] | None) -> bool:
    keys = {*(before or {}), *(after or {})}
    return any(
        key not in REVIEW_FIELDS and (before or {}).get(key) != (after or {}).get(key)
        for key in keys
    )
