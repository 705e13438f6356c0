"""Benchmark: the oversight page with 1,000 bodies x 10 periods against a bare Flask route.

Not a test: run it by hand and read the numbers (bench/run runs it with the others).

    .venv/bin/python bench/oversight.py [--bodies 1000] [--periods 10] [--runs 15]

It builds a throwaway SQLite database (migrated as in production), bulk-inserts the bodies,
their submitted assessments and ratings with SQLAlchemy core, signs a viewer of the parent
body in, then times both routes on the same app with the same client and prints the ratio
of the medians and the number of SQL statements the oversight page issues. It times the
page as a person narrowing it down asks for it too (a search, a level filter, sorted by
the change, the second page): the same work, which should cost the same.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import insert, select

try:
    from bench import _support
except ImportError:  # run as a script: bench/ is on the path, the repository is not yet
    import _support  # type: ignore[no-redef]

from maturity.data import frameworks, organisations, users
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Organisation

EMAIL = "bench-viewer@example.org"
PAGE = "/organisations/bench-department/oversight"
FOUND = PAGE + "?q=body&domain=using-the-framework&compare=at-most&level=3&sort=change-desc&page=2"


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
    _support.insert_history(framework, ids, [str(2010 + p) for p in range(periods)])
    viewer = users.create(email=EMAIL, password=_support.PASSWORD, name="Bench Viewer", admin=False)
    organisations.grant(user=viewer, organisation=parent, role=MembershipRole.VIEWER)


def cpu_median_seconds(client: FlaskClient, url: str, runs: int) -> float:
    """The median processor time of a request: on a machine shared with other work, the
    time this process itself spent, which waiting for a core does not inflate as it does
    the wall-clock medians (those stay the measure; this says how much of them was load)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        assert client.get(url).status_code == 200, url
        times.append(time.process_time() - start)
    return statistics.median(times)


def measure(*, bodies: int = 1000, periods: int = 10, runs: int = 15) -> dict[str, Any]:
    """Medians of the oversight page and the bare route, their ratio, and the page's
    statement count; the same in processor time."""
    with _support.bench_app() as app:
        started = time.perf_counter()
        with app.app_context():
            build(bodies, periods)
        built = time.perf_counter() - started
        client = _support.signed_in_client(app, EMAIL)
        page = _support.median_seconds(client, PAGE, runs)
        bare = _support.median_seconds(client, _support.BARE, runs)
        found = _support.median_seconds(client, FOUND, runs)
        page_cpu = cpu_median_seconds(client, PAGE, runs)
        bare_cpu = cpu_median_seconds(client, _support.BARE, runs)
        statements = _support.statements(app, lambda: client.get(PAGE))
        found_statements = _support.statements(app, lambda: client.get(FOUND))
    return {
        "bodies": bodies,
        "periods": periods,
        "runs": runs,
        "build_seconds": built,
        "page_ms": page * 1000,
        "bare_ms": bare * 1000,
        "ratio": page / bare,
        "statements": statements,
        "found_ms": found * 1000,
        "found_ratio": found / bare,
        "found_statements": found_statements,
        "page_cpu_ms": page_cpu * 1000,
        "bare_cpu_ms": bare_cpu * 1000,
        "cpu_ratio": page_cpu / bare_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    result = measure(bodies=args.bodies, periods=args.periods, runs=args.runs)
    print(f"built {args.bodies} bodies x {args.periods} periods in {result['build_seconds']:.1f}s")
    print(f"oversight page: median {result['page_ms']:.1f} ms over {args.runs} runs")
    print(f"bare route:     median {result['bare_ms']:.2f} ms over {args.runs} runs")
    print(f"ratio (oversight / bare): {result['ratio']:.1f}")
    print(f"SQL statements per oversight page: {result['statements']}")
    print(
        f"searched, filtered, sorted, page 2: median {result['found_ms']:.1f} ms, "
        f"ratio {result['found_ratio']:.1f}, {result['found_statements']} SQL statements"
    )
    print(
        f"processor time: page {result['page_cpu_ms']:.1f} ms, "
        f"bare {result['bare_cpu_ms']:.2f} ms, ratio {result['cpu_ratio']:.1f}"
    )


if __name__ == "__main__":
    main()
