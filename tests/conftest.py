"""Integration tests run on PostgreSQL when TEST_DATABASE_URL is set (CI), else SQLite."""

from __future__ import annotations

import os
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from maturity import create_app
from maturity.extensions import db

# Every app the tests make (the one below, others in tests and in subprocesses) starts as in
# production, with secure cookies: links are built from SERVICE_URL, and the accepted hosts
# are its host and the test client's default, localhost (tests/security/test_hosts.py).
os.environ["SERVICE_URL"] = "https://maturity.example.org"
os.environ["TRUSTED_HOSTS"] = "localhost"

# Not in the breached-password list (maturity/security/passwords.py): people are made with it.
PASSWORD = "lichen on the old stone bridge"
# Installed by migrations; every test starts with them and nothing else.
KEPT_TABLES = {"alembic_version", "framework", "framework_domain", "framework_level", "descriptor"}


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    database_url = os.environ.get("TEST_DATABASE_URL")
    if not database_url:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    os.environ.setdefault("SECRET_KEY", "test-secret-key")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key",
            # Tests post forms without a browser; CSRF itself is tested with it switched on.
            "WTF_CSRF_ENABLED": False,
            "SECURITY_PASSWORD_HASH": "argon2",
            # Report jobs wait in an in-memory queue until a test runs them (run_jobs), as
            # they wait for a worker in production; their files and the PDF cache stay in tmp.
            "JOBS_IN_MEMORY": True,
            # Data changes do not queue renders, but where a test says so: otherwise every
            # test's set-up would leave jobs queued (tests/jobs/test_prerender.py).
            "REPORT_PRERENDER": False,
            "REPORT_CACHE_DIR": str(tmp_path_factory.mktemp("report-cache")),
            "REPORT_JOBS_DIR": str(tmp_path_factory.mktemp("report-jobs")),
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        _installed_frameworks()
        db.engine.dispose()
    yield app


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as on a real server.

    Flask would otherwise reuse the test's app context, sharing ``g`` (and so the signed-in
    user) between requests.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        token = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(autouse=True)
def _empty_job_queue(app: Flask) -> None:
    """Each test starts with nothing queued: the queue is one per process, and a job left
    by another test would run (or fail) in this one."""
    from maturity.jobs import huey, init_app

    init_app(app)  # an app another test made may have given the queue other storage
    huey.storage.flush_queue()
    huey.storage.flush_schedule()


def run_jobs() -> int:
    """Run every queued report job, as a worker would, in the test's own app; returns how
    many ran."""
    from flask import current_app

    from maturity.jobs import run_queued

    return run_queued(current_app._get_current_object())  # type: ignore[attr-defined]


def download(client: FlaskClient, url: str):  # type: ignore[no-untyped-def]
    """A report download as a person gets it: the file, or the page that says it is being
    prepared (202) and, once the workers have run, the file at the address it gives."""
    response = client.get(url)
    if response.status_code != 202:
        return response
    assert response.headers["Retry-After"]
    run_jobs()
    retry = page(response).select_one("[data-job-refresh]")
    assert retry is not None, "the waiting page has no way to check again"
    return client.get(retry["href"])


@pytest.fixture(autouse=True)
def _fresh_sign_in_limits(app: Flask) -> None:
    """Each test starts with no failed sign-ins counted against it."""
    app.extensions["sign_in_limiter"].reset()


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Tests make and read data in their own app context; afterwards the data is removed."""
    with app.app_context():
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                db.session.execute(table.delete())
        _remove_frameworks_made_by_tests()
        db.session.commit()


def _remove_frameworks_made_by_tests() -> None:
    """Frameworks the migrations installed stay; those a test loaded or made go."""
    tables = db.metadata.tables
    framework, domain = tables["framework"], tables["framework_domain"]
    installed = select(framework.c.id).where(framework.c.id <= _installed_frameworks())
    made = select(framework.c.id).where(~framework.c.id.in_(installed))
    made_domains = select(domain.c.id).where(domain.c.framework_id.in_(made))
    for name in sorted(KEPT_TABLES - {"alembic_version", "framework", "framework_domain"}):
        table = tables[name]
        if "domain_id" in table.c:
            db.session.execute(table.delete().where(table.c.domain_id.in_(made_domains)))
        elif "framework_id" in table.c:
            db.session.execute(table.delete().where(table.c.framework_id.in_(made)))
    db.session.execute(domain.delete().where(domain.c.framework_id.in_(made)))
    db.session.execute(framework.delete().where(framework.c.id.in_(made)))


_INSTALLED: list[int] = []


def _installed_frameworks() -> int:
    """The highest framework id the migrations installed (read once, before any test)."""
    if not _INSTALLED:
        highest = db.session.scalar(select(func.max(db.metadata.tables["framework"].c.id)))
        _INSTALLED.append(highest or 0)
    return _INSTALLED[0]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    response = client.post(
        "/sign-in", data={"email": email, "password": password}, follow_redirects=True
    )
    if response.request.path == "/sign-in/code":
        # Two-factor sign-in is on for this person: answer as their authenticator app would.
        response = client.post(
            "/sign-in/code", data={"code": authenticator_code(email)}, follow_redirects=True
        )
    return response


def authenticator_code(email: str) -> str:
    """The code the person's authenticator app shows: now's, or the next one if now's has
    been used (the service accepts each code once, and a little ahead for clock drift)."""
    import pyotp

    from maturity.extensions import security
    from maturity.models import User

    query = select(User).where(User.email == email).execution_options(populate_existing=True)
    person = db.session.scalars(query).one()
    app = pyotp.TOTP(security.totp_factory.get_totp_b32_key(person.tf_totp_secret))
    now = time.time()
    if person.tf_totp_last_counter is not None:
        now = max(now, (person.tf_totp_last_counter + 1) * app.interval)
    return app.at(now)


def link(html: BeautifulSoup, text: str):  # type: ignore[no-untyped-def]
    """The link whose visible text (ignoring hidden extras and spacing) starts with ``text``."""
    for anchor in html.find_all("a"):
        if anchor.get_text(" ", strip=True).startswith(text):
            return anchor
    return None


@pytest.fixture
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """Call the returned function with a callable; it returns how many SQL statements ran."""
    from sqlalchemy import event

    def run(action):  # type: ignore[no-untyped-def]
        statements: list[str] = []

        def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return run


RENDERING_MODULES = ("weasyprint", "pydyf")


class _GuardedModule(types.ModuleType):
    """A stand-in for a module of the renderer that refuses to be used by code answering
    a web request, and is the module itself anywhere else (the report workers)."""

    def __init__(self, real: types.ModuleType) -> None:
        super().__init__(real.__name__)
        object.__setattr__(self, "_real", real)

    def __getattr__(self, name: str) -> object:
        from flask import has_request_context

        if has_request_context():
            raise RuntimeError(f"{self.__name__}.{name} used while answering a web request")
        return getattr(object.__getattribute__(self, "_real"), name)


@pytest.fixture
def no_rendering_in_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """While it is on, a web request that renders a PDF fails: every module of WeasyPrint
    (and of the PDF writer under it) is replaced by one that raises when a request uses it.
    Workers run by ``run_jobs`` (outside any request) render as usual."""
    import sys

    import pydyf  # noqa: F401  (loaded now, so that every module there is to guard is)
    import weasyprint
    import weasyprint.urls  # noqa: F401

    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in RENDERING_MODULES and isinstance(module, types.ModuleType):
            monkeypatch.setitem(sys.modules, name, _GuardedModule(module))
