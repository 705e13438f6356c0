"""demo: illustrative data shaped like the NAO's Figure 8, and people to sign in as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from flask.cli import with_appcontext

from maturity.data import assessments, commit, decisions, frameworks, organisations, users
from maturity.data import history as rating_history
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    DecisionKind,
    Framework,
    ImprovementAction,
    Organisation,
    Rating,
    User,
)

SIGN_IN_ADDRESS = "http://127.0.0.1:5000/sign-in"
# Printed for anyone to read: these accounts exist only to try the service.
DEMO_PASSWORD = "demo-password-2018"
ILLUSTRATIVE = (
    "Illustrative demo data: the real levels in the NAO's Figure 8 are not published in the text."
)
HOME_OFFICE = "Home Office"
NCA = "National Crime Agency"
PERIODS = ("2014", "2015", "2016", "2017", "2018")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: MembershipRole | None = None
    admin: bool = False

    @property
    def described(self) -> str:
        return "administrator" if self.admin else f"{self.role}, {HOME_OFFICE}"


PEOPLE = (
    DemoPerson("admin@example.org", "Demo Administrator", admin=True),
    DemoPerson("assessor@example.org", "Demo Assessor", MembershipRole.ASSESSOR),
    DemoPerson("approver@example.org", "Demo Approver", MembershipRole.APPROVER),
    DemoPerson("viewer@example.org", "Demo Viewer", MembershipRole.VIEWER),
)

# What paragraphs 2.11 and 11 of the report say about each year, to make the evidence
# read like an assessment without claiming to be the NAO's.
YEAR_NOTES = {
    "2014": "The 2013 strategy committed to developing an effective performance measurement "
    "framework.",
    "2015": "Progress towards the framework the 2013 strategy committed to has been slow.",
    "2016": "Progress has been slow: performance information is produced and reported to "
    "the board.",
    "2017": "A new performance framework, based on sound principles, has been in place since 2017.",
    "2018": "The framework is still being refined and is not yet integrated into management "
    "systems to help senior managers assess effectiveness.",
}

# Level names rather than numbers, so the history reads like the figure's y-axis.
# Slow progress, a step up when the new framework arrived in 2017, nothing at
# "Challenging" (integration) yet; the ambition stops short of "Optimising" (note 2).
HISTORIES: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    HOME_OFFICE: {
        "developing-a-framework": (
            ("Existing", "Existing", "Existing", "Functioning", "Functioning"),
            "Challenging",
        ),
        "reporting-performance-information": (
            ("Existing", "Existing", "Functioning", "Functioning", "Functioning"),
            "Challenging",
        ),
        "using-the-framework": (
            ("Existing", "Existing", "Existing", "Existing", "Functioning"),
            "Enabling",
        ),
    },
    NCA: {
        "developing-a-framework": (
            ("Existing", "Existing", "Functioning", "Functioning", "Functioning"),
            "Challenging",
        ),
        "reporting-performance-information": (
            ("Existing", "Functioning", "Functioning", "Functioning", "Enabling"),
            "Challenging",
        ),
        "using-the-framework": (
            ("Existing", "Existing", "Existing", "Functioning", "Functioning"),
            "Challenging",
        ),
    },
}


# Improvement actions of the latest period (what paragraph 2.11 says is still to do): one
# done, one open and long past its due date, so the organisation page shows it as overdue.
ACTIONS: dict[str, tuple[str, str, date, ActionStatus]] = {
    "developing-a-framework": (
        "Refine the framework's measures with the organisations that deliver the strategy",
        "Head of Performance",
        date(2019, 3, 31),
        ActionStatus.DONE,
    ),
    "using-the-framework": (
        "Integrate the framework into management systems, so that senior managers can use it "
        "to assess effectiveness",
        "Director of Strategy",
        date(2019, 9, 30),
        ActionStatus.OPEN,
    ),
}


@click.command("demo")
@click.option(
    "--if-empty", is_flag=True, help="Load the demo data only when no one has an account yet."
)
@click.option(
    "--force",
    is_flag=True,
    help="Load it even where real people have accounts (a throwaway copy, never production).",
)
@with_appcontext
def demo(if_empty: bool, force: bool) -> None:
    """Load illustrative demo data: organisations, people, and a 2014-2018 history."""
    if if_empty and users.exist():
        if _demo_people_exist():
            click.echo("The demo data is already loaded.")
            _print_sign_in()
        else:
            click.echo("People already have accounts here, so the demo data was not loaded.")
        return
    if _real_people_exist() and not force:
        # The demo accounts' password is printed for anyone to read: on a real service
        # they would be a way in, an administrator's among them.
        raise click.ClickException(
            "People already have accounts here, so the demo data was not loaded: its "
            "accounts have a published password. Use --force only on a throwaway copy."
        )
    try:
        loaded = load()
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if loaded:
        click.echo(
            f"Loaded illustrative demo data: {HOME_OFFICE} and {NCA} (overseen by "
            f"{HOME_OFFICE}), with approved assessments for {PERIODS[0]} to {PERIODS[-1]}. "
            + ILLUSTRATIVE
        )
    else:
        click.echo("The demo data is already loaded.")
    _print_sign_in()


def load() -> int:
    """Add whatever part of the demo data is missing; returns the assessments added."""
    framework = frameworks.current()
    home_office = _organisation(HOME_OFFICE, parent=None)
    bodies = {HOME_OFFICE: home_office, NCA: _organisation(NCA, parent=home_office)}
    people = {person.email: _person(person) for person in PEOPLE}
    for person in PEOPLE:
        if person.role is not None:
            organisations.grant(
                user=people[person.email], organisation=home_office, role=person.role
            )
    assessor = next(people[p.email] for p in PEOPLE if p.role == MembershipRole.ASSESSOR)
    approver = next(people[p.email] for p in PEOPLE if p.role == MembershipRole.APPROVER)
    added = 0
    for name, history in HISTORIES.items():
        added += _history(bodies[name], history, framework, assessor, approver)
    commit()
    return added


def _history(
    organisation: Organisation,
    history: dict[str, tuple[tuple[str, ...], str]],
    framework: Framework,
    assessor: User,
    approver: User,
) -> int:
    existing = assessments.by_period(framework=framework, organisations=[organisation])
    numbers = {level.name: level.number for level in framework.levels}
    needed = {name for levels, ambition in history.values() for name in (*levels, ambition)}
    missing = (set(history) - {d.key for d in framework.domains}) | (needed - set(numbers))
    if missing:
        raise DomainError(
            f"The demo data is for the NAO framework: {framework.name} has no "
            + ", ".join(sorted(missing))
        )
    added = 0
    for index, period in enumerate(PERIODS):
        if (organisation.id, period) in existing:
            continue
        assessment = assessments.begin(
            organisation=organisation,
            framework=framework,
            period=period,
            actor=assessor,
            status=AssessmentStatus.APPROVED,
        )
        db.session.flush()  # the history's rows name the assessment by id
        # Separation of duties: the assessor answers and submits; the approver, who
        # changed none of it, signs it off a fortnight later.
        answered = datetime(int(period) + 1, 1, 24)
        assessment.submitted_by = assessor
        assessment.submitted_at = datetime(int(period) + 1, 1, 31)
        assessment.approved_by = approver
        assessment.approved_at = datetime(int(period) + 1, 2, 14)
        note = f"{ILLUSTRATIVE} {YEAR_NOTES[period]}"
        for rating in assessment.ratings:
            if rating.domain.key not in history:
                continue
            levels, ambition = history[rating.domain.key]
            rating.level = numbers[levels[index]]
            rating.ambition = numbers[ambition]
            rating.evidence = note
            if index and levels[index] != levels[index - 1]:
                rating.reason_for_change = note
            _answered(assessment, rating, assessor, at=answered)
            if period == PERIODS[-1] and rating.domain.key in ACTIONS:
                _action(assessment, rating, assessor, ACTIONS[rating.domain.key], at=answered)
        decisions.record(
            assessment=assessment,
            kind=DecisionKind.SUBMITTED,
            actor=assessor,
            at=assessment.submitted_at,
        )
        decisions.record(
            assessment=assessment,
            kind=DecisionKind.APPROVED,
            actor=approver,
            reason="Illustrative demo approval.",
            at=assessment.approved_at,
        )
        added += 1
    return added


def _answered(assessment: Assessment, rating: Rating, assessor: User, *, at: datetime) -> None:
    """The assessor's answers in the rating's history, as if typed on the day."""
    rating_history.record(
        assessment=assessment,
        rating=rating,
        actor=assessor,
        before={"level": None, "evidence": "", "reason_for_change": "", "ambition": None},
        after={
            "level": rating.level,
            "evidence": rating.evidence,
            "reason_for_change": rating.reason_for_change,
            "ambition": rating.ambition,
        },
        at=at,
    )


def _action(
    assessment: Assessment,
    rating: Rating,
    assessor: User,
    action: tuple[str, str, date, ActionStatus],
    *,
    at: datetime,
) -> None:
    what, owner, due, status = action
    made = ImprovementAction(rating=rating, what=what, owner=owner, due_date=due, status=status)
    db.session.add(made)
    rating_history.record(
        assessment=assessment,
        rating=rating,
        actor=assessor,
        before={"action": None},
        after={"action": rating_history.action_text(made)},
        at=at + timedelta(minutes=5),
    )


def _organisation(name: str, *, parent: Organisation | None) -> Organisation:
    try:
        return organisations.find(reference=name)
    except NotFound:
        return organisations.create(name=name, parent=parent, illustrative=True)


def _person(person: DemoPerson) -> User:
    try:
        return users.find(email=person.email)
    except NotFound:
        return users.create(
            email=person.email, password=DEMO_PASSWORD, name=person.name, admin=person.admin
        )


def _real_people_exist() -> bool:
    demo_emails = {person.email for person in PEOPLE}
    return any(email not in demo_emails for email in users.emails())


def _demo_people_exist() -> bool:
    try:
        for person in PEOPLE:
            users.find(email=person.email)
    except NotFound:
        return False
    return True


def _print_sign_in() -> None:
    click.echo(f"Sign in at {SIGN_IN_ADDRESS} as:")
    width = max(len(person.email) for person in PEOPLE)
    for person in PEOPLE:
        click.echo(f"  {person.email.ljust(width)}  {person.described}")
    click.echo(f"Password for each of them: {DEMO_PASSWORD}")
    click.echo(
        "The administrator and the approver set up an authenticator app (two-factor "
        "sign-in) the first time they sign in; the others may choose to."
    )


COMMANDS = [demo]
