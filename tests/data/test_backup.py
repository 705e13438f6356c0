"""The JSON backup: everything but secrets, and back into an empty database byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from maturity import create_app
from maturity.data import backup
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus, Organisation, User
from tests import factories

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


@pytest.fixture
def second_app(tmp_path: Path) -> Iterator[Flask]:
    """A second service on its own, freshly migrated, SQLite database."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'restored.db'}",
            "SECRET_KEY": "another-secret-key",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with other.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    yield other
    with other.app_context():
        db.engine.dispose()


def make_everything() -> None:
    department = factories.organisation(name="Department")
    body = factories.organisation(name="Home Office & NCA", parent=department)
    factories.member(of=body, role=MembershipRole.APPROVER, email="approver@example.org")
    factories.member(of=department, role=MembershipRole.VIEWER, email="viewer@example.org")
    factories.user(email="admin@example.org", admin=True)
    factories.assessment(
        of=body,
        period="2017",
        levels={"developing-a-framework": 2},
        ambition={"developing-a-framework": 4},
        evidence='Ünïcode evidence, with "quotes"\nand lines',
        status=AssessmentStatus.APPROVED,
    )
    draft = factories.assessment(of=body, period="2018-19", status=AssessmentStatus.DRAFT)
    factories.improvement_action(
        assessment=draft,
        domain_key="using-the-framework",
        due_date=__import__("datetime").date(2019, 3, 31),
    )
    factories.improvement_action(assessment=draft, domain_key="using-the-framework", done=True)


def test_a_backup_has_everything_but_secrets():
    make_everything()
    document = json.loads(backup.dumps())
    tables = document["tables"]
    assert {o["name"] for o in tables["organisation"]} == {"Department", "Home Office & NCA"}
    assert len(tables["assessment"]) == 2
    assert len(tables["improvement_action"]) == 2
    assert tables["rating_change"] and tables["audit_event"] and tables["membership"]
    assert tables["framework"] and tables["descriptor"]
    for person in tables["user"]:
        assert not set(person) & set(backup.SECRET_COLUMNS["user"])
    text = backup.dumps()
    assert "$argon2" not in text
    admin = db.session.scalars(select(User).where(User.email == "admin@example.org")).one()
    assert admin.tf_totp_secret and admin.tf_totp_secret not in text
    assert admin.fs_uniquifier not in text


def test_backup_restore_backup_is_byte_identical(app, second_app, tmp_path):
    make_everything()
    first = tmp_path / "first.json"
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(first)])
    assert result.exit_code == 0, result.output
    assert "without passwords" in result.output

    # The CLI runs in the current app context: the second service's, here.
    runner = second_app.test_cli_runner()
    with second_app.app_context():
        result = runner.invoke(args=["restore", str(first)])
        assert result.exit_code == 0, result.output
        assert "Restored 2 organisations, 3 people, 2 assessments" in result.output
        assert "reset link" in result.output

        second = tmp_path / "second.json"
        result = runner.invoke(args=["backup", "--out", str(second)])
        assert result.exit_code == 0, result.output
        assert second.read_bytes() == first.read_bytes()

        # Restored people cannot sign in until they set a password from a reset link.
        people = db.session.scalars(select(User)).all()
        assert len(people) == 3
        assert all(person.password is None for person in people)
        assert all(person.tf_totp_secret is None for person in people)
        # New rows carry on from the restored ids (which need not start at 1: on
        # PostgreSQL earlier tests have used up ids).
        restored_ids = db.session.scalars(select(Organisation.id)).all()
        made = factories.organisation(name="After the restore")
        assert made.id == max(restored_ids) + 1
        db.session.remove()


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    make_everything()
    path = tmp_path / "backup.json"
    path.write_text(backup.dumps(), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0
    assert "The database is not empty" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not a maturity backup" in result.output
    path.write_text("not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not a JSON backup" in result.output


def test_backup_is_deterministic():
    make_everything()
    assert backup.dumps() == backup.dumps()


def test_the_demo_data_round_trips(app, second_app, tmp_path):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    first = backup.dumps()
    path = tmp_path / "demo.json"
    path.write_text(first, encoding="utf-8")
    with second_app.app_context():
        result = second_app.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        assert backup.dumps() == first
        db.session.remove()
