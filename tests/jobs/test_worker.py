"""A real worker (``flask --app maturity worker``) killed mid-job: the job is not lost.

Starts the worker as another process on a throwaway SQLite queue, kills it with SIGKILL
once it has finished one body of a ZIP, then starts another worker, which finds the job
stale on starting, queues it again and completes it.
"""

from __future__ import annotations

import signal
import subprocess
import time
import zipfile
from pathlib import Path

from flask import Flask

from maturity.data import report_jobs
from maturity.jobs import queue, tasks
from maturity.models import JobKind, JobStatus
from tests.jobs import workers
from tests.jobs.conftest import department_with

STALE_SECONDS = 2


def _environment(app: Flask, tmp_path: Path) -> dict[str, str]:
    return workers.environment(
        app,
        tmp_path,
        stale_seconds=STALE_SECONDS,
        queue={"HUEY_SQLITE_PATH": str(tmp_path / "huey.db")},
    )


def _worker(app: Flask, tmp_path: Path) -> subprocess.Popen[bytes]:
    return workers.start(_environment(app, tmp_path), tmp_path / "worker.log")


@workers.no_flask_command
def test_a_worker_killed_mid_job_leaves_it_to_be_retried_and_completed(app, tmp_path):
    tree = department_with(3)
    job = report_jobs.create(
        kind=JobKind.REPORTS_ZIP,
        organisation=tree.department,
        requested_by=tree.overseer,
        parameters={},
    )
    job_id = job.id
    # Enqueued as a web server would, on the worker's queue (the tests' own is in memory).
    web_queue = queue.make_huey({"HUEY_SQLITE_PATH": str(tmp_path / "huey.db")})
    web_queue._registry.register(tasks.build_report.task_class)
    web_queue.enqueue(tasks.build_report.s(job_id))
    log = tmp_path / "worker.log"

    first = _worker(app, tmp_path)
    try:
        workers.until(
            lambda: workers.job_now(job_id).done >= 1, seconds=60, what="one body is done", log=log
        )
    finally:
        workers.stop(first, signal.SIGKILL)
    killed = workers.job_now(job_id)
    assert killed.status == JobStatus.RUNNING
    assert killed.attempts == 1
    assert 1 <= killed.done < 3, "the job must be killed mid-way for this test to mean much"

    time.sleep(STALE_SECONDS + 0.5)  # until the dead worker's heartbeat is stale
    second = _worker(app, tmp_path)
    try:
        workers.until(
            lambda: workers.job_now(job_id).status in (JobStatus.DONE, JobStatus.FAILED),
            seconds=60,
            what="the job is finished",
            log=log,
        )
    finally:
        workers.stop(second, signal.SIGINT)
    done = workers.job_now(job_id)
    assert (done.status, done.error) == (JobStatus.DONE, "")
    assert done.attempts == 2
    assert (done.done, done.total) == (3, 3)
    with app.test_request_context():
        from maturity.jobs import build

        path = build.result_file(done)
    assert path is not None
    assert len(zipfile.ZipFile(path).namelist()) == 3
    # The killed worker's half-written ZIP was cleared away by the second on starting.
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


@workers.no_flask_command
def test_build_reports_with_queue_waits_for_a_worker_and_prints_progress(app, tmp_path):
    department_with(2, periods=("2018",))  # short reports: the waiting is what is tested
    out = tmp_path / "reports.zip"
    worker = _worker(app, tmp_path)
    try:
        command = ["build-reports", "department", "--zip", "--queue", "--out", str(out)]
        result = subprocess.run(
            [str(workers.FLASK), "--app", "maturity", *command],
            env=_environment(app, tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        workers.stop(worker, signal.SIGINT)
    assert result.returncode == 0, result.stderr
    progress = result.stderr.splitlines()
    assert progress[0].startswith("Queued; waiting for a worker")
    assert progress[-1] == "2 of 2 bodies"
    assert "Wrote" in result.stdout
    assert len(zipfile.ZipFile(out).namelist()) == 2
