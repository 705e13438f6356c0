"""Asking for the reports of every overseen body from the oversight page, watching the job
and downloading the result (the tests run the queued jobs as a worker would: run_jobs)."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from maturity.data import organisations, report_jobs
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.jobs import build
from maturity.models import JobKind, JobStatus, ReportJob
from tests import factories
from tests.conftest import link, page, run_jobs, sign_in
from tests.jobs.conftest import Tree, department_with, prepare_form


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _prepare(client, tree: Tree, which: str):  # type: ignore[no-untyped-def]
    oversight = page(client.get(f"/organisations/{tree.department.slug}/oversight"))
    action, data = prepare_form(oversight, which)
    response = client.post(action, data=data)
    run_jobs()
    return response


def test_the_pdf_of_all_bodies_is_prepared_and_downloaded(client, tree):
    sign_in(client, tree.overseer.email)
    response = _prepare(client, tree, "Prepare the PDF of all bodies")
    assert response.status_code == 303
    job_page = page(client.get(response.headers["Location"]))
    assert job_page.h1.get_text(strip=True) == "PDF of all bodies"
    assert job_page.title.get_text().startswith("PDF of all bodies: bodies overseen by Department")
    assert job_page.find(attrs={"data-job-status": True}).get_text(strip=True) == "Ready"
    assert job_page.find(attrs={"data-job-progress": True}).get_text(strip=True) == "2 of 2 bodies"
    download = link(job_page, "Download oversight-department-2018")
    assert download is not None
    pdf = client.get(download["href"])
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert "oversight-department-2018.pdf" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    assert "Bodies overseen by Department" in text
    assert "Agency 1" in text and "Agency 2" in text


def test_the_pdf_is_of_the_period_the_page_showed(client, tree):
    sign_in(client, tree.overseer.email)
    client.get(f"/organisations/{tree.department.slug}/oversight?period=2017")
    oversight = page(client.get(f"/organisations/{tree.department.slug}/oversight?period=2017"))
    action, data = prepare_form(oversight, "Prepare the PDF of all bodies")
    assert data["period"] == "2017"
    response = client.post(action, data=data)
    run_jobs()
    job_page = page(client.get(response.headers["Location"]))
    assert link(job_page, "Download oversight-department-2017") is not None


def test_a_zip_holds_one_report_per_body(client, tree):
    sign_in(client, tree.overseer.email)
    response = _prepare(client, tree, "Prepare a ZIP of each body's report")
    job_page = page(client.get(response.headers["Location"]))
    assert job_page.find(attrs={"data-job-progress": True}).get_text(strip=True) == "2 of 2 bodies"
    download = link(job_page, "Download maturity-reports-department.zip")
    archive = zipfile.ZipFile(io.BytesIO(client.get(download["href"]).data))
    assert sorted(archive.namelist()) == [
        "maturity-agency-1-2017-to-2018.pdf",
        "maturity-agency-2-2017-to-2018.pdf",
    ]
    assert "Agency 2" in pdf_text(archive.read("maturity-agency-2-2017-to-2018.pdf"))
    # Unpacked onto a shared drive, colleagues can open them too.
    assert {stat.filemode(info.external_attr >> 16) for info in archive.infolist()} == {
        "-rw-r--r--"
    }


def test_progress_of_one_body_is_worded_for_one(client):
    tree = department_with(1, periods=("2018",))
    sign_in(client, tree.overseer.email)
    response = _prepare(client, tree, "Prepare a ZIP of each body's report")
    job_page = page(client.get(response.headers["Location"]))
    assert job_page.find(attrs={"data-job-progress": True}).get_text(strip=True) == "1 of 1 body"


def test_the_status_address_answers_what_the_page_shows(client, tree):
    sign_in(client, tree.overseer.email)
    location = _prepare(client, tree, "Prepare a ZIP of each body's report").headers["Location"]
    state = client.get(location + "/status.json")
    assert state.headers["Cache-Control"] == "no-store"
    assert state.json["status"] == "done"
    assert state.json["progress"] == "2 of 2 bodies"
    assert state.json["finished"] is True
    assert state.json["download_url"] == location + "/download"


def test_a_job_not_yet_started_offers_a_link_to_check_progress(client, tree):
    job = report_jobs.create(
        kind=JobKind.REPORTS_ZIP,
        organisation=tree.department,
        requested_by=tree.overseer,
        parameters={},
    )
    sign_in(client, tree.overseer.email)
    address = f"/organisations/{tree.department.slug}/reports/{job.token}"
    html = page(client.get(address))
    assert html.find(attrs={"data-job-status": True}).get_text(strip=True) == "Waiting to start"
    assert link(html, "Check progress")["href"] == address
    assert link(html, "Download") is None
    live = html.find(attrs={"aria-live": "polite"})
    assert live.get_text(strip=True) == "Next to be prepared"
    assert html.find("script", src="/static/js/jobs.js") is not None
    waiting = client.get(address + "/download")
    assert waiting.status_code == 202
    assert page(waiting).h1.get_text(strip=True) == "Your report is being prepared"
    assert client.get(address + "/status.json").json["finished"] is False


def test_a_job_that_fails_says_why(client, tree):
    lone = organisations.create(name="Lone Body")
    organisations.grant(user=tree.overseer, organisation=lone, role=MembershipRole.VIEWER)
    job = report_jobs.create(
        kind=JobKind.OVERSIGHT_PDF, organisation=lone, requested_by=tree.overseer, parameters={}
    )
    build.run(job_id=job.id)
    sign_in(client, tree.overseer.email)
    html = page(client.get(f"/organisations/{lone.slug}/reports/{job.token}"))
    assert html.find(attrs={"data-job-status": True}).get_text(strip=True) == "Failed"
    assert "Lone Body does not oversee any other body" in html.get_text(" ", strip=True)
    assert link(html, "Download") is None


def test_a_file_no_longer_kept_is_not_offered(client, tree):
    sign_in(client, tree.overseer.email)
    location = _prepare(client, tree, "Prepare a ZIP of each body's report").headers["Location"]
    job = db.session.scalars(db.select(ReportJob)).one()
    build.result_file(job).unlink()
    html = page(client.get(location))
    assert link(html, "Download") is None
    assert "The file is no longer kept" in html.get_text(" ", strip=True)
    assert client.get(location + "/download").status_code == 404


def test_only_readers_of_the_oversight_see_a_job(app, tree):
    owner = app.test_client()
    sign_in(owner, tree.overseer.email)
    location = _prepare(owner, tree, "Prepare a ZIP of each body's report").headers["Location"]
    for person in (tree.body_viewer, tree.outsider):
        other = app.test_client()
        sign_in(other, person.email)
        for suffix in ("", "/status.json", "/download"):
            assert other.get(location + suffix).status_code == 404, (person.email, suffix)
        assert (
            other.post(f"/organisations/{tree.department.slug}/oversight/prepare-zip").status_code
            == 404
        )
    # A token is only good with its own organisation.
    token = location.rsplit("/", 1)[1]
    assert owner.get(f"/organisations/{tree.bodies[0].slug}/reports/{token}").status_code == 404


@pytest.mark.parametrize(
    "which", ["Prepare the PDF of all bodies", "Prepare a ZIP of each body's report"]
)
def test_a_file_holding_a_body_since_moved_out_of_the_oversight_is_not_found(app, tree, which):
    owner = app.test_client()
    sign_in(owner, tree.overseer.email)
    location = _prepare(owner, tree, which).headers["Location"]
    assert owner.get(location + "/download").status_code == 200
    # Another body coming under the department changes nothing of what the file holds.
    factories.organisation(name="Agency 3", parent=tree.department)
    assert owner.get(location + "/download").status_code == 200

    organisations.set_parent(organisation=tree.bodies[0], parent=None, actor=None)
    newcomer = app.test_client()
    sign_in(newcomer, factories.member(of=tree.department, role=MembershipRole.VIEWER).email)
    for client in (owner, newcomer):
        assert client.get(f"/organisations/{tree.bodies[0].slug}").status_code == 404
        for suffix in ("", "/status.json", "/download"):
            assert client.get(location + suffix).status_code == 404, suffix
    # Prepared again, the report is of the bodies the department oversees now.
    again = _prepare(owner, tree, which).headers["Location"]
    assert again != location
    assert owner.get(again + "/download").status_code == 200


def test_a_finished_file_from_before_its_bodies_were_recorded_is_prepared_again(client, tree):
    sign_in(client, tree.overseer.email)
    location = _prepare(client, tree, "Prepare the PDF of all bodies").headers["Location"]
    token = location.rsplit("/", 1)[1]
    job = db.session.scalar(select(ReportJob).where(ReportJob.token == token))
    job.covered = None  # as migration 0014 left the jobs finished before it
    db.session.commit()
    for suffix in ("", "/status.json", "/download"):
        assert client.get(location + suffix).status_code == 404, suffix
    listed = page(client.get(f"/organisations/{tree.department.slug}/reports"))
    assert token not in str(listed)


def test_a_job_no_longer_given_out_is_not_listed_either(client, tree):
    sign_in(client, tree.overseer.email)
    location = _prepare(client, tree, "Prepare a ZIP of each body's report").headers["Location"]
    token = location.rsplit("/", 1)[1]
    listed = f"/organisations/{tree.department.slug}/reports"
    assert token in str(page(client.get(listed)))
    organisations.set_parent(organisation=tree.bodies[0], parent=None, actor=None)
    assert token not in str(page(client.get(listed)))


def test_the_list_shows_only_the_persons_own_jobs(app, tree):
    colleague = report_jobs.create(
        kind=JobKind.OVERSIGHT_PDF,
        organisation=tree.department,
        requested_by=tree.body_viewer,
        parameters={"period": "2017"},
    )
    client = app.test_client()
    sign_in(client, tree.overseer.email)
    _prepare(client, tree, "Prepare the PDF of all bodies")
    html = page(client.get(f"/organisations/{tree.department.slug}/reports"))
    rows = html.find("table").find("tbody").find_all("tr")
    assert len(rows) == 1
    assert rows[0].get_text(" ", strip=True).startswith("PDF of all bodies")
    assert "Ready" in rows[0].get_text(" ", strip=True)
    assert colleague.token not in str(html)


def test_jobs_record_who_asked_and_what(client, tree):
    sign_in(client, tree.overseer.email)
    _prepare(client, tree, "Prepare the PDF of all bodies")
    job = db.session.scalars(db.select(ReportJob)).one()
    assert job.requested_by_id == tree.overseer.id
    assert job.status == JobStatus.DONE
    assert job.attempts == 1
    # The latest period, on the only framework: the report the workers keep ready, asked
    # for as its plain link asks for it.
    assert job.parameters == {}


def test_asking_twice_for_the_same_report_gives_the_one_on_its_way(client, tree):
    waiting = report_jobs.create(
        kind=JobKind.REPORTS_ZIP,
        organisation=tree.department,
        requested_by=tree.overseer,
        parameters={},
    )
    sign_in(client, tree.overseer.email)
    response = _prepare(client, tree, "Prepare a ZIP of each body's report")
    assert response.headers["Location"].endswith(f"/reports/{waiting.token}")
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportJob)) == 1


def test_a_person_may_not_queue_up_the_whole_service(client, tree):
    for period in ("2014", "2015", "2016", "2017"):
        report_jobs.create(
            kind=JobKind.OVERSIGHT_PDF,
            organisation=tree.department,
            requested_by=tree.overseer,
            parameters={"period": period, "framework": "nao-performance-measurement"},
        )
    sign_in(client, tree.overseer.email)
    response = _prepare(client, tree, "Prepare the PDF of all bodies")
    assert response.status_code == 409
    summary = page(response).find(class_="govuk-error-summary")
    assert "You already have 4 reports being prepared" in summary.get_text(" ", strip=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportJob)) == 4


def _running_oversight_pdf(tree: Tree, *, source_key: str | None) -> ReportJob:
    """An oversight PDF a worker has started, building from ``source_key``."""
    job = report_jobs.create(
        kind=JobKind.OVERSIGHT_PDF, organisation=tree.department, requested_by=None, parameters={}
    )
    attempt = report_jobs.claim(job_id=job.id)
    assert attempt is not None
    report_jobs.progress(job_id=job.id, attempt=attempt, done=0, total=2, source_key=source_key)
    return job


def test_preparing_after_a_change_does_not_join_a_pdf_begun_before_it(client, tree):
    sign_in(client, tree.overseer.email)
    oversight = page(client.get(f"/organisations/{tree.department.slug}/oversight"))
    action, data = prepare_form(oversight, "Prepare the PDF of all bodies")
    begun = _running_oversight_pdf(tree, source_key="the bodies before the change")

    response = client.post(action, data=data)

    assert response.status_code == 303
    assert begun.token not in response.headers["Location"]


def test_preparing_a_zip_joins_no_running_one(client, tree):
    sign_in(client, tree.overseer.email)
    oversight = page(client.get(f"/organisations/{tree.department.slug}/oversight"))
    action, data = prepare_form(oversight, "Prepare a ZIP of each body's report")
    job = report_jobs.create(
        kind=JobKind.REPORTS_ZIP, organisation=tree.department, requested_by=None, parameters={}
    )
    assert report_jobs.claim(job_id=job.id) is not None  # running: what it read is unknown

    response = client.post(action, data=data)

    assert job.token not in response.headers["Location"]


def test_a_framework_no_body_has_used_is_not_found_before_a_job_is_queued(client, tree):
    sign_in(client, tree.overseer.email)
    before = db.session.query(ReportJob).count()
    slug = tree.department.slug
    assert client.get(f"/organisations/{slug}/oversight.pdf?framework=no-such").status_code == 404
    oversight = page(client.get(f"/organisations/{slug}/oversight"))
    action, data = prepare_form(oversight, "Prepare the PDF of all bodies")
    refused = client.post(action, data={**data, "framework": "no-such"})
    assert refused.status_code == 404
    assert db.session.query(ReportJob).count() == before
