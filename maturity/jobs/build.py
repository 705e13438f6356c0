"""What a report job does: build an organisation's report or its one-page figure, the
oversight PDF, or a ZIP of one report per body, and keep the file for download.

Runs inside an app context (the worker's own app, see tasks.py); progress and the heartbeat
are written to the job's row after each body, so a page anywhere can show "3 of 12 bodies"
and a worker that dies is noticed (report_jobs.requeue_stale). Every read and write of the
row is in maturity/data/report_jobs.py.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from flask import current_app

from maturity.data import framework_choice, journey, report_jobs
from maturity.data import organisations as organisation_data
from maturity.data import oversight as oversight_data
from maturity.domain import portfolio as shape
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.progress import DomainInfo
from maturity.models import Framework, JobKind, Organisation, ReportJob
from maturity.reports import cache, figure_pdf, freshness, oversight_pdf, pdf

log = logging.getLogger(__name__)

# Told to the person when something unforeseen stops a job; the details go to the log.
UNEXPECTED = "The report could not be built because of an error in the service. Try again later."


class Progress(Protocol):
    """Records how far a builder has got; ``source_key`` once, as it starts, when the
    result is keyed by what it is built from (a download then waits for this run only if it
    is building the report the download names: maturity/views/downloads.py)."""

    def __call__(self, done: int, total: int, /, *, source_key: str | None = None) -> None: ...


# Where the built file is (its name in the jobs folder), its download name, what it was
# built from (see ReportJob.source_key) and the bodies it holds (ReportJob.covered).
Built = tuple[Path, str, str | None, list[int] | None]


def progress_text(done: int, total: int) -> str:
    """How far a job has got, as the job page and the command line say it."""
    return f"{done} of {total} {'body' if total == 1 else 'bodies'}"


def jobs_folder() -> Path:
    return Path(current_app.config["REPORT_JOBS_DIR"])


def result_file(job: ReportJob) -> Path | None:
    """The finished file, if it is (still) there. Only the name is stored, so servers that
    mount the shared folder at different places agree."""
    if not job.result_path:
        return None
    path = jobs_folder() / Path(job.result_path).name
    return path if path.is_file() else None


def run(*, job_id: int, on_progress: Callable[[int, int], None] | None = None) -> None:
    """Claim the job and build it; a job already taken or finished is left alone."""
    attempt = report_jobs.claim(job_id=job_id)
    if attempt is None:
        log.info("report job %s is not queued: nothing to do", job_id)
        return
    job = report_jobs.get(job_id=job_id)

    def report_progress(done: int, total: int, /, *, source_key: str | None = None) -> None:
        report_jobs.progress(
            job_id=job_id, attempt=attempt, done=done, total=total, source_key=source_key
        )
        if on_progress is not None:
            on_progress(done, total)

    try:
        with _heartbeat(job_id, attempt):
            path, filename, source_key, covered = BUILDERS[job.kind](job, report_progress)
    except report_jobs.Superseded:
        log.warning("report job %s attempt %s was taken over by another run", job_id, attempt)
        return
    except (DomainError, pdf.ReportError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        _fail(job_id, attempt, message)
        return
    except Exception:
        log.exception("report job %s attempt %s failed", job_id, attempt)
        _fail(job_id, attempt, UNEXPECTED)
        return
    try:
        report_jobs.finish(
            job_id=job_id,
            attempt=attempt,
            result_path=path.name,
            result_filename=filename,
            source_key=source_key,
            covered=covered,
        )
    except report_jobs.Superseded:
        log.warning("report job %s attempt %s finished after being taken over", job_id, attempt)


def _fail(job_id: int, attempt: int, message: str) -> None:
    try:
        report_jobs.fail(job_id=job_id, attempt=attempt, message=message)
    except report_jobs.Superseded:
        log.warning("report job %s attempt %s failed after being taken over", job_id, attempt)


@contextmanager
def _heartbeat(job_id: int, attempt: int) -> Iterator[None]:
    """Touch the job's heartbeat from a side thread while it runs: one long render (the
    oversight PDF of hundreds of bodies) must not look like a dead worker. The thread dies
    with its process, so a killed worker's job still goes stale."""
    every = max(1.0, current_app.config["REPORT_JOB_STALE_SECONDS"] / 4)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                # An app context of its own: its own database session, not the builder's.
                with app.app_context():
                    report_jobs.beat(job_id=job_id, attempt=attempt)
            except report_jobs.Superseded:
                return  # taken over: the builder finds out at its next progress write
            except Exception:  # a missed beat is retried; the next progress write beats too
                log.exception("report job %s: the heartbeat could not be written", job_id)

    thread = threading.Thread(target=beat, name=f"report-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _bodies(organisation: Organisation) -> list[shape.Body]:
    bodies = oversight_data.overseen(organisation=organisation)
    if not bodies:
        raise DomainError(f"{organisation.name} does not oversee any other body")
    return bodies


def _framework(job: ReportJob, bodies: list[shape.Body]) -> Framework:
    """The framework the oversight page showed when the job was asked for (as the page
    chooses it: one the bodies assessed on, else the default)."""
    return _framework_of(bodies, job.parameters.get("framework"))


def oversight_periods(
    *, organisation: Organisation, framework_key: str | None = None
) -> tuple[str, ...]:
    """The periods an oversight PDF of ``organisation``'s bodies can be of, oldest first,
    so a period asked for on the command line can be checked before the job is queued."""
    bodies = _bodies(organisation)
    return oversight_data.periods(framework=_framework_of(bodies, framework_key), bodies=bodies)


def _framework_of(bodies: list[shape.Body], key: str | None) -> Framework:
    options = journey.frameworks_used(organisation_ids=[body.id for body in bodies])
    chosen = next((f for f in options if f.key == key), None)
    if key and chosen is None:
        raise DomainError(f"None of the bodies has assessed on the framework {key!r}")
    return chosen or options[0]


def _organisation_pdf(job: ReportJob, report_progress: Progress) -> Built:
    """An organisation's full report as its download link asks for it (maturity/views/
    reports.py); also built in the background because its data changed."""
    return _one_organisations(job, report_progress, pdf.prepare_organisation_report)


def _figure_pdf(job: ReportJob, report_progress: Progress) -> Built:
    """An organisation's Figure 8 on one page, as its download link asks for it (maturity/
    views/figures.py): as the full report."""
    return _one_organisations(job, report_progress, figure_pdf.prepare_figure_report)


def _one_organisations(
    job: ReportJob, report_progress: Progress, prepare: Callable[..., pdf.PreparedReport]
) -> Built:
    """One of an organisation's reports, keyed as its download looks it up
    (maturity/reports/freshness.py): the key is taken before the data is read, so a change
    committed meanwhile makes a file newer than its key, never one staler."""
    organisation = job.organisation
    asked = job.parameters
    day = pdf.today()
    source_key = freshness.organisation_key(
        organisation=organisation, kind=job.kind.value, parameters=asked, day=day
    )
    framework, _ = framework_choice.framework_to_show(
        organisation=organisation, key=asked.get("framework")
    )
    report_progress(0, 1, source_key=source_key)
    # Built already from the same key (the same report queued twice, as by the new-day
    # renders of two workers): that file is this one.
    for earlier in report_jobs.built_from(
        organisation=organisation, kind=job.kind, source_key=source_key
    ):
        if (found := result_file(earlier)) is not None and earlier.result_filename:
            report_progress(1, 1)
            return found, earlier.result_filename, source_key, None
    prepared = prepare(
        organisation=organisation,
        framework=framework,
        first=asked.get("from"),
        last=asked.get("to"),
        generated_on=day,
    )
    path = jobs_folder() / f"{job.token}.pdf"
    cache.write_atomically(path, pdf.to_pdf(prepared.html))
    report_progress(1, 1)
    return path, prepared.filename, source_key, None


def _oversight_pdf(job: ReportJob, report_progress: Progress) -> Built:
    """The oversight PDF as the oversight page's PDF link gives it, for the framework and
    period chosen when the job was asked for (the latest period, if that one has gone).
    Its key is taken before anything else is read (see maturity/reports/freshness.py); a
    file already built from the same key is used again instead of being rebuilt."""
    organisation = job.organisation
    day = pdf.today()
    source_key = freshness.oversight_key(
        organisation=organisation, parameters=job.parameters, day=day
    )
    for earlier in report_jobs.built_from(
        organisation=organisation, kind=JobKind.OVERSIGHT_PDF, source_key=source_key
    ):
        if (found := result_file(earlier)) is not None and earlier.result_filename:
            report_progress(earlier.total, earlier.total, source_key=source_key)
            return found, earlier.result_filename, source_key, earlier.covered
    bodies = _bodies(organisation)
    framework = _framework(job, bodies)
    report_progress(0, len(bodies), source_key=source_key)
    periods = oversight_data.periods(framework=framework, bodies=bodies)
    levels = oversight_data.levels(framework=framework, bodies=bodies)
    portfolio = shape.build(
        bodies=bodies,
        data=levels,
        levels=tuple(level.name for level in framework.levels),
        domains=tuple(DomainInfo(d.key, d.name, d.colour) for d in framework.domains),
        period=shape.choose_period(job.parameters.get("period"), periods),
        sort=job.parameters.get("sort"),
        periods=periods,
    )
    # One document: WeasyPrint lays out every body's page in one go, so progress moves
    # from none to all.
    report = oversight_pdf.oversight_report(
        title=f"Bodies overseen by {organisation.name}",
        slug=organisation.slug,
        framework=framework,
        portfolio=portfolio,
        data=levels,
        day=day,
    )
    path = jobs_folder() / f"{job.token}.pdf"
    cache.write_atomically(path, report.content)
    report_progress(len(bodies), len(bodies))
    return path, report.filename, source_key, [body.id for body in bodies]


def _entry(filename: str) -> zipfile.ZipInfo:
    """A ZIP member readable by everyone who unpacks it (writestr with a bare name gives
    owner-only files, which colleagues on a shared drive then cannot open)."""
    info = zipfile.ZipInfo(filename, date_time=time.localtime()[:6])
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _reports_zip(job: ReportJob, report_progress: Progress) -> Built:
    """One organisation report per overseen body, written into a ZIP as each is made."""
    organisation = job.organisation
    bodies = _bodies(organisation)
    framework = _framework(job, bodies)
    total = len(bodies)
    report_progress(0, total)
    folder = jobs_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.token}.zip"
    # Built under a temporary name and moved into place whole: a download never gets a
    # half-written ZIP, and a worker that dies leaves only a temporary file.
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".zip")
    written: list[int] = []
    try:
        with os.fdopen(fd, "wb") as handle:
            # Stored, not deflated: PDFs are compressed already.
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                for done, body in enumerate(bodies, start=1):
                    try:
                        target = organisation_data.get(organisation_id=body.id)
                    except NotFound:  # removed since the list was read
                        report_progress(done, total)
                        continue
                    report = pdf.organisation_report(
                        organisation=target,
                        framework=framework,
                        first=job.parameters.get("from"),
                        last=job.parameters.get("to"),
                    )
                    archive.writestr(_entry(report.filename), report.content)
                    written.append(body.id)
                    report_progress(done, total)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path, f"maturity-reports-{organisation.slug}.zip", None, written


BUILDERS: dict[JobKind, Callable[[ReportJob, Progress], Built]] = {
    JobKind.ORGANISATION_PDF: _organisation_pdf,
    JobKind.FIGURE_PDF: _figure_pdf,
    JobKind.OVERSIGHT_PDF: _oversight_pdf,
    JobKind.REPORTS_ZIP: _reports_zip,
}
