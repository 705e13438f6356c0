"""The organisations and people each journey starts from, made through the data layer.

Every call makes new ones (names carry a counter), so tests sharing the session's database
never see each other's organisations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from maturity.data import assessments, frameworks
from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus, Framework, Organisation, User
from tests import factories

_counter = itertools.count(1)


@dataclass
class Body:
    organisation: Organisation
    person: User

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def email(self) -> str:
        return self.person.email


def framework() -> Framework:
    return frameworks.current()


def body(kind: str, role: MembershipRole, *, parent: Organisation | None = None) -> Body:
    organisation = factories.organisation(name=f"{kind} {next(_counter)}", parent=parent)
    person = factories.member(of=organisation, role=role)
    return Body(organisation, person)


def member(of: Organisation, role: MembershipRole) -> User:
    return factories.member(of=of, role=role, email=f"member{next(_counter)}@example.org")


def draft(of: Organisation, period: str) -> None:
    """A draft with nothing answered yet."""
    assessments.start(organisation=of, framework=framework(), period=period, actor=None)


def submitted(of: Organisation, period: str, *, level: int) -> None:
    """A submitted assessment with every domain at ``level``, and evidence for each."""
    factories.assessment(
        of=of,
        period=period,
        levels={domain.key: level for domain in framework().domains},
        ambition={domain.key: level + 1 for domain in framework().domains},
        evidence=f"Board papers from {period}",
        status=AssessmentStatus.SUBMITTED,
    )


def resubmit(of: Organisation, period: str) -> None:
    """The assessor submits the assessment again (after it was sent back)."""
    made = next(a for a in assessments.for_organisation(organisation=of) if a.period == period)
    assessments.submit(assessment=made, actor=None)


def administrator() -> User:
    """An administrator with two-factor sign-in set up (the service requires it)."""
    return factories.user(
        email=f"admin{next(_counter)}@example.org", name="Ada Administrator", admin=True
    )
