"""What the in-process benchmarks share: a throwaway migrated database, a bare route to
compare against, bulk-inserted assessments, timing and statement counting."""

from __future__ import annotations

import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402

from maturity import create_app  # noqa: E402
from maturity.extensions import db  # noqa: E402
from maturity.logging_setup import LOGGER_NAME  # noqa: E402
from maturity.models import Assessment, AssessmentStatus, Framework, Rating  # noqa: E402

# Not in the breached-password list (maturity/security/passwords.py): people are made with it.
PASSWORD = "lichen on the old stone bridge"
BARE = "/bench/bare"


@contextmanager
def bench_app() -> Iterator[Flask]:
    """An app on a SQLite file of its own, migrated as in production, with a route that
    does nothing: the same app, server stack and session handling, for comparison."""
    with TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "SECRET_KEY": "bench-secret-key",
                "SESSION_COOKIE_SECURE": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        app.add_url_rule(BARE, "bench_bare", lambda: "ok")
        # One JSON line per request on standard error would bury the numbers.
        logging.getLogger(LOGGER_NAME).setLevel(logging.WARNING)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        yield app
        with app.app_context():
            db.engine.dispose()


def insert_history(
    framework: Framework, organisation_ids: Sequence[int], years: Sequence[str]
) -> None:
    """Submitted or approved assessments for every organisation and year, each domain
    rated, inserted in bulk (the data layer would take minutes for thousands)."""
    db.session.execute(
        insert(Assessment),
        [
            {
                "organisation_id": organisation_id,
                "framework_id": framework.id,
                "period": year,
                "status": AssessmentStatus.SUBMITTED
                if (organisation_id + int(year[:4])) % 3
                else AssessmentStatus.APPROVED,
                "version": 1,
            }
            for organisation_id in organisation_ids
            for year in years
        ],
    )
    assessment_ids = db.session.scalars(
        select(Assessment.id).where(Assessment.organisation_id.in_(organisation_ids))
    ).all()
    top = framework.top_level
    db.session.execute(
        insert(Rating),
        [
            {
                "assessment_id": assessment_id,
                "domain_id": domain.id,
                "level": (assessment_id * 7 + position) % (top + 1),
                "ambition": top,
                "evidence": "",
                "reason_for_change": "",
                "version": 1,
            }
            for assessment_id in assessment_ids
            for position, domain in enumerate(framework.domains)
        ],
    )
    db.session.commit()


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the bench user could not sign in"
    return client


def timed(client: FlaskClient, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def median_seconds(client: FlaskClient, url: str, runs: int) -> float:
    timed(client, url, 2)  # warm: templates compiled, pool filled
    return statistics.median(timed(client, url, runs))


def statements(app: Flask, action: Callable[[], Any]) -> int:
    """How many SQL statements ``action`` sends to the database."""
    count = 0

    def record(*_args: object) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return count
