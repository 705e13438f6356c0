"""Reports built in the background: ask for one from the oversight page, watch its progress,
download it when done.

Whoever may read an organisation's oversight page may ask for and see its jobs (the same
rule, organisation_for with the viewer role); anyone else is told they do not exist. A job
is named by its random token, never by its id.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user

from maturity.data import report_jobs
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.jobs import build, enqueue, prerender
from maturity.jobs.queue import PRIORITY_REQUESTED
from maturity.models import JobKind, JobStatus, Organisation, ReportJob
from maturity.reports import freshness, pdf
from maturity.reports.pdf import LOCAL_TIME
from maturity.views import downloads
from maturity.views.auth import organisation_for, require_sign_in

bp = Blueprint("jobs", __name__)
bp.before_request(require_sign_in)

# Each job keeps a worker busy for a while: one person may not queue up the whole service.
UNFINISHED_PER_PERSON = 4
LABELS = {
    JobKind.ORGANISATION_PDF: "PDF report",
    JobKind.FIGURE_PDF: "Figure 8 only (PDF, one page)",
    JobKind.OVERSIGHT_PDF: "PDF of all bodies",
    JobKind.REPORTS_ZIP: "ZIP of each body's report",
}
STATUS_TEXT = {
    JobStatus.QUEUED: "Waiting to start",
    JobStatus.RUNNING: "In progress",
    JobStatus.DONE: "Ready",
    JobStatus.FAILED: "Failed",
}


def local_time(moment: datetime) -> str:
    """A stored (naive UTC) time as the service's readers in the UK read it."""
    when = moment.replace(tzinfo=UTC).astimezone(LOCAL_TIME)
    return f"{when.day} {when:%B %Y %H:%M}"


@bp.app_template_filter("job_time")
def _job_time(moment: datetime) -> str:
    return local_time(moment)


def _organisation(slug: str) -> Organisation:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    return organisation


def _job(slug: str, token: str) -> tuple[Organisation, ReportJob]:
    organisation = _organisation(slug)
    try:
        return organisation, report_jobs.find(organisation=organisation, token=token)
    except NotFound:
        abort(404)


def _prepare(slug: str, kind: JobKind) -> ResponseReturnValue:
    organisation = _organisation(slug)
    # What the oversight page showed, so the report is of the same thing.
    parameters = prerender.oversight_parameters(request.form)
    if kind == JobKind.REPORTS_ZIP:
        parameters.pop("period", None)  # every body's whole history
    downloads.check_oversight_framework(organisation, parameters.get("framework"))
    # A running PDF counts only if it is building from the bodies as they are now; a ZIP has
    # no such key, so only a queued one counts (see report_jobs.unfinished_like).
    source_key = (
        freshness.oversight_key(organisation=organisation, parameters=parameters, day=pdf.today())
        if kind == JobKind.OVERSIGHT_PDF
        else None
    )
    same = report_jobs.unfinished_like(
        organisation=organisation, kind=kind, parameters=parameters, source_key=source_key
    )
    if same is not None:
        # Asked twice (a double click, a reload, a colleague, or a render queued because
        # the data changed): the one already on its way answers all of them.
        if report_jobs.promote(job=same, user=current_user):
            enqueue(same.id, priority=PRIORITY_REQUESTED)
        return redirect(url_for("jobs.show", slug=organisation.slug, token=same.token), code=303)
    waiting = report_jobs.unfinished(user=current_user)
    try:
        if len(waiting) >= UNFINISHED_PER_PERSON:
            raise DomainError(
                f"You already have {len(waiting)} reports being prepared. "
                "Wait for one of them to finish, then ask again."
            )
        job = report_jobs.create(
            kind=kind, organisation=organisation, requested_by=current_user, parameters=parameters
        )
    except DomainError as error:
        return _index(organisation, errors=[{"text": error.message, "href": "#recent"}], code=409)
    enqueue(job.id, priority=PRIORITY_REQUESTED)
    return redirect(url_for("jobs.show", slug=organisation.slug, token=job.token), code=303)


@bp.post("/organisations/<slug>/oversight/prepare-pdf")
def prepare_pdf(slug: str) -> ResponseReturnValue:
    return _prepare(slug, JobKind.OVERSIGHT_PDF)


@bp.post("/organisations/<slug>/oversight/prepare-zip")
def prepare_zip(slug: str) -> ResponseReturnValue:
    return _prepare(slug, JobKind.REPORTS_ZIP)


def _index(
    organisation: Organisation, *, errors: list[dict[str, str]] | None = None, code: int = 200
) -> ResponseReturnValue:
    jobs = report_jobs.recent(organisation=organisation, user=current_user)
    return (
        render_template(
            "jobs/index.html",
            organisation=organisation,
            jobs=jobs,
            labels=LABELS,
            status_text=STATUS_TEXT,
            error_list=errors,
        ),
        code,
    )


@bp.get("/organisations/<slug>/reports")
def index(slug: str) -> ResponseReturnValue:
    return _index(_organisation(slug))


def _progress(job: ReportJob) -> str:
    # One organisation's report is one document, not a count of bodies: "Ready" says it.
    if job.status == JobStatus.DONE and job.kind in downloads.ORGANISATION_DOWNLOADS:
        return ""
    if job.status == JobStatus.DONE:
        return build.progress_text(job.total, job.total) if job.total else ""
    if job.status == JobStatus.RUNNING and job.kind in downloads.ORGANISATION_DOWNLOADS:
        return "Drawing the report's pages"
    if job.status == JobStatus.RUNNING and job.total:
        return build.progress_text(job.done, job.total)
    if job.status == JobStatus.RUNNING:
        return "Starting"
    if job.status == JobStatus.QUEUED:
        ahead = report_jobs.ahead_of(job=job)
        if ahead:
            return f"{ahead} {'report' if ahead == 1 else 'reports'} ahead of this one"
        return "Next to be prepared"
    return ""


def job_state(organisation: Organisation, job: ReportJob) -> dict[str, object]:
    """What the page shows, and the JSON the page's script polls, from one place."""
    ready = job.status == JobStatus.DONE and build.result_file(job) is not None
    return {
        "status": job.status.value,
        "status_text": STATUS_TEXT[job.status],
        "done": job.done,
        "total": job.total,
        "progress": _progress(job),
        "error": job.error if job.status == JobStatus.FAILED else "",
        "download_url": (
            url_for("jobs.download", slug=organisation.slug, token=job.token) if ready else None
        ),
        "filename": job.result_filename if ready else None,
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
    }


@bp.get("/organisations/<slug>/reports/<token>")
def show(slug: str, token: str) -> ResponseReturnValue:
    organisation, job = _job(slug, token)
    if job.kind in downloads.ORGANISATION_DOWNLOADS:
        # Asked for by a download link, not listed: its page is the one the link showed.
        return downloads.preparing(organisation, job)
    return render_template(
        "jobs/show.html",
        organisation=organisation,
        job=job,
        label=LABELS[job.kind],
        state=job_state(organisation, job),
        jobs=report_jobs.recent(organisation=organisation, user=current_user),
        labels=LABELS,
        status_text=STATUS_TEXT,
    )


@bp.get("/organisations/<slug>/reports/<token>/status.json")
def status(slug: str, token: str) -> ResponseReturnValue:
    organisation, job = _job(slug, token)
    response = jsonify(job_state(organisation, job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/organisations/<slug>/reports/<token>/download")
def download(slug: str, token: str) -> ResponseReturnValue:
    """The job's file; while it is being built, the page that waits for it. A finished job
    whose file has gone (kept only so long) is not found."""
    organisation, job = _job(slug, token)
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED):
        return downloads.preparing(organisation, job)
    path = build.result_file(job)
    if path is None or not job.result_filename:
        abort(404)
    return downloads.send_result(job.kind, path, job.result_filename)
