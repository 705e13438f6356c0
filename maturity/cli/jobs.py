"""worker: run the background report jobs; build-reports: one from the command line."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from pathlib import Path

import click
from flask import current_app

from maturity.data import organisations, report_jobs
from maturity.domain.errors import DomainError
from maturity.domain.periods import InvalidPeriod, Period
from maturity.jobs import build, enqueue, huey, prerender
from maturity.jobs.queue import forget_unprioritised_queue
from maturity.models import JobKind, JobStatus


def default_workers() -> int:
    # Rendering a PDF keeps one core busy; more processes than cores only queue for them,
    # and a few at most leave the web server room on a shared machine.
    return max(1, min(4, os.cpu_count() or 1))


@click.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    show_default="the number of cores, at most 4",
    help="How many reports to build at once (one process each).",
)
def worker(workers: int) -> None:
    """Run the report worker: builds queued reports until stopped (Ctrl+C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # WeasyPrint reports every layout step at INFO: a line per page of every report.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    # Processes, not threads: rendering is CPU-bound Python, which threads cannot share.
    # Each process makes its own app (maturity/jobs/tasks.py); the periodic sweep queues
    # again the jobs of any worker that died.
    # A page is someone waiting; a render is not yet: on a machine shared with the web
    # servers, the workers take what processor time the pages leave.
    with contextlib.suppress(OSError):
        os.nice(current_app.config["REPORT_WORKER_NICE"])
    if forget_unprioritised_queue(huey):
        logging.getLogger(__name__).warning(
            "Removed the queue of an earlier release; its jobs are queued again by the sweep"
        )
    consumer = huey.create_consumer(workers=workers, worker_type="process", periodic=True)
    consumer.run()


@click.command("build-reports")
@click.argument("organisation")
@click.option(
    "--zip",
    "as_zip",
    is_flag=True,
    help="A ZIP of each overseen body's report, rather than the oversight PDF of them all.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF or ZIP.",
)
@click.option("--period", metavar="PERIOD", help="The oversight PDF's period (the latest if not).")
@click.option(
    "--queue",
    "use_queue",
    is_flag=True,
    help="Hand the job to the running workers and wait for it, rather than build it here.",
)
def build_reports(
    organisation: str, as_zip: bool, out: Path, period: str | None, use_queue: bool
) -> None:
    """Build the reports of every body ORGANISATION (slug or exact name) oversees, printing
    progress on standard error, and write the result to --out."""
    try:
        target = organisations.find(reference=organisation)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if period and not as_zip:
        # The web page offers only periods with assessments; here a typo must not quietly
        # give the latest period instead.
        try:
            periods = build.oversight_periods(organisation=target)
        except DomainError as error:
            raise click.ClickException(error.message) from error
        # "2017-18" and "2017/18" alike; not a period at all is said below.
        with contextlib.suppress(InvalidPeriod):
            period = Period.parse(period).label
        if period not in periods:
            raise click.ClickException(
                f"No body overseen by {target.name} has an assessment for {period!r}. "
                f"Periods: {', '.join(periods) or 'none'}"
            )
    parameters = {} if as_zip else prerender.oversight_parameters({"period": period})
    job = report_jobs.create(
        kind=JobKind.REPORTS_ZIP if as_zip else JobKind.OVERSIGHT_PDF,
        organisation=target,
        requested_by=None,
        parameters=parameters,
    )
    job_id = job.id
    if use_queue and not huey.immediate:
        enqueue(job_id)
        click.echo(f"Queued; waiting for a worker ({job.token})", err=True)
        _wait(job_id)
    else:
        build.run(
            job_id=job_id,
            on_progress=lambda done, total: click.echo(build.progress_text(done, total), err=True),
        )
    finished = report_jobs.fresh(job_id=job_id)
    if finished.status != JobStatus.DONE:
        raise click.ClickException(finished.error or "The reports could not be built")
    source = build.result_file(finished)
    if source is None:
        raise click.ClickException("The finished file has gone from the jobs folder")
    try:
        shutil.copyfile(source, out)
    except OSError as error:
        raise click.ClickException(f"Cannot write {out}: {error.strerror}") from error
    click.echo(f"Wrote {out} ({out.stat().st_size // 1024} KB) for {target.name}")


def _wait(job_id: int, interval: float = 1.0) -> None:
    """Print each change of progress until the job is done or failed."""
    last: tuple[object, ...] = ()
    while True:
        # Read anew each time: the worker writes the row from another process.
        job = report_jobs.fresh(job_id=job_id)
        now = (job.status, job.done, job.total)
        if now != last:
            if job.status in (JobStatus.RUNNING, JobStatus.DONE) and job.total:
                click.echo(build.progress_text(job.done, job.total), err=True)
            elif job.status == JobStatus.QUEUED and last:
                click.echo("Queued again (its worker stopped)", err=True)
            last = now
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return
        time.sleep(interval)


COMMANDS = [worker, build_reports]
