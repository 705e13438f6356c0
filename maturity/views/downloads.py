"""Answering a report download without rendering it: the file if a worker has built it,
else a page that says it is being prepared and waits for it.

Web servers never run WeasyPrint (maturity/reports/pdf.py imports it only to render): a
download is a file read, or a job handed to the report workers (maturity/jobs). The page
that waits is answered with 202 Accepted; its script follows the job and fetches the file
when it is ready, and without the script its "Check again" link does the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, make_response, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import framework_choice, report_jobs
from maturity.domain.errors import DomainError
from maturity.jobs import build, enqueue, prerender
from maturity.jobs.queue import PRIORITY_REQUESTED
from maturity.models import JobKind, JobStatus, Organisation, ReportJob
from maturity.reports import freshness, pdf

# How soon the waiting page (or a client honouring Retry-After) asks again, in seconds.
RETRY_AFTER = 2
MIMETYPES = {
    JobKind.ORGANISATION_PDF: "application/pdf",
    JobKind.FIGURE_PDF: "application/pdf",
    JobKind.OVERSIGHT_PDF: "application/pdf",
    JobKind.REPORTS_ZIP: "application/zip",
}

# Asked for by an organisation's download links (its report, its one-page figure) and
# answered there, rather than listed among a person's prepared reports.
ORGANISATION_DOWNLOADS = (JobKind.ORGANISATION_PDF, JobKind.FIGURE_PDF)


def send_result(kind: JobKind, path: Path, filename: str) -> ResponseReturnValue:
    return send_file(path, mimetype=MIMETYPES[kind], download_name=filename, as_attachment=True)


def built(
    *, organisation: Organisation, kind: JobKind, source_key: str
) -> ResponseReturnValue | None:
    """The file a finished job built from ``source_key``, if one is still kept."""
    for job in report_jobs.built_from(organisation=organisation, kind=kind, source_key=source_key):
        if (path := build.result_file(job)) is not None and job.result_filename:
            return send_result(kind, path, job.result_filename)
    return None


def file_or_wait(
    *, organisation: Organisation, kind: JobKind, parameters: dict[str, Any], source_key: str
) -> ResponseReturnValue:
    """The file built from ``source_key`` if a worker has built it, else the page that waits
    for the job that will (see :func:`wait_for`)."""
    found = built(organisation=organisation, kind=kind, source_key=source_key)
    if found is not None:
        return found
    return wait_for(
        organisation=organisation, kind=kind, parameters=parameters, source_key=source_key
    )


def organisation_report(organisation: Organisation, kind: JobKind) -> ResponseReturnValue:
    """A download of one of the organisation's reports (its full report, or Figure 8 alone)
    for the periods and framework the address asks for, named by what it is built from
    (maturity/reports/freshness.py) rather than built here. The caller has checked who may
    read the organisation; a framework it has no use of is not found, as on its pages."""
    key = request.args.get("framework")
    if key and not framework_choice.may_show(organisation=organisation, key=key):
        abort(404)
    try:
        pdf.check_periods(request.args.get("from"), request.args.get("to"))
    except DomainError as error:
        # The periods come from the address, not a form: the message is the page's heading.
        return render_template("errors/error.html", code=400, title=error.message), 400
    parameters = prerender.organisation_parameters(request.args)
    source_key = freshness.organisation_key(
        organisation=organisation, kind=kind.value, parameters=parameters, day=pdf.today()
    )
    return file_or_wait(
        organisation=organisation, kind=kind, parameters=parameters, source_key=source_key
    )


def check_oversight_framework(organisation: Organisation, key: str | None) -> None:
    """A framework none of the bodies has used is not found, as on the oversight page,
    before any job is queued for it (the job could only fail)."""
    if key and not framework_choice.oversight_may_show(organisation=organisation, key=key):
        abort(404)


def wait_for(
    *, organisation: Organisation, kind: JobKind, parameters: dict[str, Any], source_key: str
) -> ResponseReturnValue:
    """The "being prepared" page of the job that will build this report from
    ``source_key``: one already on its way (whoever asked for it, or a render queued
    because the data changed, which is then moved ahead of the background ones), else a
    new one."""
    job = report_jobs.unfinished_like(
        organisation=organisation, kind=kind, parameters=parameters, source_key=source_key
    )
    if job is None:
        job = report_jobs.create(
            kind=kind, organisation=organisation, requested_by=current_user, parameters=parameters
        )
        enqueue(job.id, priority=PRIORITY_REQUESTED)
    elif report_jobs.promote(job=job, user=current_user):
        # Its queued message waits out the background delay; this one is taken first, and
        # whichever runs second finds the job claimed and does nothing.
        enqueue(job.id, priority=PRIORITY_REQUESTED)
    return preparing(organisation, job)


def preparing(organisation: Organisation, job: ReportJob) -> ResponseReturnValue:
    """The page a download shows while its job is not finished (202), or the reason it
    failed (500: the report could not be made, and asking again will not change that until
    the service is fixed)."""
    from maturity.views.jobs import job_state  # jobs' views use this module's answers too

    state = job_state(organisation, job)
    failed = job.status == JobStatus.FAILED
    response = make_response(
        render_template(
            "jobs/preparing.html",
            organisation=organisation,
            job=job,
            state=state,
            retry_url=url_for("jobs.download", slug=organisation.slug, token=job.token),
            back=back_link(organisation, job),
        ),
        500 if failed else 202,
    )
    if not failed:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def back_link(organisation: Organisation, job: ReportJob) -> tuple[str, str]:
    """Where the person came from to ask for the report, and its name."""
    if job.kind in ORGANISATION_DOWNLOADS:
        return url_for("organisations.show", slug=organisation.slug), organisation.name
    return (
        url_for("oversight.show", slug=organisation.slug),
        f"Bodies overseen by {organisation.name}",
    )
