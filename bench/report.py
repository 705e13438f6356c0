"""Benchmark: the PDF report against WeasyPrint's own floor, and the cached repeat download.

Not a test: run it by hand (or from bench/run) and read the numbers.

    .venv/bin/python bench/report.py [--runs 5]

It builds a throwaway SQLite database (migrated as in production) holding one organisation
with 20 periods of submitted assessments, made through the data layer, then times in one
process, taking the median of ``--runs`` runs of each:

- the floor: WeasyPrint rendering a one-line document (same PDF variant as the report);
- the report of the last 5 periods, and of all 20, with the PDF cache off: data → HTML → PDF;
- the 5-period report again with the cache on: the first render (cache emptied before each
  run) against a repeat download, which still builds the HTML (it is the cache key) but
  reads the PDF from the cache folder instead of rendering it.

and prints the ratios. The aim (issue 12): the 5-period report within 15x of the floor.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402

from maturity import create_app  # noqa: E402
from maturity.data import assessments, frameworks, organisations  # noqa: E402
from maturity.extensions import db  # noqa: E402
from maturity.models import AssessmentStatus, Organisation  # noqa: E402
from maturity.reports import pdf  # noqa: E402

PERIODS = tuple(str(year) for year in range(2001, 2021))  # 20 calendar years
ONE_LINE = '<html lang="en"><body><p>One line.</p></body></html>'


def build() -> Organisation:
    """One body with a Figure 8-like history over every period, as an assessor would leave
    it: each domain rated, with evidence and an ambition, then submitted."""
    framework = frameworks.current()
    top = framework.top_level
    body = organisations.create(name="Bench Agency")
    for step, period in enumerate(PERIODS):
        made = assessments.start(organisation=body, framework=framework, period=period, actor=None)
        for position, domain in enumerate(framework.domains):
            assessments.save_rating(
                assessment=made,
                domain_key=domain.key,
                level=min(1 + (step + position) // 4, top),
                evidence=f"Evidence for {domain.name} in {period}: board papers and audits.",
                reason_for_change="",
                ambition=top,
                actor=None,
            )
        made.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    return body


def median_ms(
    action: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(runs: int, cache_dir: Path) -> dict[str, float]:
    from flask import current_app

    body = build()
    first5, last = PERIODS[-5], PERIODS[-1]

    def floor() -> bytes:
        return weasyprint.HTML(string=ONE_LINE).write_pdf(pdf_variant=pdf.PDF_VARIANT)

    def report(first: str | None) -> Callable[[], object]:
        return lambda: pdf.organisation_report(organisation=body, first=first, last=last)

    def empty_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    floor()  # warm: fonts, stylesheets, imports
    report(first5)()
    current_app.config["REPORT_CACHE_DIR"] = ""  # off: every run renders
    floor_ms = median_ms(floor, runs)
    five_ms = median_ms(report(first5), runs)
    twenty_ms = median_ms(report(None), runs)

    current_app.config["REPORT_CACHE_DIR"] = str(cache_dir)
    first_ms = median_ms(report(first5), runs, before=empty_cache)
    report(first5)()  # in the cache now
    cached_ms = median_ms(report(first5), runs)
    return {
        "floor_ms": floor_ms,
        "report_5_ms": five_ms,
        "report_20_ms": twenty_ms,
        "ratio_5_periods_to_floor": five_ms / floor_ms,
        "ratio_20_periods_to_floor": twenty_ms / floor_ms,
        "first_render_ms": first_ms,
        "cached_repeat_ms": cached_ms,
        "ratio_cached_to_first_render": cached_ms / first_ms,
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Measure, print and return the numbers; bench/run calls ``main(["--runs", "5"])``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args(argv).runs
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "SECRET_KEY": "bench-secret-key",
                "SESSION_COOKIE_SECURE": False,  # no requests: no SERVICE_URL needed
                "REPORT_CACHE_DIR": "",
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            numbers = measure(runs, Path(tmp) / "report-cache")
            db.session.remove()
            db.engine.dispose()
    print(f"WeasyPrint, one line (floor): median {numbers['floor_ms']:.0f} ms over {runs} runs")
    print(f"report, 5 periods:            median {numbers['report_5_ms']:.0f} ms")
    print(f"report, 20 periods:           median {numbers['report_20_ms']:.0f} ms")
    print(
        f"ratio (5-period report / floor): {numbers['ratio_5_periods_to_floor']:.1f} "
        "(aim: 15 or less)"
    )
    print(f"ratio (20-period report / floor): {numbers['ratio_20_periods_to_floor']:.1f}")
    print(
        f"cached repeat download: median {numbers['cached_repeat_ms']:.0f} ms against a first "
        f"render of {numbers['first_render_ms']:.0f} ms: "
        f"ratio {numbers['ratio_cached_to_first_render']:.3f}"
    )
    return numbers


if __name__ == "__main__":
    main()
