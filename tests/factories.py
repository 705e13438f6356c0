"""Test data, made through the data layer so it obeys the same rules as real data."""

from __future__ import annotations

import itertools

from maturity.data import assessments, frameworks, organisations, users
from maturity.domain.roles import MembershipRole
from maturity.extensions import db, security
from maturity.models import Assessment, AssessmentStatus, Organisation, User
from tests.conftest import PASSWORD

_counter = itertools.count(1)


def user(
    *,
    email: str | None = None,
    name: str = "",
    admin: bool = False,
    two_factor: bool | None = None,
) -> User:
    """A person; administrators have two-factor sign-in set up unless ``two_factor=False``
    (the service lets them do nothing else until they have)."""
    made = users.create(
        email=email or f"person{next(_counter)}@example.org",
        password=PASSWORD,
        name=name or "Test Person",
        admin=admin,
    )
    if two_factor or (two_factor is None and admin):
        set_up_two_factor(made)
    return made


def set_up_two_factor(person: User) -> User:
    """Two-factor sign-in with an authenticator app, as if the person had set it up;
    ``tests.conftest.sign_in`` answers the code page for them."""
    security.datastore.tf_set(
        person, "authenticator", totp_secret=security.totp_factory.generate_totp_secret()
    )
    db.session.commit()
    return person


def organisation(*, name: str | None = None, parent: Organisation | None = None) -> Organisation:
    return organisations.create(name=name or f"Body {next(_counter)}", parent=parent)


def member(
    *,
    role: MembershipRole | str = MembershipRole.ASSESSOR,
    of: Organisation,
    email: str | None = None,
    two_factor: bool | None = None,
) -> User:
    """A person with a role in ``of``; approvers have two-factor sign-in set up unless
    ``two_factor=False``."""
    person = user(email=email, two_factor=two_factor)
    organisations.grant(user=person, organisation=of, role=MembershipRole(role))
    if two_factor is None and MembershipRole(role) == MembershipRole.APPROVER:
        set_up_two_factor(person)
    return person


def assessment(
    *,
    of: Organisation,
    period: str,
    levels: dict[str, int | None] | None = None,
    ambition: dict[str, int | None] | None = None,
    status: AssessmentStatus = AssessmentStatus.SUBMITTED,
    evidence: str = "",
    framework: Framework | None = None,
) -> Assessment:
    """An assessment whose ratings are ``levels`` by domain key (all 1 when not given), on
    ``framework`` (the NAO's when not given)."""
    framework = framework or frameworks.current()
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


# Imported here rather than at the top: factories are only ever added at the end of this file.
import datetime  # noqa: E402

from maturity.models import ImprovementAction  # noqa: E402


def improvement_action(
    *,
    assessment: Assessment,
    domain_key: str,
    what: str = "Publish the performance framework",
    owner: str = "Head of Performance",
    due_date: datetime.date | None = None,
    done: bool = False,
) -> ImprovementAction:
    """An action on a draft's domain, made through the data layer (so with its history)."""
    from maturity.data import actions
    from maturity.models import ActionStatus

    made = actions.add(
        assessment=assessment,
        domain_key=domain_key,
        what=what,
        owner=owner,
        due_date=due_date,
        actor=None,
    )
    if done:
        actions.set_status(
            assessment=assessment, action_id=made.id, status=ActionStatus.DONE, actor=None
        )
    return made


from maturity.models import (  # noqa: E402
    Criterion,
    Descriptor,
    Framework,
    FrameworkDomain,
    FrameworkLevel,
)

# Distinct, dark enough for white text; the factory cycles through them for wide frameworks.
_COLOURS = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1", "#0F7B5F")


def framework(
    *,
    domains: int = 4,
    levels: int = 4,
    key: str | None = None,
    version: int = 1,
    name: str | None = None,
    criteria: int = 0,
) -> Framework:
    """A framework of any shape, with predictable words: domain 2 is "Domain 2" (key
    "domain-2"), level 3 is "Level 3", and each descriptor names its cell; with
    ``criteria``, each cell has that many good-practice criteria ("Domain 2 level 3
    criterion 1")."""
    key = key or f"test-framework-{domains}x{levels}-{next(_counter)}"
    made = Framework(
        key=key,
        version=version,
        name=name or f"Test framework {domains} by {levels}",
        figure_title=f"Maturity ({domains} domains, {levels} levels)",
        definitions_title="Definitions of the levels",
        source="Made up for the tests.",
        notes=[],
    )
    db.session.add(made)
    for number in range(1, levels + 1):
        db.session.add(FrameworkLevel(framework=made, number=number, name=f"Level {number}"))
    for position in range(1, domains + 1):
        domain = FrameworkDomain(
            framework=made,
            position=position,
            key=f"domain-{position}",
            name=f"Domain {position}",
            colour=_COLOURS[(position - 1) % len(_COLOURS)],
        )
        db.session.add(domain)
        for number in range(1, levels + 1):
            descriptor = Descriptor(
                domain=domain,
                level_number=number,
                text=f"Domain {position} at level {number}.",
            )
            db.session.add(descriptor)
            for index in range(1, criteria + 1):
                db.session.add(
                    Criterion(
                        descriptor=descriptor,
                        position=index,
                        text=f"Domain {position} level {number} criterion {index}",
                    )
                )
    db.session.commit()
    db.session.refresh(made)
    return made
