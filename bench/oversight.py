"""Benchmark: the oversight page with 1,000 bodies x 10 periods against a bare Flask route.

Not a test: run it by hand and read the numbers.

    .venv/bin/python bench/oversight.py [--bodies 1000] [--periods 10] [--runs 15]

It builds a throwaway SQLite database (migrated as in production), bulk-inserts the bodies,
their submitted assessments and ratings with SQLAlchemy core, signs a viewer of the parent
body in, then times both routes on the same app with the same client and prints the ratio
of the medians and the number of SQL statements the oversight page issues.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maturity import create_app  # noqa: E402
from maturity.data import frameworks, organisations, users  # noqa: E402
from maturity.domain.roles import MembershipRole  # noqa: E402
from maturity.extensions import db  # noqa: E402
from maturity.models import Assessment, AssessmentStatus, Organisation, Rating  # noqa: E402

PASSWORD = "correct horse battery staple"
EMAIL = "bench-viewer@example.org"


def build(bodies: int, periods: int) -> None:
    framework = frameworks.current()
    parent = organisations.create(name="Bench Department")
    db.session.execute(
        insert(Organisation),
        [
            {"name": f"Bench Body {i:04d}", "slug": f"bench-body-{i:04d}", "parent_id": parent.id}
            for i in range(bodies)
        ],
    )
    ids = list(
        db.session.scalars(select(Organisation.id).where(Organisation.parent_id == parent.id))
    )
    years = [str(2010 + p) for p in range(periods)]
    db.session.execute(
        insert(Assessment),
        [
            {
                "organisation_id": organisation_id,
                "framework_id": framework.id,
                "period": year,
                "status": AssessmentStatus.SUBMITTED
                if (organisation_id + int(year)) % 3
                else AssessmentStatus.APPROVED,
                "version": 1,
            }
            for organisation_id in ids
            for year in years
        ],
    )
    assessments = db.session.execute(
        select(Assessment.id, Assessment.organisation_id).where(Assessment.organisation_id.in_(ids))
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
            for assessment_id, _ in assessments
            for position, domain in enumerate(framework.domains)
        ],
    )
    db.session.commit()
    viewer = users.create(email=EMAIL, password=PASSWORD, name="Bench Viewer", admin=False)
    organisations.grant(user=viewer, organisation=parent, role=MembershipRole.VIEWER)


def timed(client, url: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "SECRET_KEY": "bench-secret-key",
                "SESSION_COOKIE_SECURE": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        # The comparison: the same app, server stack and session handling, doing nothing.
        app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            started = time.perf_counter()
            build(args.bodies, args.periods)
            print(
                f"built {args.bodies} bodies x {args.periods} periods in "
                f"{time.perf_counter() - started:.1f}s"
            )
            engine = db.engine
        client = app.test_client()
        client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
        page = "/organisations/bench-department/oversight"
        bare = "/bench/bare"
        timed(client, page, 2)  # warm both
        timed(client, bare, 2)
        statements: list[str] = []

        def count(*_args: object) -> None:
            statements.append("")

        event.listen(engine, "before_cursor_execute", count)
        client.get(page)
        event.remove(engine, "before_cursor_execute", count)
        page_times = timed(client, page, args.runs)
        bare_times = timed(client, bare, args.runs)
        page_median = statistics.median(page_times)
        bare_median = statistics.median(bare_times)
        print(f"oversight page: median {page_median * 1000:.1f} ms over {args.runs} runs")
        print(f"bare route:     median {bare_median * 1000:.2f} ms over {args.runs} runs")
        print(f"ratio (oversight / bare): {page_median / bare_median:.0f}")
        print(f"SQL statements per oversight page: {len(statements)}")


if __name__ == "__main__":
    main()
