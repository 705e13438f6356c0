"""Logs are JSON lines on standard error: one per request, with nothing secret or personal
beyond the signed-in person's id."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from maturity.extensions import db
from maturity.logging_setup import LOGGER_NAME, JsonFormatter
from tests import factories
from tests.conftest import PASSWORD, sign_in

ROOT = Path(__file__).resolve().parent.parent

# A real process, so the test reads what an operator's log collector would read.
SERVE_ONE_REQUEST = textwrap.dedent(
    """
    import sys
    from maturity import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    response = app.test_client().get(
        "/healthz?email=someone@example.org", headers={"X-Request-ID": "proxy-id-123"}
    )
    print(response.status_code, response.headers["X-Request-ID"])
    """
)


def test_a_request_is_one_json_line_on_standard_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE_ONE_REQUEST, f"sqlite:///{tmp_path / 'log.db'}"],
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "test-secret-key", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["200", "proxy-id-123"]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    requests = [line for line in lines if line["message"] == "request"]
    assert len(requests) == 1
    line = requests[0]
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["request_id"] == "proxy-id-123"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info"
    assert "user_id" not in line  # nobody signed in
    assert "someone@example.org" not in result.stderr  # the query string is not logged


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_lines():  # type: ignore[no-untyped-def]
    """The request lines logged during the test, as the JSON a log collector would read."""
    logger = logging.getLogger(LOGGER_NAME)
    # The test session migrated its database in this process, and Alembic's logging set-up
    # (migrations/env.py) switches off loggers that existed before it; servers migrate in a
    # process of their own.
    logger.disabled = False
    lines = Lines()
    logger.addHandler(lines)
    formatter = JsonFormatter()

    def read() -> list[dict[str, object]]:
        return [
            json.loads(formatter.format(record))
            for record in lines.records
            if record.getMessage() == "request"
        ]

    yield read
    logger.removeHandler(lines)


def test_a_signed_in_persons_request_carries_their_id_and_nothing_else_about_them(
    client, request_lines
):
    body = factories.organisation(name="Logged Body")
    person = factories.member(role="viewer", of=body, email="logged.person@example.org")
    sign_in(client, "logged.person@example.org")

    response = client.get(f"/organisations/{body.slug}")

    assert response.status_code == 200
    line = request_lines()[-1]
    assert line["path"] == f"/organisations/{body.slug}"
    assert line["status"] == 200
    assert line["user_id"] == person.id
    assert response.headers["X-Request-ID"] == line["request_id"]
    logged = json.dumps(request_lines())
    assert "logged.person@example.org" not in logged
    assert PASSWORD.split()[0] not in logged  # the password posted to sign in


def test_a_link_token_in_the_address_is_not_logged(client, request_lines):
    client.get("/invitation/secret-token-abc123")

    line = request_lines()[-1]
    assert line["path"] == "/invitation/[redacted]"
    assert "secret-token-abc123" not in json.dumps(line)


def test_a_request_id_that_does_not_look_like_one_is_replaced(client, request_lines):
    response = client.get("/healthz", headers={"X-Request-ID": 'x", "forged": "1'})

    line = request_lines()[-1]
    assert "forged" not in json.dumps(line)
    assert len(line["request_id"]) == 32  # a fresh id
    assert response.headers["X-Request-ID"] == line["request_id"]


def test_an_error_is_logged_with_its_traceback_on_one_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger(LOGGER_NAME).makeRecord(
            LOGGER_NAME, logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    text = JsonFormatter().format(record)

    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "error"
    assert "RuntimeError: boom" in line["exception"]


def test_a_failed_statement_does_not_put_its_values_in_the_log():
    with pytest.raises(SQLAlchemyError) as failed:
        db.session.execute(
            text("SELECT * FROM no_such_table WHERE email = :email"),
            {"email": "private.person@example.org"},
        )
    db.session.rollback()

    assert "private.person@example.org" not in str(failed.value)
