"""Load: 50 simulated staff for 60 seconds against the production set-up on loopback.

Not a test: run it by hand (it needs `pip install -e '.[bench]'`, PostgreSQL and Redis).

    .venv/bin/python bench/load.py [--users 50] [--seconds 60]
        [--database-url postgresql://postgres@127.0.0.1:5432/maturity_bench] [--workers N]

It empties and migrates the database named (its name must contain "bench"), makes one
organisation per simulated person (five submitted years and a draft) and an assessor for
each, starts scripts/serve_production.sh (gunicorn, the report worker, Redis db 1 for the
sign-in limits and the queue) on a free port, and runs locust headless against it: page
views, saves of a domain rating of the draft, and PDF downloads (bench/locustfile.py). It
prints p50, p95, requests per second and the errors, which should be none, then checks
that every save the service acknowledged is in the database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

try:
    from bench import _production
except ImportError:  # run as a script: bench/ is on the path, the repository is not yet
    import _production  # type: ignore[no-redef]


def report(result: _production.LoadResult, seconds: int, users: int) -> None:
    print(f"{users} simulated staff for {seconds} s:")
    print(f"  requests: {result.requests}, errors: {result.failures}")
    print(f"  p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms")
    print(f"  requests per second: {result.requests_per_second:.1f}")
    print("  by request (count, errors, p50 ms, p95 ms):")
    for row in result.by_name:
        print(
            f"    {row['Type']:4} {row['Name']:58} {row['Request Count']:>6} "
            f"{row['Failure Count']:>4} {row['50%']:>6} {row['95%']:>6}"
        )
    for line in result.failure_lines:
        print(f"  error: {line['Method']} {line['Name']}: {line['Error']} x{line['Occurrences']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url", default=_production.DATABASE_URL)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from cores)")
    args = parser.parse_args()

    print(f"setting up {args.users} organisations and staff in {args.database_url} ...")
    accounts = _production.set_up(args.database_url, args.users)
    work = Path(tempfile.mkdtemp(prefix="maturity-load-"))
    acknowledged = work / "acknowledged.txt"
    with _production.production_server(
        args.database_url, work / "server.log", workers=args.workers
    ) as url:
        print(f"production set-up answering at {url}; load for {args.seconds} s ...")
        locust = _production.start_locust(
            url,
            accounts,
            users=args.users,
            seconds=args.seconds,
            acknowledged=acknowledged,
            work=work,
        )
        result = _production.finish_locust(locust)
    report(result, args.seconds, args.users)
    markers = _production.acknowledged_markers(acknowledged)
    found = _production.markers_in_database(args.database_url, markers)
    print(f"acknowledged saves: {len(markers)}, in the database: {len(found)}")
    print(f"(server log, locust log and CSV in {work})")
    return 0 if result.failures == 0 and len(found) == len(markers) else 1


if __name__ == "__main__":
    sys.exit(main())
