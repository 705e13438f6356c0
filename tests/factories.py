"""Test data, made through the data layer so it obeys the same rules as real data."""

from __future__ import annotations

import itertools

from maturity.data import assessments, frameworks, organisations, users
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Organisation, User
from tests.conftest import PASSWORD

_counter = itertools.count(1)


def user(*, email: str | None = None, name: str = "", admin: bool = False) -> User:
    return users.create(
        email=email or f"person{next(_counter)}@example.org",
        password=PASSWORD,
        name=name or "Test Person",
        admin=admin,
    )


def organisation(*, name: str | None = None, parent: Organisation | None = None) -> Organisation:
    return organisations.create(name=name or f"Body {next(_counter)}", parent=parent)


def member(
    *,
    role: MembershipRole | str = MembershipRole.ASSESSOR,
    of: Organisation,
    email: str | None = None,
) -> User:
    person = user(email=email)
    organisations.grant(user=person, organisation=of, role=MembershipRole(role))
    return person


def assessment(
    *,
    of: Organisation,
    period: str,
    levels: dict[str, int | None] | None = None,
    ambition: dict[str, int | None] | None = None,
    status: AssessmentStatus = AssessmentStatus.SUBMITTED,
    evidence: str = "",
) -> Assessment:
    """An assessment whose ratings are ``levels`` by domain key (all 1 when not given)."""
    framework = frameworks.current()
    made = assessments.start(organisation=of, framework=framework, period=period, actor=None)
    for domain in framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=(levels or {}).get(domain.key, 1),
            evidence=evidence,
            reason_for_change="",
            ambition=(ambition or {}).get(domain.key),
            actor=None,
        )
    made.status = status
    db.session.commit()
    return made
