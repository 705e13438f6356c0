"""Migration 0007 upgrades a database in use, downgrades cleanly, and upgrades again."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from maturity import create_app
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, checksum, load

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
NEW_TABLES = {"criterion", "rating_criterion", "organisation_framework"}


@pytest.fixture
def database(tmp_path):
    """A database of its own (SQLite; the tests' PostgreSQL database is shared)."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        yield url
    create_engine(url).dispose()


def test_upgrade_downgrade_upgrade(database):
    engine = create_engine(database)
    upgrade(directory=MIGRATIONS, revision="0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisation (name, slug, illustrative, created_at) VALUES "
                "('Home Office', 'home-office', 0, '2020-01-01'), "
                "('Border Force', 'border-force', 0, '2020-01-01')"
            )
        )

    upgrade(directory=MIGRATIONS, revision="0007")
    with engine.connect() as connection:
        enabled = connection.execute(
            text("SELECT organisation_id, framework_key FROM organisation_framework ORDER BY 1")
        ).all()
        installed = connection.execute(
            text("SELECT checksum, loaded_at = created_at FROM framework")
        ).all()
    # Every body that was there keeps assessing against the NAO model.
    assert enabled == [(1, DEFAULT_FRAMEWORK_KEY), (2, DEFAULT_FRAMEWORK_KEY)]
    # The installed version is recognised if its file is loaded again.
    assert installed == [(checksum(load("nao-performance-measurement.v1.json")), 1)]
    columns = {c["name"] for c in inspect(engine).get_columns("framework_domain")}
    assert "description" in columns

    downgrade(directory=MIGRATIONS, revision="0006")
    tables = set(inspect(engine).get_table_names())
    assert not tables & NEW_TABLES
    assert "checksum" not in {c["name"] for c in inspect(engine).get_columns("framework")}
    with engine.connect() as connection:
        # Rebuilding the framework table on SQLite kept its rows and their children.
        assert connection.execute(text("SELECT count(*) FROM framework_domain")).scalar() == 3
        assert connection.execute(text("SELECT count(*) FROM descriptor")).scalar() == 15

    upgrade(directory=MIGRATIONS)
    assert set(inspect(engine).get_table_names()) >= NEW_TABLES
    engine.dispose()
