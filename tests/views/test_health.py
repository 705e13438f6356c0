"""/healthz says whether the database answers: quickly when it does not, and again by itself
when it is back, with no restart of the app."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from flask import Flask

# The same cuttable relay bench/faults.py puts in front of PostgreSQL.
from bench._production import Relay
from maturity import create_app
from maturity.extensions import DATABASE_CONNECT_TIMEOUT_SECONDS, db

POSTGRESQL = ("127.0.0.1", 5432)


def test_with_the_database_reachable_it_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "reachable"}


def _app_on(port: int) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
            "SECRET_KEY": "test-secret-key",
        }
    )


def _healthz(app: Flask) -> tuple[int, float]:
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    return response.status_code, time.monotonic() - started


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a database server that
    has hung or a firewall that swallows packets."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    yield listener.getsockname()[1]
    listener.close()


def test_a_database_that_never_answers_gives_503_within_the_connect_timeout(silent_server):
    app = _app_on(silent_server)

    status, took = _healthz(app)

    assert status == 503
    assert took < DATABASE_CONNECT_TIMEOUT_SECONDS + 2
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def proxy() -> Iterator[Relay]:
    try:
        socket.create_connection(POSTGRESQL, timeout=1).close()
    except OSError:
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    relay = Relay(POSTGRESQL)
    relay.up()
    yield relay
    if relay.listener is not None:
        relay.down()


def test_postgresql_going_away_gives_503_quickly_and_coming_back_gives_200(proxy):
    app = _app_on(proxy.port)
    assert _healthz(app)[0] == 200  # the pool now holds a connection to the old server

    proxy.down()
    status, took = _healthz(app)
    assert status == 503
    assert took < 2

    proxy.up()
    status, _ = _healthz(app)
    assert status == 200  # the dead pooled connection was noticed and replaced
    with app.app_context():
        db.engine.dispose()


def test_a_page_needing_the_database_while_it_is_down_says_so_with_503(silent_server):
    app = _app_on(silent_server)
    app.config["WTF_CSRF_ENABLED"] = False

    response = app.test_client().post(
        "/sign-in", data={"email": "someone@example.org", "password": "x" * 12}
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    text = response.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in text
    assert "Nothing you saved before has been lost" in text
    with app.app_context():
        db.engine.dispose()


def test_the_database_going_away_after_sign_in_was_checked_gives_503_not_500(client):
    """As in a real restart: the person is loaded, then the next query fails and every one
    after it (the error page and the response's headers must not need the database)."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from tests import factories
    from tests.conftest import sign_in

    person = factories.member(role="viewer", of=factories.organisation(name="Agency"))
    sign_in(client, person.email)
    down = {"now": False}

    def refuse(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not down["now"] and "organisation" in statement and '"user"' not in statement:
            down["now"] = True
        if down["now"]:
            raise OperationalError(statement, {}, Exception("the database is shutting down"))

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)

    assert down["now"], "the page never reached a query about organisations"
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)


def test_the_database_gone_before_the_signed_in_person_is_loaded_gives_503(client):
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from tests import factories
    from tests.conftest import sign_in

    person = factories.member(role="viewer", of=factories.organisation(name="Agency"))
    sign_in(client, person.email)

    def refuse(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        raise OperationalError(statement, {}, Exception("the database is shutting down"))

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)

    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)
