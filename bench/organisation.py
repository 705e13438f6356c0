"""Benchmark: an organisation's page against a bare Flask route, and its SQL statements
with 1 and with 20 periods of assessments (the count must not grow with the periods).

Not a test: run it by hand and read the numbers (bench/run runs it with the others).

    .venv/bin/python bench/organisation.py [--periods 1 20] [--runs 15]
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

try:
    from bench import _support
except ImportError:  # run as a script: bench/ is on the path, the repository is not yet
    import _support  # type: ignore[no-redef]

from maturity.data import frameworks, organisations, users
from maturity.domain.roles import MembershipRole

EMAIL = "bench-organisation-viewer@example.org"


def build(period_counts: list[int]) -> dict[int, str]:
    """One organisation per count, with that many yearly assessments; a viewer of each.
    Returns each count's page address."""
    framework = frameworks.current()
    viewer = users.create(email=EMAIL, password=_support.PASSWORD, name="Bench Viewer", admin=False)
    pages = {}
    for count in period_counts:
        body = organisations.create(name=f"Bench Body With {count} Periods")
        years = [str(2026 - count + p) for p in range(count)]
        _support.insert_history(framework, [body.id], years)
        organisations.grant(user=viewer, organisation=body, role=MembershipRole.VIEWER)
        pages[count] = f"/organisations/{body.slug}"
    return pages


def measure(*, period_counts: tuple[int, ...] = (1, 20), runs: int = 15) -> dict[str, Any]:
    """For each count of periods: the page's median, its ratio to the bare route's, and its
    SQL statements."""
    with _support.bench_app() as app:
        with app.app_context():
            pages = build(list(period_counts))
        client = _support.signed_in_client(app, EMAIL)
        bare = _support.median_seconds(client, _support.BARE, runs)
        result: dict[str, Any] = {"runs": runs, "bare_ms": bare * 1000, "by_periods": {}}
        for count, url in pages.items():
            page = _support.median_seconds(client, url, runs)
            result["by_periods"][count] = {
                "page_ms": page * 1000,
                "ratio": page / bare,
                "statements": _support.statements(app, partial(client.get, url)),
            }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--periods", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    result = measure(period_counts=tuple(args.periods), runs=args.runs)
    print(f"bare route: median {result['bare_ms']:.2f} ms over {args.runs} runs")
    for count, numbers in result["by_periods"].items():
        print(
            f"organisation page, {count} period(s): median {numbers['page_ms']:.1f} ms, "
            f"ratio {numbers['ratio']:.0f} x bare, {numbers['statements']} SQL statements"
        )


if __name__ == "__main__":
    main()
