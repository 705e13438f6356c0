"""A report built in the background, as the person who asked for it follows it: from the
oversight page to the job's page, its progress, "Ready", and the ZIP of each body's report.

Run with JavaScript on (the page's script asks for the job's status and rewrites the page
in place) and off (the person presses "Check progress"); axe runs at each state in the first.
A worker thread beside the browser's server builds what the pages queue (tests/browser/
conftest.py), as ``flask --app maturity worker`` does beside a real one. To watch a job being
built step by step, the test builds a job it queued itself (never handed to that worker),
through the same code a worker runs, while the page is open.

Both runs are about the same bodies, each as its own person: the second run's reports come
from the PDF cache, so the pair costs the rendering of one.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for

from maturity.data import organisations, report_jobs
from maturity.domain.roles import MembershipRole
from maturity.jobs import build
from tests.browser import seed
from tests.browser.accessibility import assert_accessible, javascript_on
from tests.browser.conftest import new_window, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser

PERIOD = "2018"


@pytest.fixture(params=["javascript on", "javascript off"])
def page(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Any]:
    """Overrides conftest's: the journey with and without JavaScript."""
    window = new_window(browser, server, java_script_enabled=request.param == "javascript on")
    yield window
    window.context.close()


@dataclass
class Oversight:
    department: str  # slug
    agencies: list[str]  # slugs

    @property
    def zip_name(self) -> str:
        return f"maturity-reports-{self.department}.zip"

    @property
    def pdf_names(self) -> list[str]:
        return sorted(f"maturity-{agency}-{PERIOD}.pdf" for agency in self.agencies)


@pytest.fixture(scope="module")
def oversight(app: Flask) -> Oversight:
    """A department over two bodies, each with a submitted assessment."""
    with app.app_context():
        department = seed.body("Reporting department", MembershipRole.VIEWER).organisation
        agencies = [
            seed.body("Reporting agency", MembershipRole.ASSESSOR, parent=department).organisation
            for _ in range(2)
        ]
        for agency in agencies:
            seed.submitted(agency, PERIOD, level=1)
        return Oversight(department.slug, [agency.slug for agency in agencies])


def _status(page: Any) -> Any:
    return page.locator("[data-job-status]")


def _progress(page: Any) -> Any:
    """The words in the page's live region: what a screen reader announces as they change."""
    return page.locator("[data-job-live]")


def _download_zip(page: Any, oversight: Oversight) -> None:
    """The ZIP holds one PDF report per body the department oversees, and nothing else."""
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download ")).click()
    assert download.value.suggested_filename == oversight.zip_name
    with zipfile.ZipFile(download.value.path()) as archive:
        names = sorted(archive.namelist())
        assert names == oversight.pdf_names
        for name in names:
            assert archive.read(name).startswith(b"%PDF-"), f"{name} is not a PDF"


# A queued job says where it is in the queue.
QUEUED_PROGRESS = re.compile(r"^\s*(Next to be prepared|\d+ reports? ahead of this one)\s*$")
WORKER_TIMEOUT_MS = 60_000  # a shared 2-core machine may take a while over two reports


def _wait_until_ready(page: Any) -> None:
    """With JavaScript the page follows the worker by itself; without, the person presses
    "Check progress" now and then until the report is ready."""
    if javascript_on(page):
        expect(_status(page)).to_have_text("Ready", timeout=WORKER_TIMEOUT_MS)
        return
    for _ in range(WORKER_TIMEOUT_MS // 1000):
        if _status(page).inner_text() == "Ready":
            return
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Check progress").click()
    expect(_status(page)).to_have_text("Ready")


def test_a_viewer_prepares_a_zip_of_each_bodys_report_and_downloads_it(
    page: Any, oversight: Oversight
) -> None:
    department = organisations.find(reference=oversight.department)
    viewer = seed.member(of=department, role=MembershipRole.VIEWER)
    everyone = f"{len(oversight.agencies)} of {len(oversight.agencies)} bodies"

    sign_in(page, viewer.email)
    page.get_by_role("link", name=f"Bodies overseen by {department.name}").click()
    page.get_by_role("button", name="Prepare a ZIP of each body's report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ZIP of each body's report")
    _wait_until_ready(page)
    expect(_progress(page)).to_contain_text(everyone)
    expect(page.get_by_role("link", name="Check progress")).to_have_count(0)
    assert_accessible(page, "a report the worker has built")
    _download_zip(page, oversight)

    # Asked for again while the workers are busy: it waits in the queue. The person finds
    # it among their recent reports (the one just downloaded is "this one").
    waiting = seed.report_job(department, viewer, "queued")
    page.reload()
    page.get_by_role("link", name="ZIP of each body's report").click()
    expect(_status(page)).to_have_text("Waiting to start")
    expect(_progress(page)).to_have_text(QUEUED_PROGRESS)
    check_progress = page.get_by_role("link", name="Check progress")
    if javascript_on(page):
        expect(check_progress).to_be_hidden()  # the script checks for them
        # Gone if the page is left or reloaded: proof that what follows happens in place.
        page.evaluate("() => { window.sameDocument = true }")
    else:
        expect(check_progress).to_be_visible()
    assert_accessible(page, "a report waiting to start")

    def watch(done: int, total: int) -> None:
        """Called by the builder after each body, while the next waits."""
        if done != 1:
            return
        if not javascript_on(page):
            check_progress.click()
        expect(_status(page)).to_have_text("In progress")
        expect(_progress(page)).to_have_text(f"1 of {total} bodies")
        assert_accessible(page, "a report being built")

    assert page.url.endswith(waiting.token)
    build.run(job_id=waiting.id, on_progress=watch)

    if javascript_on(page):
        expect(_progress(page)).to_have_text(f"Ready. {everyone}")
        assert page.evaluate("() => window.sameDocument") is True, "the page was reloaded"
    else:
        check_progress.click()
        expect(_progress(page)).to_have_text(everyone)
    expect(_status(page)).to_have_text("Ready")
    expect(check_progress).to_have_count(0)
    assert_accessible(page, "a report that became ready while its page was open")
    _download_zip(page, oversight)


def test_a_report_that_fails_while_its_page_is_open_says_why_in_place(
    app: Flask, browser: Any, server: str, oversight: Oversight
) -> None:
    """JavaScript on only: without it the failure is on the page the person next loads (see
    test_every_page.py)."""
    department = organisations.find(reference=oversight.department)
    viewer = seed.member(of=department, role=MembershipRole.VIEWER)
    job = seed.report_job(department, viewer, "running")
    with app.test_request_context(base_url=app.config["SERVICE_URL"]):
        address = url_for("jobs.show", slug=department.slug, token=job.token)
    window = new_window(browser, server)
    try:
        sign_in(window, viewer.email)
        window.goto(address)
        progress = seed.RUNNING_PROGRESS
        expect(_status(window)).to_have_text("In progress")
        expect(_progress(window)).to_have_text(f"{progress['done']} of {progress['total']} bodies")
        window.evaluate("() => { window.sameDocument = true }")

        report_jobs.fail(job_id=job.id, attempt=job.attempts, message=build.UNEXPECTED)

        expect(_status(window)).to_have_text("Failed")
        expect(_progress(window)).to_have_text("Failed")
        reason = window.locator("[data-job-result]").get_by_role("alert")
        expect(reason).to_contain_text("The report could not be built")
        expect(reason).to_contain_text(build.UNEXPECTED)
        assert window.evaluate("() => window.sameDocument") is True, "the page was reloaded"
        assert_accessible(window, "a report that failed while its page was open")
    finally:
        window.context.close()
