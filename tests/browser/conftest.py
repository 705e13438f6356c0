"""A real server and a real browser: the pages as the people using them get them.

One server (with its report worker) and one Chromium for the browser tests, stopped when
they are done (package scope: the worker thread must not go on taking the report jobs of the
tests that run after them, on their own app and database); each test gets a fresh browser context
(its own cookies) and its own organisations and people, so tests do not depend on each
other's order. The data stays in the session's database: clearing it after every test would
cost more than the tests themselves.

Debian's chromium is launched directly (never `playwright install`: no browser downloads);
without it, or without Playwright, these tests are skipped and say why.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import BaseWSGIServer, make_server

from maturity import create_app
from maturity.extensions import db
from tests.browser.accessibility import WITHOUT_JAVASCRIPT, javascript_on
from tests.conftest import PASSWORD, authenticator_code

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="package")
def port() -> int:
    """The server's port, chosen before the app is made: its address is the app's SERVICE_URL."""
    return _free_port()


@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory, port: int) -> Iterator[Flask]:
    """The app the browser talks to, on its own SQLite file (overrides tests/conftest.py's:
    the browser posts real forms, so CSRF stays on)."""
    folder = tmp_path_factory.mktemp("browser")
    database = folder / "browser.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret-key",  # as tests/conftest.py: the Security object is shared
            # Plain http on 127.0.0.1: a Secure (__Host-) cookie would never come back.
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_NAME": "session",
            "REMEMBER_COOKIE_SECURE": False,
            # Links shown to administrators open on this server, the only host it answers to.
            "SERVICE_URL": f"http://127.0.0.1:{port}",
            "TRUSTED_HOSTS": [],
            # Report jobs wait in an in-memory queue for the worker thread below (the web
            # requests never render, as in production); renders are not queued when data
            # changes (no test here waits on one); the files and the PDF cache stay in tmp.
            "JOBS_IN_MEMORY": True,
            "REPORT_PRERENDER": False,
            "REPORT_JOBS_DIR": str(folder / "report-jobs"),
            "REPORT_CACHE_DIR": str(folder / "report-cache"),
            # The time-out tests give their own sessions limits of seconds, not minutes
            # (tests/browser/test_session_timeout.py); every other session keeps 30 minutes.
            "SESSION_TIMEOUTS_FROM_SESSION": True,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[2] / "migrations"))
        db.engine.dispose()
    yield app


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Overrides tests/conftest.py's: the data a test makes stays (see the module's doc)."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture(scope="package")
def server(app: Flask, port: int) -> Iterator[str]:
    """The real app, served by werkzeug on a free port in a background thread, with a report
    worker beside it in another thread (see ``_worker``)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line a request is noise
    http: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    stop = threading.Event()
    worker = threading.Thread(target=_worker, args=(app, stop), name="report-worker", daemon=True)
    worker.start()
    yield f"http://127.0.0.1:{port}"
    stop.set()
    worker.join(timeout=30)
    http.shutdown()
    thread.join(timeout=5)


WORKER_POLL_SECONDS = 0.2


def _worker(app: Flask, stop: threading.Event) -> None:
    """The report worker: takes what the web requests queue and builds it, as
    ``flask --app maturity worker`` does beside a real server."""
    from maturity.jobs import run_queued

    while not stop.wait(WORKER_POLL_SECONDS):
        try:
            run_queued(app)
        except Exception:  # a job's failure is on its row; the worker carries on
            logging.getLogger(__name__).exception("report worker")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
    )
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def new_window(browser: Any, server: str, **options: Any) -> Any:
    """A page in a new browser context: its own cookies, as another person or another day.
    Closing its context (``page.context.close()``) is the caller's job."""
    context = browser.new_context(base_url=server, accept_downloads=True, **options)
    if options.get("java_script_enabled") is False:
        WITHOUT_JAVASCRIPT.add(context)
    # Generous for a 2-core machine shared with other work; a healthy page takes < 1 s.
    context.set_default_timeout(15_000)
    return context.new_page()


def another_window(browser: Any, server: str, like: Any) -> Any:
    """A new window (another person, or the same one another day) with JavaScript on or off
    as in the window ``like``."""
    return new_window(browser, server, java_script_enabled=javascript_on(like))


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A new browser window with its own cookies, JavaScript on."""
    window = new_window(browser, server)
    yield window
    window.context.close()


@pytest.fixture
def page_without_javascript(browser: Any, server: str) -> Iterator[Any]:
    """A new browser window with JavaScript turned off (axe cannot run in it)."""
    window = new_window(browser, server, java_script_enabled=False)
    yield window
    window.context.close()


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in as a person does: email and password, then the code from their app if they
    have two-factor sign-in set up."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/sign-in/code"):
        page.get_by_label("Code").fill(authenticator_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def key_from(text: str) -> str:
    """The set-up key as shown (grouped for reading), as an app wants it."""
    return re.sub(r"[\s-]", "", text)


def download_report(page: Any, click: Callable[[], None]) -> Any:
    """A report downloaded as a person gets it: ``click`` follows a download link; the file
    comes at once when the workers have it ready, else the "being prepared" page shows, and
    with JavaScript it fetches the file itself when the worker is done; without, the person
    presses "Check again" until it comes. Returns Playwright's Download."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    # With JavaScript the page asks every two seconds; without, a person asks again soon.
    wait_ms = 60_000 if javascript_on(page) else 3_000
    for attempt in range(20):
        try:
            with page.expect_download(timeout=wait_ms) as download:
                if attempt == 0:
                    click()
                else:
                    page.get_by_role("link", name="Check again").click()
            if javascript_on(page) and page.locator("[data-job-heading]").count():
                # The page that waited now says the report is ready, not being prepared.
                expect(page.get_by_role("heading", level=1)).to_have_text("Your report is ready")
                expect(page.locator("[data-job-instructions]")).to_be_hidden()
            return download.value
        except PlaywrightTimeout:
            heading = page.get_by_role("heading", level=1).inner_text()
            assert heading == "Your report is being prepared", (
                f"no file, and the page says {heading!r}"
            )
            if not javascript_on(page):  # told what to do, as the script is not there to do it
                assert "Check again" in page.locator("[data-job-instructions]").inner_text()
    raise AssertionError("the report was never ready")
