"""The organisations and people each journey starts from, made through the data layer.

Every call makes new ones (names carry a counter), so tests sharing the session's database
never see each other's organisations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from maturity.data import assessments, frameworks, report_jobs
from maturity.domain.roles import MembershipRole
from maturity.jobs import build
from maturity.models import (
    AssessmentStatus,
    Framework,
    JobKind,
    JobStatus,
    Organisation,
    ReportJob,
    User,
)
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


def submitted(of: Organisation, period: str, *, level: int, by: User | None = None) -> None:
    """A submitted assessment with every domain at ``level``, and evidence for each;
    answered and submitted by ``by`` when given (who, then, cannot approve it)."""
    if by is None:
        factories.assessment(
            of=of,
            period=period,
            levels={domain.key: level for domain in framework().domains},
            ambition={domain.key: level + 1 for domain in framework().domains},
            evidence=f"Board papers from {period}",
            status=AssessmentStatus.SUBMITTED,
        )
        return
    made = assessments.start(organisation=of, framework=framework(), period=period, actor=by)
    for domain in framework().domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=level,
            evidence=f"Board papers from {period}",
            reason_for_change="",
            ambition=level + 1,
            actor=by,
        )
    assessments.submit(assessment=made, actor=by)


def resubmit(of: Organisation, period: str, *, by: User | None = None) -> None:
    """The assessor submits the assessment again (after it was sent back)."""
    made = next(a for a in assessments.for_organisation(organisation=of) if a.period == period)
    assessments.submit(assessment=made, actor=by)


def administrator() -> User:
    """An administrator with two-factor sign-in set up (the service requires it)."""
    return factories.user(
        email=f"admin{next(_counter)}@example.org", name="Ada Administrator", admin=True
    )


# The states of a report job its owner can see, and how far the running one has got.
JOB_STATES = ("queued", "running", "done", "failed")
RUNNING_PROGRESS = {"done": 2, "total": 5}


def report_job(
    of: Organisation, by: User, state: str, *, kind: JobKind = JobKind.REPORTS_ZIP
) -> ReportJob:
    """A report job about the bodies ``of`` oversees, asked for by ``by``, left in ``state``
    as a worker leaves it, through the same data-layer calls a worker makes: a done one is
    really built (its file is in REPORT_JOBS_DIR); a running one has claimed the job and
    reported part of its progress; a failed one has failed as an unforeseen error fails it."""
    job = report_jobs.create(
        kind=kind, organisation=of, requested_by=by, parameters={"period": None, "framework": None}
    )
    if state == "done":
        build.run(job_id=job.id)
    elif state != "queued":
        attempt = report_jobs.claim(job_id=job.id)
        assert attempt is not None, "a new job is queued, so it can be claimed"
        if state == "running":
            report_jobs.progress(job_id=job.id, attempt=attempt, **RUNNING_PROGRESS)
        else:
            report_jobs.fail(job_id=job.id, attempt=attempt, message=build.UNEXPECTED)
    made = report_jobs.get(job_id=job.id)
    assert made.status == JobStatus(state), f"the job is {made.status.value}, not {state}"
    return made
