"""Migration 0009 fills the sign-off trail from what the audit trail and the assessments
already said, and downgrades cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from maturity import create_app

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


@pytest.fixture
def database(tmp_path):  # type: ignore[no-untyped-def]
    """A database of its own (SQLite; the tests' PostgreSQL database is shared)."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        yield url
    create_engine(url).dispose()


def _event(connection, at, actor, action, subject, details=None):  # type: ignore[no-untyped-def]
    connection.execute(
        text(
            "INSERT INTO audit_event (occurred_at, actor_id, action, organisation_id, subject, "
            "details) VALUES (:at, :actor, :action, 1, :subject, :details)"
        ),
        {
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": json.dumps(details or {}),
        },
    )


def test_earlier_decisions_are_carried_into_the_trail(database):
    engine = create_engine(database)
    upgrade(directory=MIGRATIONS, revision="0008")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user (id, email, name, active, fs_uniquifier, created_at) VALUES "
                "(1, 'ada@example.org', 'Ada', 1, 'a', '2020-01-01'), "
                "(2, 'alex@example.org', 'Alex', 1, 'b', '2020-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO organisation (id, name, slug, illustrative, created_at) VALUES "
                "(1, 'Home Office', 'home-office', 0, '2020-01-01')"
            )
        )
        # 2019 went through the service; 2018 was approved by the demo, with no events.
        connection.execute(
            text(
                "INSERT INTO assessment (id, organisation_id, framework_id, period, status, "
                "version, created_at, updated_at, submitted_at, submitted_by_id, approved_at, "
                "approved_by_id) VALUES "
                "(1, 1, 1, '2019', 'approved', 1, '2020-01-01', '2020-01-01', "
                "'2020-02-01 10:00:00', 1, '2020-03-01 10:00:00', 2), "
                "(2, 1, 1, '2018', 'approved', 1, '2019-01-01', '2019-01-01', "
                "'2019-01-31 00:00:00', 1, '2019-02-14 00:00:00', 2)"
            )
        )
        _event(connection, "2020-01-20 10:00:00", 1, "assessment.submitted", "2019")
        _event(
            connection,
            "2020-01-25 10:00:00",
            2,
            "rating.moderated",
            "2019 developing-a-framework",
            {
                "assessment_id": 1,
                "before": {"moderated_level": None, "moderated_note": ""},
                "after": {"moderated_level": 3, "moderated_note": "Maps in place"},
            },
        )
        _event(
            connection,
            "2020-01-26 10:00:00",
            2,
            "assessment.sent_back",
            "2019",
            {"assessment_id": 1, "comment": "Cite the minutes", "domains": {}},
        )
        _event(connection, "2020-02-01 10:00:00", 1, "assessment.submitted", "2019")
        _event(
            connection,
            "2020-03-01 10:00:00",
            2,
            "assessment.approved",
            "2019",
            {"assessment_id": 1, "moderated": []},
        )
        # Of an assessment that is not there (another service's backup, say): left out.
        _event(
            connection,
            "2020-03-02 10:00:00",
            2,
            "assessment.reopened",
            "2017",
            {"assessment_id": 99, "reason": "x"},
        )

    upgrade(directory=MIGRATIONS, revision="0009")
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT assessment_id, kind, domain_key, actor_id, occurred_at, reason, details "
                "FROM assessment_decision ORDER BY occurred_at, id"
            )
        ).all()
    assert [tuple(row[:6]) for row in rows] == [
        (2, "submitted", None, 1, "2019-01-31 00:00:00.000000", ""),
        (2, "approved", None, 2, "2019-02-14 00:00:00.000000", ""),
        (1, "submitted", None, 1, "2020-01-20 10:00:00.000000", ""),
        (
            1,
            "moderated",
            "developing-a-framework",
            2,
            "2020-01-25 10:00:00.000000",
            "Maps in place",
        ),
        (1, "sent-back", None, 2, "2020-01-26 10:00:00.000000", "Cite the minutes"),
        (1, "submitted", None, 1, "2020-02-01 10:00:00.000000", ""),
        (1, "approved", None, 2, "2020-03-01 10:00:00.000000", ""),
    ]
    assert json.loads(rows[3][6]) == {"level_before": None, "level_after": 3}

    downgrade(directory=MIGRATIONS, revision="0008")
    assert "assessment_decision" not in inspect(engine).get_table_names()
    engine.dispose()
