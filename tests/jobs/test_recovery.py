"""A worker that dies mid-job leaves the job retryable, not lost: a running job whose
heartbeat is stale is queued again (up to a limit), and only one run can own a job."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from maturity.data import report_jobs
from maturity.extensions import db
from maturity.jobs import tasks
from maturity.models import JobKind, JobStatus, ReportJob
from tests.conftest import run_jobs
from tests.jobs.conftest import Tree


def _job(tree: Tree, kind: JobKind = JobKind.REPORTS_ZIP) -> ReportJob:
    return report_jobs.create(
        kind=kind, organisation=tree.department, requested_by=tree.overseer, parameters={}
    )


def _as_if_a_worker_died(job: ReportJob, *, attempts: int, minutes_ago: int) -> None:
    """The row a worker leaves when killed mid-job: running, its heartbeat long gone."""
    then = report_jobs.utcnow() - timedelta(minutes=minutes_ago)
    db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job.id)
        .values(status=JobStatus.RUNNING, attempts=attempts, done=1, total=2, heartbeat_at=then)
    )
    db.session.commit()


def _reloaded(job: ReportJob) -> ReportJob:
    db.session.expire_all()
    found = db.session.get(ReportJob, job.id)
    assert found is not None
    return found


def test_a_stale_running_job_is_queued_again_and_completes(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_JOB_STALE_SECONDS", 600)
    job = _job(tree)
    _as_if_a_worker_died(job, attempts=1, minutes_ago=11)
    assert tasks.recover() == [job.id]
    assert run_jobs() == 1  # queued again, and a worker builds it
    job = _reloaded(job)
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert (job.done, job.total) == (2, 2)


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_JOB_STALE_SECONDS", 600)
    job = _job(tree)
    _as_if_a_worker_died(job, attempts=1, minutes_ago=9)
    assert tasks.recover() == []
    assert _reloaded(job).status == JobStatus.RUNNING


def test_after_the_last_attempt_the_job_fails_with_a_message(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_JOB_MAX_ATTEMPTS", 3)
    job = _job(tree)
    _as_if_a_worker_died(job, attempts=3, minutes_ago=60)
    assert tasks.recover() == []
    job = _reloaded(job)
    assert job.status == JobStatus.FAILED
    assert "the worker building it stopped 3 times" in job.error
    assert job.finished_at is not None


def test_only_one_run_can_claim_a_job(tree):
    job = _job(tree)
    assert report_jobs.claim(job_id=job.id) == 1
    assert report_jobs.claim(job_id=job.id) is None
    assert _reloaded(job).status == JobStatus.RUNNING


def test_a_run_that_was_taken_over_stops_and_does_not_overwrite(tree):
    job = _job(tree)
    first = report_jobs.claim(job_id=job.id)
    assert first == 1
    # Judged dead and queued again; another worker claims it.
    db.session.execute(
        update(ReportJob).where(ReportJob.id == job.id).values(status=JobStatus.QUEUED)
    )
    db.session.commit()
    assert report_jobs.claim(job_id=job.id) == 2
    with pytest.raises(report_jobs.Superseded):
        report_jobs.progress(job_id=job.id, attempt=first, done=1, total=2)
    with pytest.raises(report_jobs.Superseded):
        report_jobs.fail(job_id=job.id, attempt=first, message="late news")
    job = _reloaded(job)
    assert (job.status, job.attempts, job.error) == (JobStatus.RUNNING, 2, "")


def test_a_job_whose_message_never_reached_the_queue_is_enqueued_later(app, tree):
    job = _job(tree)
    db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job.id)
        .values(created_at=report_jobs.utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    assert tasks.recover() == [job.id]
    run_jobs()
    assert _reloaded(job).status == JobStatus.DONE


def test_a_long_step_keeps_the_heartbeat_fresh(app, tree, monkeypatch):
    """One long render (the oversight PDF of many bodies) must not look like a dead worker."""
    from maturity.jobs import build

    monkeypatch.setitem(app.config, "REPORT_JOB_STALE_SECONDS", 4)  # a beat every second
    seen: list[object] = []

    def heartbeat() -> object:
        with db.engine.connect() as connection:
            return connection.scalar(select(ReportJob.heartbeat_at).where(ReportJob.id == job.id))

    def slow_build(job_row, report_progress):  # type: ignore[no-untyped-def]
        seen.append(heartbeat())
        time.sleep(2.5)
        seen.append(heartbeat())
        path = build.jobs_folder() / f"{job_row.token}.zip"
        path.write_bytes(b"")
        return path, "slow.zip", None, []

    monkeypatch.setitem(build.BUILDERS, JobKind.REPORTS_ZIP, slow_build)
    job = _job(tree)
    build.run(job_id=job.id)
    assert seen[1] > seen[0]
    assert _reloaded(job).status == JobStatus.DONE
