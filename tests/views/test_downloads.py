"""Report downloads answer from what the workers built, named by the organisation's change
counter: a change means the next download waits for a new file, never the stale one."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from maturity.data import report_jobs
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.jobs import build, prerender
from maturity.models import JobKind, ReportJob
from maturity.reports import freshness, pdf
from tests import factories
from tests.conftest import download, page, run_jobs, sign_in


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_change_makes_the_next_download_wait_for_a_new_file(client):
    body = factories.organisation(name="Changing body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    url = f"/organisations/{body.slug}/report.pdf"
    assert client.get(url).status_code == 202
    run_jobs()
    first = client.get(url)
    assert first.mimetype == "application/pdf" and "2019" not in _text(first.data)

    factories.assessment(of=body, period="2019")
    assert client.get(url).status_code == 202  # not the file built before the change
    run_jobs()
    second = client.get(url)
    assert second.mimetype == "application/pdf"
    assert "2019" in _text(second.data)


def test_a_framework_the_organisation_has_no_use_of_is_not_found(client):
    body = factories.organisation(name="One framework body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    for address in ("report.pdf", "figure.pdf"):
        response = client.get(f"/organisations/{body.slug}/{address}?framework=no-such-thing")
        assert response.status_code == 404, address


def _running(body, *, source_key: str):  # type: ignore[no-untyped-def]
    """A render a worker has started, building from ``source_key``."""
    job = report_jobs.create(
        kind=JobKind.ORGANISATION_PDF,
        organisation=body,
        requested_by=None,
        parameters=prerender.organisation_parameters({}),
    )
    attempt = report_jobs.claim(job_id=job.id)
    assert attempt is not None
    report_jobs.progress(job_id=job.id, attempt=attempt, done=0, total=1, source_key=source_key)
    return job


def _current_key(body) -> str:  # type: ignore[no-untyped-def]
    db.session.refresh(body)
    return freshness.organisation_key(
        organisation=body,
        kind=JobKind.ORGANISATION_PDF.value,
        parameters=prerender.organisation_parameters({}),
        day=pdf.today(),
    )


def test_a_download_after_a_change_does_not_wait_for_a_render_begun_before_it(client):
    body = factories.organisation(name="Busy body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    before = _running(body, source_key=_current_key(body))
    factories.assessment(of=body, period="2019")

    response = client.get(f"/organisations/{body.slug}/report.pdf")

    assert response.status_code == 202
    assert before.token not in response.get_data(as_text=True)
    run_jobs()
    assert "2019" in _text(download(client, f"/organisations/{body.slug}/report.pdf").data)


def test_a_download_waits_for_a_render_already_building_what_it_asks_for(client):
    body = factories.organisation(name="Patient body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    running = _running(body, source_key=_current_key(body))

    response = client.get(f"/organisations/{body.slug}/report.pdf")

    assert response.status_code == 202
    assert running.token in response.get_data(as_text=True)


def test_a_ready_report_is_said_to_be_ready_without_counting_bodies(client):
    body = factories.organisation(name="Counted body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    waiting = page(client.get(f"/organisations/{body.slug}/report.pdf"))
    status_url = waiting.find(attrs={"data-status-url": True})["data-status-url"]
    run_jobs()

    state = client.get(status_url, headers={"Accept": "application/json"}).json

    assert state["status_text"] == "Ready"
    assert state["progress"] == ""


def test_a_worker_records_the_key_it_builds_from_before_it_draws(client):
    body = factories.organisation(name="Recorded body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    assert client.get(f"/organisations/{body.slug}/report.pdf").status_code == 202
    job = db.session.scalars(select(ReportJob).where(ReportJob.organisation_id == body.id)).one()
    expected = _current_key(body)
    seen = []

    def as_it_starts(done: int, total: int) -> None:
        if done == 0:
            db.session.expire_all()
            seen.append(report_jobs.get(job_id=job.id).source_key)

    build.run(job_id=job.id, on_progress=as_it_starts)

    assert seen == [expected]


def test_a_report_built_already_from_the_same_key_is_not_drawn_again(client, monkeypatch):
    body = factories.organisation(name="Twice queued body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    assert client.get(f"/organisations/{body.slug}/report.pdf").status_code == 202
    run_jobs()
    again = report_jobs.create(
        kind=JobKind.ORGANISATION_PDF,
        organisation=body,
        requested_by=None,
        parameters=prerender.organisation_parameters({}),
    )
    drawn = []
    monkeypatch.setattr(pdf, "to_pdf", lambda html: drawn.append(html) or b"%PDF-")

    build.run(job_id=again.id)

    db.session.expire_all()
    finished = report_jobs.get(job_id=again.id)
    assert drawn == []
    assert finished.source_key == _current_key(body)
    assert build.result_file(finished) is not None
