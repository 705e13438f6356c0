"""axe on every page of the URL map, as an administrator, a viewer and someone not signed in.

The routes come from the app's URL map, so a page added later is checked without anyone
remembering to add it here. A route whose address needs an object this module does not seed
is skipped, naming the missing argument; a route that answers with a file (CSV, PDF, JSON)
is not a page and is skipped saying what it answered with (the report job's download and
status are checked by the tests at the end). A report job's page is visited once for each
state its owner can see it in.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for

from maturity import create_app
from maturity.data import invitations, organisations, review
from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus
from tests import factories
from tests.browser import seed
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import new_window, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.browser

PERSONAS = ("administrator", "viewer", "anonymous")
# Files, not pages; and the time-out warning's answers to its script (JSON).
NOT_PAGES = {"static", "security.static", "timeout.status"}
FILE_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", "/download", "healthz")
NARROW, DESKTOP = {"width": 320, "height": 640}, {"width": 1280, "height": 720}
# Pages known to scroll sideways at 320px, each with what would fix it. Remove an entry once
# fixed: the test then holds the page to it.
DOES_NOT_REFLOW_YET: dict[str, str] = {}
# Whose page is checked for reflow: who sees the most on it. The administrator, except on a
# report job's pages, where its owner also sees their list of reports.
WIDEST_FOR = {"jobs.show": "viewer", "jobs.index": "viewer"}
# Which of the seeded assessments a route is about (the draft otherwise).
ASSESSMENT_FOR = {
    "assessments.submitted": "submitted",
    "review.show": "submitted",
    "review.send_back": "submitted",
    "review.approved": "approved",
    "review.reopen": "approved",
    "review.sent_back": "sent back",
}
# Routes about one report job, visited for each state of the job given (the finished one
# otherwise).
JOB_STATES_FOR = {"jobs.show": seed.JOB_STATES}
# What the owner of a report job sees as its status, in each state.
JOB_STATUS_TEXT = {
    "queued": "Waiting to start",
    "running": "In progress",
    "done": "Ready",
    "failed": "Failed",
}


def _get_routes() -> list[tuple[str, str, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)
    return [
        (rule.endpoint, rule.rule, state)
        for rule in rules
        if "GET" in (rule.methods or set()) and rule.endpoint not in NOT_PAGES
        for state in JOB_STATES_FOR.get(rule.endpoint, ("",))
    ]


ROUTES = _get_routes()
ROUTE_IDS = [f"{endpoint}:{state}" if state else endpoint for endpoint, _, state in ROUTES]


@dataclass
class Estate:
    values: dict[str, object]
    assessments: dict[str, int]
    tokens: dict[str, str]
    # The department's slug, and its report jobs' tokens by state.
    department: str
    jobs: dict[str, str]


@pytest.fixture(scope="module")
def estate(app: Flask) -> Iterator[Estate]:
    """A department over a body with a draft, a submitted, an approved and a sent-back
    assessment; a viewer there, who also reads the department's oversight and has asked for
    a ZIP of its bodies' reports in each state a job can be in; an administrator; an
    invitation and a reset link."""
    with app.app_context():
        department = factories.organisation(name="Every-page department")
        body = seed.body("Every-page body", MembershipRole.VIEWER, parent=department)
        organisation = body.organisation
        made = {
            "approved": factories.assessment(of=organisation, period="2016"),
            "sent back": factories.assessment(of=organisation, period="2017"),
            "submitted": factories.assessment(of=organisation, period="2018", evidence="Papers"),
            "draft": factories.assessment(
                of=organisation, period="2019", status=AssessmentStatus.DRAFT
            ),
        }
        # On the draft's first domain, so its page and the organisation's list actions.
        action = factories.improvement_action(
            assessment=made["draft"], domain_key=seed.framework().domains[0].key
        )
        admin = seed.administrator()
        review.approve(assessment=made["approved"], actor=admin)
        review.send_back(
            assessment=made["sent back"], actor=admin, comment="Add evidence", domain_comments={}
        )
        invited = invitations.invite(email="every.page@example.org", name="Ivy", actor=admin)
        reset = invitations.create_reset_link(user=body.person, actor=admin)
        organisations.grant(user=body.person, organisation=department, role=MembershipRole.VIEWER)
        jobs = {
            state: seed.report_job(department, body.person, state).token
            for state in seed.JOB_STATES
        }
        framework = seed.framework()
        yield Estate(
            values={
                "slug": organisation.slug,
                "domain_key": framework.domains[0].key,
                "action_id": action.id,
                "user_id": body.person.id,
                "organisation_id": organisation.id,
                "framework_id": framework.id,
                "emails": {"administrator": admin.email, "viewer": body.email},
            },
            assessments={status: assessment.id for status, assessment in made.items()},
            tokens={"invitations.invitation": invited.token, "invitations.reset": reset.token},
            department=department.slug,
            jobs=jobs,
        )


@pytest.fixture(scope="module")
def windows(browser: Any, server: str, estate: Estate) -> Iterator[dict[str, Any]]:
    """One signed-in window per persona for the whole module: signing in for every page
    would take longer than the checks."""
    emails: dict[str, str] = estate.values["emails"]  # type: ignore[assignment]
    opened = {persona: new_window(browser, server) for persona in PERSONAS}
    for persona, email in emails.items():
        sign_in(opened[persona], email)
    yield opened
    for window in opened.values():
        window.context.close()


def _address(app: Flask, endpoint: str, rule: str, estate: Estate, state: str = "") -> str:
    arguments = next(r for r in app.url_map.iter_rules(endpoint)).arguments
    values: dict[str, Any] = {}
    jobs = endpoint.startswith("jobs.")
    for name in sorted(arguments):
        if name == "assessment_id":
            values[name] = estate.assessments[ASSESSMENT_FOR.get(endpoint, "draft")]
        elif name == "token" and endpoint in estate.tokens:
            values[name] = estate.tokens[endpoint]
        elif name == "slug" and jobs:  # reports are of the bodies the department oversees
            values[name] = estate.department
        elif name == "token" and jobs:
            values[name] = estate.jobs[state or "done"]
        elif name in estate.values and name != "token":
            values[name] = estate.values[name]
        else:
            pytest.skip(f"{rule} needs a {name} that this test does not seed")
    # At the server's own address: the app accepts no other host (TRUSTED_HOSTS).
    with app.test_request_context(base_url=app.config["SERVICE_URL"]):
        return url_for(endpoint, **values)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("endpoint", "rule", "state"), ROUTES, ids=ROUTE_IDS)
def test_every_page_meets_wcag_2_2_aa(
    app: Flask,
    estate: Estate,
    windows: dict[str, Any],
    persona: str,
    endpoint: str,
    rule: str,
    state: str,
) -> None:
    if persona == "viewer" and endpoint.startswith("admin."):
        pytest.skip("administration pages answer a viewer with the not-found page (checked once)")
    if persona == "administrator" and state not in ("", "done"):
        pytest.skip("an administrator sees a job's page as its owner does (checked when done)")
    if rule.endswith(FILE_SUFFIXES):
        pytest.skip(f"{rule} is a file, not a page")
    address = _address(app, endpoint, rule, estate, state)
    window = windows[persona]
    if persona == "anonymous" and endpoint != "security.login":
        answer = window.context.request.get(address, max_redirects=0)
        sent_to = urlsplit(answer.headers.get("location", "")).path
        if answer.status in (301, 302, 303) and sent_to == "/sign-in":
            pytest.skip("sends someone not signed in to sign in (checked as security.login)")
    try:
        opened = window.goto(address)
    except sync_api.Error as error:
        if "Download is starting" not in str(error):
            raise
        pytest.skip(f"{rule} answers with a download, not a page")
    assert opened.status < 500, f"{rule} answered {opened.status}"
    assert_accessible(window, f"{endpoint} {state} as {persona}".replace("  ", " "))
    if persona == WIDEST_FOR.get(endpoint, "administrator"):
        _assert_reflows(window, endpoint)


def _assert_reflows(window: Any, endpoint: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide (1280 at 400% zoom) the page does not scroll
    sideways; a wide table scrolls inside its own region (app-table-container) instead."""
    window.set_viewport_size(NARROW)
    try:
        wide = window.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        window.set_viewport_size(DESKTOP)
    if wide > 0 and endpoint in DOES_NOT_REFLOW_YET:
        pytest.xfail(DOES_NOT_REFLOW_YET[endpoint])
    assert wide <= 0, f"{endpoint} scrolls sideways by {wide}px at 320px wide"


def test_the_viewer_gets_the_not_found_page_for_administration(
    estate: Estate, windows: dict[str, Any]
) -> None:
    window = windows["viewer"]
    opened = window.goto("/admin")
    assert opened.status == 404
    assert_accessible(window, "the not-found page")


def _job_address(app: Flask, estate: Estate, endpoint: str, state: str) -> str:
    return _address(app, endpoint, endpoint, estate, state)


@pytest.mark.parametrize("state", seed.JOB_STATES)
def test_a_report_jobs_status_json_says_what_its_page_shows(
    app: Flask, estate: Estate, windows: dict[str, Any], state: str
) -> None:
    window = windows["viewer"]
    window.goto(_job_address(app, estate, "jobs.show", state))
    answer = window.context.request.get(_job_address(app, estate, "jobs.status", state))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json"
    said = answer.json()

    assert said["status"] == state
    assert said["status_text"] == JOB_STATUS_TEXT[state]
    assert window.locator("[data-job-status]").inner_text() == said["status_text"]
    shown = window.locator("[data-job-progress]").inner_text()
    assert shown == (said["progress"] or "Not started yet")
    download = window.get_by_role("link", name="Download ")
    if state == "running":
        progress = seed.RUNNING_PROGRESS
        assert shown == f"{progress['done']} of {progress['total']} bodies"
    if state == "done":
        assert download.get_attribute("href") == said["download_url"]
        assert download.inner_text() == f"Download {said['filename']}"
    else:
        assert said["download_url"] is None
        assert download.count() == 0
    if state == "failed":
        assert said["error"]
        assert said["error"] in window.locator(".govuk-error-summary").inner_text()
    assert said["finished"] == (state in ("done", "failed"))


def test_a_finished_report_downloads_as_a_zip_of_each_bodys_report(
    app: Flask, estate: Estate, windows: dict[str, Any]
) -> None:
    request = windows["viewer"].context.request
    answer = request.get(_job_address(app, estate, "jobs.download", "done"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(answer.body())) as archive:
        names = archive.namelist()
        # The department oversees one body.
        assert len(names) == 1 and names[0].endswith(".pdf"), names
        assert archive.read(names[0]).startswith(b"%PDF-")
    # Not built yet: the page that waits for it, which says so and asks again.
    unfinished = request.get(_job_address(app, estate, "jobs.download", "running"))
    assert unfinished.status == 202
    assert unfinished.headers["retry-after"]
    assert "Your report is being prepared" in unfinished.text()


def test_the_list_of_reports_shows_each_of_the_viewers_jobs(
    app: Flask, estate: Estate, windows: dict[str, Any]
) -> None:
    window = windows["viewer"]
    window.goto(_job_address(app, estate, "jobs.index", ""))
    statuses = window.locator("#recent ~ table tbody tr td:nth-child(3)").all_inner_texts()
    assert sorted(statuses) == sorted(JOB_STATUS_TEXT.values())
