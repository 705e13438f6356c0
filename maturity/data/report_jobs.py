"""Reads and writes of ReportJob rows: the job's state is in the database, never only in
the queue, so any web server can show it and any worker can take it over.

Each change of state is a conditional UPDATE (compare and set) so that two workers, or a
worker and the stale-job sweep, can never both believe they own a job.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from maturity.data import commit
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
    job = ReportJob(
        token=secrets.token_urlsafe(24),
        kind=kind,
        status=JobStatus.QUEUED,
        organisation=organisation,
        requested_by=requested_by,
        parameters=parameters,
        done=0,
        total=0,
        attempts=0,
        error="",
        created_at=utcnow(),
    )
    db.session.add(job)
    commit(
        on_integrity_error=DomainError(
            "The report could not be queued: try again in a moment", field="kind"
        )
    )
    return job


def get(*, job_id: int) -> ReportJob:
    job = db.session.get(ReportJob, job_id)
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
    return job


def recent(*, organisation: Organisation, user: User, limit: int = 10) -> list[ReportJob]:
    """The person's own latest jobs for this organisation, newest first."""
    query = (
        select(ReportJob)
        .where(ReportJob.organisation_id == organisation.id, ReportJob.requested_by_id == user.id)
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def unfinished(*, user: User) -> list[ReportJob]:
    """The person's jobs still queued or running, in every organisation."""
    query = select(ReportJob).where(
        ReportJob.requested_by_id == user.id,
        ReportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
    )
    return list(db.session.scalars(query))


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


def progress(*, job_id: int, attempt: int, done: int, total: int) -> None:
    """Record how far the job has got, and that its worker is alive."""
    _set(job_id, attempt, done=done, total=total, heartbeat_at=utcnow())


def beat(*, job_id: int, attempt: int) -> None:
    """Record only that the worker is alive (during one long step). Raises Superseded when
    the run no longer owns the job."""
    _set(job_id, attempt, heartbeat_at=utcnow())


def finish(*, job_id: int, attempt: int, result_path: str, result_filename: str) -> None:
    now = utcnow()
    _set(
        job_id,
        attempt,
        status=JobStatus.DONE,
        result_path=result_path,
        result_filename=result_filename,
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
