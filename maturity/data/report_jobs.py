"""Reads and writes of ReportJob rows: the job's state is in the database, never only in
the queue, so any web server can show it and any worker can take it over.

Each change of state is a conditional UPDATE (compare and set) so that two workers, or a
worker and the stale-job sweep, can never both believe they own a job.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from maturity.data import by_id, commit
from maturity.domain.errors import DomainError, NotFound
from maturity.extensions import db
from maturity.models import JobKind, JobStatus, Organisation, ReportJob, User


class Superseded(RuntimeError):
    """This run no longer owns the job: it was judged dead and queued again."""


def utcnow() -> datetime:
    # The columns hold naive UTC, as the database's own CURRENT_TIMESTAMP does.
    return datetime.now(UTC).replace(tzinfo=None)


def create(
    *,
    kind: JobKind,
    organisation: Organisation,
    requested_by: User | None,
    parameters: dict[str, Any],
) -> ReportJob:
    job = _new(kind=kind, organisation_id=organisation.id, parameters=parameters)
    job.requested_by = requested_by
    db.session.add(job)
    commit(
        on_integrity_error=DomainError(
            "The report could not be queued: try again in a moment", field="kind"
        )
    )
    return job


def create_background(
    *, kind: JobKind, organisation_ids: set[int], parameters: dict[str, Any]
) -> list[ReportJob]:
    """Jobs nobody asked for, one per organisation that has no such job queued already (a
    queued one will read the data as it is when it runs, so it covers this change too)."""
    if not organisation_ids:
        return []
    waiting = db.session.execute(
        select(ReportJob.organisation_id, ReportJob.parameters).where(
            ReportJob.organisation_id.in_(sorted(organisation_ids)),
            ReportJob.kind == kind,
            ReportJob.status == JobStatus.QUEUED,
        )
    ).all()
    covered = {organisation_id for organisation_id, asked in waiting if asked == parameters}
    existing = set(
        db.session.scalars(
            select(Organisation.id).where(Organisation.id.in_(sorted(organisation_ids)))
        )
    )
    jobs = [
        _new(kind=kind, organisation_id=organisation_id, parameters=parameters)
        for organisation_id in sorted(existing - covered)
    ]
    if jobs:
        db.session.add_all(jobs)
        commit()
    return jobs


def _new(*, kind: JobKind, organisation_id: int, parameters: dict[str, Any]) -> ReportJob:
    return ReportJob(
        token=secrets.token_urlsafe(24),
        kind=kind,
        status=JobStatus.QUEUED,
        organisation_id=organisation_id,
        parameters=parameters,
        done=0,
        total=0,
        attempts=0,
        error="",
        created_at=utcnow(),
    )


def promote(*, job: ReportJob, user: User) -> bool:
    """Someone now waits for a job queued in the background: it becomes theirs (so it is
    queued ahead of the background renders, and listed among their reports). Returns
    whether it was a background job (the caller then queues it again, ahead)."""
    if job.requested_by_id is not None or job.status != JobStatus.QUEUED:
        return False
    changed = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job.id, ReportJob.requested_by_id.is_(None))
        .values(requested_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    commit()
    db.session.refresh(job)
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def get(*, job_id: int) -> ReportJob:
    job = by_id(ReportJob, job_id)
    if job is None:
        raise NotFound("There is no such report")
    return job


def fresh(*, job_id: int) -> ReportJob:
    """The job as it is now, when another process (a worker) writes it: the session's read
    transaction is ended and its copies dropped, so the row is read anew."""
    db.session.rollback()
    db.session.expire_all()
    return get(job_id=job_id)


def find(*, organisation: Organisation, token: str) -> ReportJob:
    job = db.session.scalar(
        select(ReportJob).where(
            ReportJob.token == token, ReportJob.organisation_id == organisation.id
        )
    )
    if job is None:
        raise NotFound("There is no such report")
    if not _given_out([job], organisation):
        raise NotFound("There is no such report")
    return job


def _given_out(jobs: list[ReportJob], organisation: Organisation) -> list[ReportJob]:
    """The jobs (and their files) that may still be shown to the organisation's readers.
    Not one built when a body it holds was overseen by the organisation and no longer is:
    what it says of that body is not theirs now. Nor one finished before the bodies it holds
    were recorded (migration 0014), which cannot be checked: it is prepared again instead.
    The tree is read only when a job holds bodies."""
    from maturity.data.oversight import counters

    held = [job for job in jobs if job.covered]
    below = {row[0] for row in counters(organisation=organisation)} if held else set()
    return [
        job
        for job in jobs
        if not (job.kind in LISTED and job.status == JobStatus.DONE and job.covered is None)
        and set(job.covered or ()) <= below
    ]


# An organisation's own report is asked for by its download link and answered there
# (maturity/views/reports.py): it is not one of the person's prepared reports.
LISTED = (JobKind.OVERSIGHT_PDF, JobKind.REPORTS_ZIP)
# An organisation's report and its one-page figure: a download names them by their data and
# day (maturity/reports/freshness.py), so a finished one a day old is never asked for again,
# whoever asked for it.
CACHED = (JobKind.ORGANISATION_PDF, JobKind.FIGURE_PDF)


def recent(*, organisation: Organisation, user: User, limit: int = 10) -> list[ReportJob]:
    """The person's own latest jobs for this organisation, newest first."""
    query = (
        select(ReportJob)
        .where(
            ReportJob.organisation_id == organisation.id,
            ReportJob.requested_by_id == user.id,
            ReportJob.kind.in_(LISTED),
        )
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
        .limit(limit)
    )
    return _given_out(list(db.session.scalars(query)), organisation)


def unfinished(*, user: User) -> list[ReportJob]:
    """The person's oversight jobs still queued or running, in every organisation."""
    query = select(ReportJob).where(
        ReportJob.requested_by_id == user.id,
        ReportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        ReportJob.kind.in_(LISTED),
    )
    return list(db.session.scalars(query))


def unfinished_like(
    *,
    organisation: Organisation,
    kind: JobKind,
    parameters: dict[str, Any],
    source_key: str | None,
) -> ReportJob | None:
    """A queued or running job of the same report, whoever asked for it: a second request
    waits for that one rather than queue another. The oldest, as it is furthest on.

    A queued job reads the data when it runs, so it always counts. A running one counts
    only if it is building from ``source_key`` (what the asker names the report by): one
    that read the data before a change would give the person the report as it was before.
    For a kind with no key (``None``: the ZIP of every body's report), only a queued one."""
    candidates = db.session.scalars(
        select(ReportJob)
        .where(
            ReportJob.organisation_id == organisation.id,
            ReportJob.kind == kind,
            ReportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        )
        .order_by(ReportJob.id)
    )
    return next(
        (
            job
            for job in candidates
            if job.parameters == parameters
            and (
                job.status == JobStatus.QUEUED
                or (source_key is not None and job.source_key == source_key)
            )
        ),
        None,
    )


def built_from(*, organisation: Organisation, kind: JobKind, source_key: str) -> list[ReportJob]:
    """Finished jobs whose result was built from ``source_key``, newest first (their files
    may have been removed since: the caller checks)."""
    query = (
        select(ReportJob)
        .where(
            ReportJob.organisation_id == organisation.id,
            ReportJob.kind == kind,
            ReportJob.source_key == source_key,
            ReportJob.status == JobStatus.DONE,
        )
        .order_by(ReportJob.id.desc())
        .limit(3)
    )
    return list(db.session.scalars(query))


def ahead_of(*, job: ReportJob) -> int:
    """How many queued jobs were asked for before this one (the queue serves people's
    requests before background ones, so this is at most how many it waits for)."""
    if job.status != JobStatus.QUEUED:
        return 0
    query = select(func.count(ReportJob.id)).where(
        ReportJob.status == JobStatus.QUEUED,
        ReportJob.id < job.id,
        ReportJob.requested_by_id.is_not(None),
    )
    return db.session.scalar(query) or 0


def remove_finished_background(*, older_than: timedelta) -> int:
    """Forget finished jobs nobody needs to find again: those nobody asked for, and
    organisation reports and figures (whose file is in the cache, not the job). Returns how
    many."""
    cutoff = utcnow() - older_than
    removed = db.session.execute(
        delete(ReportJob)
        .where(
            ReportJob.status.in_([JobStatus.DONE, JobStatus.FAILED]),
            or_(ReportJob.requested_by_id.is_(None), ReportJob.kind.in_(CACHED)),
            func.coalesce(ReportJob.finished_at, ReportJob.created_at) < cutoff,
        )
        .execution_options(synchronize_session=False)
    )
    commit()
    return removed.rowcount or 0  # type: ignore[attr-defined]


def result_names() -> set[str]:
    """The file names every remaining job's result is kept under."""
    query = select(ReportJob.result_path).where(ReportJob.result_path.is_not(None)).distinct()
    return {name for name in db.session.scalars(query) if name}


def claim(*, job_id: int) -> int | None:
    """Take a queued job: it becomes running and its attempt number is returned. None when
    it is not queued (finished, failed, or another worker has it already)."""
    now = utcnow()
    changed = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            attempts=ReportJob.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            done=0,
            error="",
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    attempt = db.session.scalar(select(ReportJob.attempts).where(ReportJob.id == job_id))
    commit()
    return attempt


def _set(job_id: int, attempt: int, **values: Any) -> None:
    """Change the job only while this run (``attempt``) still owns it."""
    changed = db.session.execute(
        update(ReportJob)
        .where(
            ReportJob.id == job_id,
            ReportJob.status == JobStatus.RUNNING,
            ReportJob.attempts == attempt,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Superseded(f"report job {job_id} attempt {attempt} was taken over")
    commit()
    # Pages in the same session (inline runs in tests) must see the new values.
    db.session.expire_all()


def progress(
    *, job_id: int, attempt: int, done: int, total: int, source_key: str | None = None
) -> None:
    """Record how far the job has got, and that its worker is alive; with ``source_key``,
    what it is building from (see :func:`unfinished_like`)."""
    keyed = {"source_key": source_key} if source_key is not None else {}
    _set(job_id, attempt, done=done, total=total, heartbeat_at=utcnow(), **keyed)


def beat(*, job_id: int, attempt: int) -> None:
    """Record only that the worker is alive (during one long step). Raises Superseded when
    the run no longer owns the job."""
    _set(job_id, attempt, heartbeat_at=utcnow())


def finish(
    *,
    job_id: int,
    attempt: int,
    result_path: str | None,
    result_filename: str,
    source_key: str | None = None,
    covered: list[int] | None = None,
) -> None:
    now = utcnow()
    _set(
        job_id,
        attempt,
        status=JobStatus.DONE,
        result_path=result_path,
        result_filename=result_filename,
        source_key=source_key,
        covered=covered,
        heartbeat_at=now,
        finished_at=now,
    )


def fail(*, job_id: int, attempt: int, message: str) -> None:
    """Mark the job failed, first dropping whatever the failed build left unsaved in the
    session (it may be mid-transaction, or broken by a database error)."""
    db.session.rollback()
    now = utcnow()
    _set(job_id, attempt, status=JobStatus.FAILED, error=message, heartbeat_at=now, finished_at=now)


def requeue_stale(*, stale_after: timedelta, max_attempts: int) -> list[int]:
    """Jobs left by a worker that died, put back in the queue; returns their ids to enqueue.

    A running job whose heartbeat is older than ``stale_after`` is queued again, or failed
    once it has had ``max_attempts`` runs. A queued job that has waited that long is
    enqueued again too, in case its message never reached the queue: a duplicate message
    does no harm, since only one run can claim the job."""
    now = utcnow()
    cutoff = now - stale_after
    last_seen = func.coalesce(ReportJob.heartbeat_at, ReportJob.created_at)
    candidates = db.session.execute(
        select(ReportJob.id, ReportJob.status, ReportJob.attempts).where(
            or_(ReportJob.status == JobStatus.RUNNING, ReportJob.status == JobStatus.QUEUED),
            last_seen < cutoff,
        )
    ).all()
    again: list[int] = []
    for job_id, status, attempts in candidates:
        # Unchanged since it was read: a worker's beat or another sweep in between wins.
        unchanged = (
            ReportJob.id == job_id,
            ReportJob.status == status,
            ReportJob.attempts == attempts,
            last_seen < cutoff,
        )
        if status == JobStatus.RUNNING and attempts >= max_attempts:
            values: dict[str, Any] = {
                "status": JobStatus.FAILED,
                "finished_at": now,
                "error": (
                    f"The report could not be finished: the worker building it stopped "
                    f"{attempts} times. Try again, or tell the service's support."
                ),
            }
        else:
            values = {"status": JobStatus.QUEUED, "heartbeat_at": now}
        changed = db.session.execute(
            update(ReportJob)
            .where(*unchanged)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount == 1 and values["status"] == JobStatus.QUEUED:  # type: ignore[attr-defined]
            again.append(job_id)
    commit()
    return again
