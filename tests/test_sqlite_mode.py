"""The embedded SQLite database stays safe when several app server workers share its file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from maturity import create_app
from maturity.extensions import SQLITE_BUSY_TIMEOUT_MS, db
from maturity.models import Organisation

ROOT = Path(__file__).resolve().parent.parent

# Each process creates organisations one commit at a time, as a worker saving forms would.
WRITER = textwrap.dedent(
    """
    import sys
    from maturity import create_app
    from maturity.data import organisations

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    with app.app_context():
        print("ready", flush=True)
        sys.stdin.readline()  # both start writing together
        for number in range(int(sys.argv[3])):
            organisations.create(name=f"{sys.argv[2]} {number}")
    """
)


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    """A migrated SQLite database of its own (not the test session's, which may be
    PostgreSQL)."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()
    return url


def test_every_sqlite_connection_uses_wal_and_waits_for_locks(sqlite_file):
    engine = create_engine(sqlite_file)
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
    engine.dispose()


def test_two_processes_writing_at_once_both_succeed(sqlite_file):
    environment = {
        **os.environ,
        "SECRET_KEY": "test-secret-key",
        "PYTHONPATH": str(ROOT),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, sqlite_file, name, "40"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=ROOT,
        )
        for name in ("First", "Second")
    ]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, errors) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, errors

    engine = create_engine(sqlite_file)
    with engine.connect() as connection:
        names = connection.scalars(select(Organisation.name)).all()
        assert connection.scalar(select(func.count()).select_from(Organisation)) == 80
    engine.dispose()
    assert {f"First {n}" for n in range(40)} | {f"Second {n}" for n in range(40)} == set(names)


def test_a_long_read_does_not_hold_up_a_save(sqlite_file):
    """WAL: a report reading for a while does not make someone's save wait for it (with
    SQLite's default journal the save could not commit until the read ended)."""
    engine = create_engine(sqlite_file)
    with engine.connect() as reader:
        reader.exec_driver_sql("BEGIN")
        reader.scalar(select(func.count()).select_from(Organisation))  # holds a read snapshot
        with engine.connect() as writer:
            started = time.monotonic()
            writer.execute(Organisation.__table__.insert().values(name="Saved", slug="saved"))
            writer.commit()
            took = time.monotonic() - started
        # The reader still sees its snapshot, and the save did not wait for it.
        assert reader.scalar(select(func.count()).select_from(Organisation)) == 0
        reader.exec_driver_sql("ROLLBACK")
    assert took < 1
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Organisation)) == 1
    engine.dispose()
