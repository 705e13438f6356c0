"""The Huey tasks: build a report job, put back the jobs of workers that died, queue the
new day's reports, and forget drafts nobody came back for.

A worker process has no Flask app of its own: it makes one, once, the first time it needs
it (per process id, so forked worker processes never share the parent's database
connections). Tests keep the queue in memory (``JOBS_IN_MEMORY``) and run what it holds
with :func:`run_queued`, in their own app.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app, has_app_context
from huey import crontab

from maturity.data import drafts, report_jobs
from maturity.jobs import build, prerender
from maturity.jobs.queue import PRIORITY_REQUESTED, huey
from maturity.reports import pdf

log = logging.getLogger(__name__)

# Finished jobs nobody will look for again are forgotten after this long.
KEEP_BACKGROUND_JOBS = timedelta(days=1)

_apps: dict[int, Flask] = {}
# The app tasks run in when the queue is run in this process (tests): see run_queued.
_in_process: list[Flask] = []


def _worker_app() -> Flask:
    pid = os.getpid()
    if pid not in _apps:
        from maturity import create_app

        _apps[pid] = create_app()
    return _apps[pid]


@contextmanager
def app_context() -> Iterator[None]:
    if _in_process:
        if has_app_context():
            yield
        else:
            with _in_process[0].app_context():
                yield
        return
    with _worker_app().app_context():
        yield


@huey.task()
def build_report(job_id: int) -> None:
    with app_context():
        build.run(job_id=job_id)


def enqueue(job_id: int, *, priority: int = PRIORITY_REQUESTED, delay: float = 0) -> None:
    """Hand the job to the workers, after ``delay`` seconds. If the queue cannot be reached
    the job stays queued in the database, and the stale-job sweep enqueues it again later."""
    try:
        if delay:
            build_report.schedule(args=(job_id,), delay=delay, priority=priority)
        else:
            build_report(job_id, priority=priority)
    except Exception:
        log.exception("report job %s could not be enqueued; the sweep will retry", job_id)


def run_queued(app: Flask) -> int:
    """Run every task in the (in-memory) queue, delayed ones included, in ``app``'s context,
    as a worker would, until none is left; returns how many ran. For tests, and the browser
    tests' worker thread: a real deployment runs ``flask --app maturity worker``."""
    _in_process[:] = [app]
    ran = 0
    while True:
        # A delayed task is run now: the test, not the clock, says when workers get to it.
        tasks = [task] if (task := huey.dequeue()) else huey.read_schedule(datetime.max)
        if not tasks:
            return ran
        for task in tasks:
            huey.execute(task, timestamp=datetime.max)
            ran += 1


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
    report_jobs.remove_finished_background(older_than=KEEP_BACKGROUND_JOBS)
    remove_unreferenced_files(timedelta(seconds=config["REPORT_JOB_STALE_SECONDS"]))
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


def remove_unreferenced_files(older_than: timedelta) -> int:
    """Results no job refers to any more (their jobs were forgotten: see recover). Only
    files older than ``older_than``: a worker writes its file before it records the job
    finished. Returns how many were removed."""
    folder = build.jobs_folder()
    if not folder.is_dir():
        return 0
    kept = report_jobs.result_names()
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder.iterdir():
        if path.name.startswith(".tmp-") or path.name in kept or not path.is_file():
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


@huey.periodic_task(crontab(minute="*"))
def recover_stale_jobs() -> None:
    with app_context():
        recover()


def five_past_midnight_in_the_uk(moment: datetime) -> bool:
    """When the new-day renders are due: ``moment`` is the consumer's clock, in UTC without
    a zone, and the UK's midnight is 00:00 UTC in winter, 23:00 UTC in summer."""
    local = moment.replace(tzinfo=UTC).astimezone(pdf.LOCAL_TIME)
    return local.hour == 0 and local.minute == 5


def new_day_claimed(day: date) -> bool:
    """Whether this worker is the first to start ``day``'s renders: every worker process
    runs the periodic tasks, and they share the queue's storage (Redis, or the SQLite file),
    so only one of them queues the day's renders."""
    return bool(huey.put_if_empty(f"maturity.new-day.{day.isoformat()}", "1"))


# Ahead of the renders in the queue: a backlog must not push it into another day.
@huey.periodic_task(five_past_midnight_in_the_uk, priority=PRIORITY_REQUESTED)
def render_for_the_new_day() -> None:
    with app_context():
        day = pdf.today()
        if not new_day_claimed(day):
            log.info("the reports for %s are being queued by another worker", day)
            return
        queued = prerender.new_day()
        log.info("a new day (%s): reports of %d organisations queued", day, len(queued))


# Hourly, so a draft goes within the hour of its time, whichever worker runs it (deleting is
# the same done twice).
@huey.periodic_task(crontab(minute="20"))
def forget_old_drafts() -> None:
    with app_context():
        keep = timedelta(days=current_app.config["DRAFT_KEEP_DAYS"])
        cutoff = datetime.now(UTC).replace(tzinfo=None) - keep
        if forgotten := drafts.forget_older_than(cutoff=cutoff):
            log.info("%d drafts last typed into before %s deleted", forgotten, cutoff)


@huey.on_startup()
def recover_when_a_worker_starts() -> None:
    with app_context():
        recover()
