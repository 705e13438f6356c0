"""The Huey tasks: build a report job, and put back the jobs of workers that died.

A worker process has no Flask app of its own: it makes one, once, the first time it needs
it (per process id, so forked worker processes never share the parent's database
connections). In immediate mode (tests) tasks run inline, in the caller's app context.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from huey import crontab

from maturity.data import report_jobs
from maturity.jobs import build
from maturity.jobs.queue import huey

log = logging.getLogger(__name__)

_apps: dict[int, Flask] = {}


def _worker_app() -> Flask:
    pid = os.getpid()
    if pid not in _apps:
        from maturity import create_app

        _apps[pid] = create_app()
    return _apps[pid]


@contextmanager
def app_context() -> Iterator[None]:
    if huey.immediate and has_app_context():
        yield
        return
    with _worker_app().app_context():
        yield


@huey.task()
def build_report(job_id: int) -> None:
    with app_context():
        build.run(job_id=job_id)


def enqueue(job_id: int) -> None:
    """Hand the job to the workers. If the queue cannot be reached the job stays queued in
    the database, and the stale-job sweep enqueues it again later."""
    try:
        build_report(job_id)
    except Exception:
        if huey.immediate:
            raise
        log.exception("report job %s could not be enqueued; the sweep will retry", job_id)


def recover() -> list[int]:
    """Queue again the jobs of workers that died (see report_jobs.requeue_stale)."""
    config = current_app.config
    again = report_jobs.requeue_stale(
        stale_after=timedelta(seconds=config["REPORT_JOB_STALE_SECONDS"]),
        max_attempts=config["REPORT_JOB_MAX_ATTEMPTS"],
    )
    for job_id in again:
        # Its worker stopped (or its message was lost): only one run can claim it.
        log.warning("report job %s had made no progress for too long: queued again", job_id)
        enqueue(job_id)
    remove_abandoned_files(timedelta(seconds=config["REPORT_JOB_STALE_SECONDS"]))
    return again


def remove_abandoned_files(older_than: timedelta) -> int:
    """Half-written results of workers that died (a live one writes to its file after each
    body, so its file is never this old). Returns how many were removed."""
    folder = build.jobs_folder()
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder.glob(".tmp-*") if folder.is_dir() else ():
        with contextlib.suppress(FileNotFoundError):  # another worker's sweep got there first
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


@huey.periodic_task(crontab(minute="*"))
def recover_stale_jobs() -> None:
    with app_context():
        recover()


@huey.on_startup()
def recover_when_a_worker_starts() -> None:
    with app_context():
        recover()
