"""Load: simulated staff against the production set-up on loopback, measured per kind of request.

Not a test: run it by hand (it needs `pip install -e '.[bench]'`, PostgreSQL and Redis).

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--ramp 5]
        [--workers N] [--worker-class sync|gthread] [--threads N] [--report-workers 1]
        [--cold] [--window 10]
        [--database-url postgresql://postgres@127.0.0.1:5432/maturity_bench]

It empties and migrates the database named (its name must contain "bench"), makes one
organisation per simulated person (five submitted years and a draft) and an assessor for
each, starts scripts/serve_production.sh (gunicorn, the report worker, Redis db 1 for the
sign-in limits and the job queue) on a free port, waits until every organisation's report
has been rendered (as in a service that has been running; --cold does not), and runs locust
headless against it (bench/locustfile.py): sign-in, page views, saves of a domain rating of
the draft, PDF downloads followed until the file comes.

It prints, per kind of request, the count, errors, p50, p95, p99 and the slowest; how long
a PDF took from the click to the file; PASS or FAIL for each target of issue 12 (below);
then, window by window, each kind's p95 beside the CPU of gunicorn, the report worker,
PostgreSQL (this database's backends), locust and the whole machine, the report jobs queued
and running and the database's connections, and says what bent first. It checks that every
save the service acknowledged is in the database, and prints the load average at the start
and the end. Exits non-zero if a target is missed.

Targets (2 cores, nothing else running, 50 staff for 60 s):
- no request fails, and no acknowledged save is missing from the database;
- each kind of page view, the sign-in and the save: p95 at most 500 ms;
- every PDF download answered (the file, or the "being prepared" page) within 300 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    from bench import _production
except ImportError:  # run as a script: bench/ is on the path, the repository is not yet
    import _production  # type: ignore[no-redef]

# The kinds, as bench/locustfile.py names its requests (it imports locust, which patches
# the standard library with gevent: not imported here).
SIGN_IN_PAGE = "sign-in page"
SIGN_IN = "sign-in"
PAGE_KINDS = (
    SIGN_IN_PAGE,
    SIGN_IN,
    "organisation page",
    "progress",
    "draft",
    "domain form",
    "save",
)
PDF_DOWNLOAD = "PDF download"
PDF_READY_CHECK = "PDF ready check"
KINDS = (*PAGE_KINDS, PDF_DOWNLOAD, PDF_READY_CHECK)
PAGE_P95_MS = 500.0  # every page view, the sign-in and the save, at the 95th percentile
PDF_ANSWER_MS = 300.0  # every PDF download's first answer
TARGET_MS = {
    **dict.fromkeys((*PAGE_KINDS, PDF_READY_CHECK), PAGE_P95_MS),
    PDF_DOWNLOAD: PDF_ANSWER_MS,
}


@dataclass
class Request:
    t: float  # seconds after the load started
    kind: str
    ms: float
    ok: bool
    status: int
    users: int


@dataclass
class Flows:
    clicks: int = 0
    to_file_ms: list[float] = field(default_factory=list)
    gave_up: int = 0


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0..1) of ``values``; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def read_requests(path: Path, started: float) -> tuple[list[Request], Flows]:
    requests: list[Request] = []
    flows = Flows()
    if not path.exists():
        return requests, flows
    for line in path.read_text().splitlines():
        item = json.loads(line)
        flow = item.get("flow")
        if flow == "click":
            flows.clicks += 1
        elif flow == "click to file":
            flows.to_file_ms.append(float(item["ms"]))
        elif flow == "gave up":
            flows.gave_up += 1
        else:
            requests.append(
                Request(
                    t=float(item["t"]) - started,
                    kind=item["kind"],
                    ms=float(item["ms"]),
                    ok=bool(item["ok"]),
                    status=int(item["status"]),
                    users=int(item["users"]),
                )
            )
    return requests, flows


def by_kind(requests: Iterable[Request]) -> dict[str, list[Request]]:
    grouped: dict[str, list[Request]] = defaultdict(list)
    for request in requests:
        grouped[request.kind].append(request)
    return grouped


def ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def server_side(log: Path, started: float) -> dict[str, list[float]]:
    """The app's own durations (its JSON request lines) by kind, of the requests logged
    after ``started`` (a wall-clock time): the work, without the wait for a free worker."""
    patterns = [
        ("POST", re.compile(r"^/sign-in$"), SIGN_IN),
        ("GET", re.compile(r"^/sign-in$"), SIGN_IN_PAGE),
        ("GET", re.compile(r"^/organisations/[^/]+$"), "organisation page"),
        ("GET", re.compile(r"^/organisations/[^/]+/progress$"), "progress"),
        ("GET", re.compile(r"^/organisations/[^/]+/assessments/\d+$"), "draft"),
        ("GET", re.compile(r"^/organisations/[^/]+/assessments/\d+/domains/[^/]+$"), "domain form"),
        ("POST", re.compile(r"^/organisations/[^/]+/assessments/\d+/domains/[^/]+$"), "save"),
        ("GET", re.compile(r"^/organisations/[^/]+/report\.pdf$"), PDF_DOWNLOAD),
        ("GET", re.compile(r"^/organisations/[^/]+/reports/[^/]+/download$"), PDF_READY_CHECK),
    ]
    found: dict[str, list[float]] = defaultdict(list)
    if not log.exists():
        return found
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{") or '"message": "request"' not in line:
            continue
        try:
            item = json.loads(line)
            at = datetime.fromisoformat(item["time"]).timestamp()
        except (ValueError, KeyError):
            continue
        if at < started:
            continue
        for method, pattern, kind in patterns:
            if item.get("method") == method and pattern.match(item.get("path", "")):
                found[kind].append(float(item["duration_ms"]))
                break
    return found


def kind_table(
    requests: list[Request], server: dict[str, list[float]]
) -> dict[str, dict[str, float]]:
    """Per kind: count, errors, p50, p95, p99 and the slowest, in milliseconds, as the
    simulated people saw them; and p50 and p95 of the app's own time (the rest is waiting
    for a free worker, or for the processor)."""
    grouped = by_kind(requests)
    order = [kind for kind in KINDS if kind in grouped] + sorted(set(grouped) - set(KINDS))
    table = {}
    print(
        "| kind | count | errors | p50 ms | p95 ms | p99 ms | slowest ms "
        "| app's own p50 ms | app's own p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in order:
        times = [request.ms for request in grouped[kind]]
        own = server.get(kind, [])
        row = {
            "count": len(times),
            "errors": sum(not request.ok for request in grouped[kind]),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": max(times),
            "app_p50": percentile(own, 0.50),
            "app_p95": percentile(own, 0.95),
        }
        table[kind] = row
        print(
            f"| {kind} | {row['count']} | {row['errors']} | {ms(row['p50'])} | "
            f"{ms(row['p95'])} | {ms(row['p99'])} | {ms(row['max'])} | "
            f"{ms(row['app_p50'])} | {ms(row['app_p95'])} |"
        )
    return table


def check_targets(
    table: dict[str, dict[str, float]], requests: list[Request], lost: int, acknowledged: int
) -> list[tuple[str, bool]]:
    errors = sum(not request.ok for request in requests)
    checks = [
        (f"errors: {errors} (target 0)", errors == 0),
        (f"lost saves: {lost} of {acknowledged} acknowledged (target 0)", lost == 0),
    ]
    for kind in (*PAGE_KINDS, PDF_READY_CHECK):
        if kind in table:
            p95 = table[kind]["p95"]
            checks.append(
                (f"{kind}: p95 {p95:.0f} ms (target <= {PAGE_P95_MS:.0f})", p95 <= PAGE_P95_MS)
            )
        elif kind != PDF_READY_CHECK:
            checks.append((f"{kind}: no requests made", False))
    downloads = [request for request in requests if request.kind == PDF_DOWNLOAD]
    if downloads:
        slowest = max(request.ms for request in downloads)
        answered = [request for request in downloads if request.ok]
        files = sum(request.status == 200 for request in answered)
        checks.append(
            (
                f"PDF download: {len(answered)} of {len(downloads)} answered by the file ({files}) "
                f"or the 'being prepared' page ({len(answered) - files}), the slowest in "
                f"{slowest:.0f} ms (target: every one within {PDF_ANSWER_MS:.0f} ms)",
                len(answered) == len(downloads) and slowest <= PDF_ANSWER_MS,
            )
        )
    else:
        checks.append(("PDF download: no requests made", False))
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return checks


def click_to_file(flows: Flows) -> dict[str, float]:
    times = flows.to_file_ms
    unfinished = flows.clicks - len(times) - flows.gave_up
    print(
        f"PDF, from the click to the file: {len(times)} of {flows.clicks} clicks got the file"
        f" (gave up: {flows.gave_up}; still waiting when the load stopped: {unfinished})"
    )
    if times:
        print(
            f"  p50 {percentile(times, 0.5) / 1000:.1f} s, p95 {percentile(times, 0.95) / 1000:.1f}"
            f" s, slowest {max(times) / 1000:.1f} s; "
            f"{sum(t < PDF_ANSWER_MS for t in times)} straight away (a file at the first answer)"
        )
    return {
        "clicks": flows.clicks,
        "files": len(times),
        "gave_up": flows.gave_up,
        "unfinished": unfinished,
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times) if times else math.nan,
    }


@dataclass
class Window:
    start: float
    end: float
    users: int
    p95: dict[str, float]
    count: dict[str, int]
    cpu: dict[str, float]
    queued: int  # report_job rows queued (with those waiting out a delay)
    ready: int  # queue messages a worker may take now
    delayed: int  # queue messages waiting out their delay
    running: int
    connections: int
    load1: float


CPU_GROUPS = ("gunicorn", "report worker", "PostgreSQL", "locust", "machine")


def windows(
    requests: list[Request], samples: list[_production.Sample], width: float
) -> list[Window]:
    if not requests:
        return []
    last = max(request.t for request in requests)
    result = []
    start = 0.0
    while start <= last:
        end = start + width
        inside = [request for request in requests if start <= request.t < end]
        sampled = [sample for sample in samples if start <= sample.at < end]
        grouped = by_kind(inside)
        cpu = {
            name: sum(sample.cpu.get(name, 0.0) for sample in sampled) / len(sampled)
            if sampled
            else math.nan
            for name in CPU_GROUPS
        }
        final = sampled[-1] if sampled else None
        result.append(
            Window(
                start=start,
                end=end,
                users=max((request.users for request in inside), default=0),
                p95={
                    kind: percentile([r.ms for r in grouped[kind]], 0.95)
                    for kind in grouped
                    if len(grouped[kind]) >= 3
                },
                count={kind: len(grouped[kind]) for kind in grouped},
                cpu=cpu,
                queued=final.jobs.get("queued", 0) if final else 0,
                ready=final.jobs.get("ready", 0) if final else 0,
                delayed=final.jobs.get("delayed", 0) if final else 0,
                running=final.jobs.get("running", 0) if final else 0,
                connections=max((sum(s.connections.values()) for s in sampled), default=0),
                load1=final.load1 if final else math.nan,
            )
        )
        start = end
    return result


SHORT = {
    "sign-in page": "signpg",
    "sign-in": "signin",
    "organisation page": "org",
    "progress": "progr",
    "draft": "draft",
    "domain form": "form",
    "save": "save",
    PDF_DOWNLOAD: "pdf",
    PDF_READY_CHECK: "ready",
}


def print_windows(rows: list[Window]) -> None:
    kinds = [kind for kind in KINDS if any(kind in row.count for row in rows)]
    print(
        "p95 ms by kind (- : fewer than 3 requests), CPU in % of one core (the machine has "
        f"{os.cpu_count()} cores); report jobs (queued rows; queue messages ready to run and "
        "delayed; running) at the end of each window, DB connections at most:"
    )
    header = (
        f"{'window s':>9} {'staff':>5} "
        + " ".join(f"{SHORT.get(kind, kind[:6]):>6}" for kind in kinds)
        + " | gunicorn report   pg locust machine | queued ready delayed running | conns load1"
    )
    print(header)
    for row in rows:
        cells = " ".join(f"{ms(row.p95.get(kind, math.nan)):>6}" for kind in kinds)
        cpu = row.cpu
        print(
            f"{row.start:>4.0f}-{row.end:<4.0f} {row.users:>5} {cells} | "
            f"{ms(cpu['gunicorn']):>8} {ms(cpu['report worker']):>6} {ms(cpu['PostgreSQL']):>4} "
            f"{ms(cpu['locust']):>6} {ms(cpu['machine']):>7} | {row.queued:>6} {row.ready:>5} "
            f"{row.delayed:>7} {row.running:>7} | "
            f"{row.connections:>5} {row.load1:>5.2f}"
        )


# A window's p95 says something about a kind only with this many of its requests in it.
ENOUGH = 10


def where_it_bends(rows: list[Window]) -> list[str]:
    """What bent first: the kinds in the order their p95 went over the target and stayed
    over (the next window with enough of its requests was over too, or there was none), and
    in the order their p95 doubled from their first window; when the machine's processors
    were first nearly all busy; how the report queue and the connections grew."""
    findings = []
    crossed = []
    doubled = []
    for kind, target in TARGET_MS.items():
        seen = [row for row in rows if kind in row.p95 and row.count.get(kind, 0) >= ENOUGH]
        if not seen:
            continue
        for index, row in enumerate(seen):
            following = seen[index + 1] if index + 1 < len(seen) else None
            if row.p95[kind] > target and (following is None or following.p95[kind] > target):
                crossed.append((row.start, kind, row))
                break
        base = seen[0].p95[kind]
        grown = next((row for row in seen[1:] if row.p95[kind] >= max(2 * base, base + 50)), None)
        if grown is not None:
            doubled.append((grown.start, kind, grown, base))

    def cpu_of(row: Window) -> str:
        cpu = row.cpu
        return (
            f"gunicorn {ms(cpu['gunicorn'])}%, report worker {ms(cpu['report worker'])}%, "
            f"PostgreSQL {ms(cpu['PostgreSQL'])}%, locust {ms(cpu['locust'])}%, "
            f"machine {ms(cpu['machine'])}%; report jobs ready to run {row.ready}, running "
            f"{row.running}, waiting out their delay {row.delayed}; "
            f"{row.connections} DB connections"
        )

    if crossed:
        crossed.sort(key=lambda item: (item[0], -item[2].p95[item[1]] / TARGET_MS[item[1]]))
        first_at, kind, row = crossed[0]
        findings.append(
            f"first over its target: {kind} (p95 {row.p95[kind]:.0f} ms > "
            f"{TARGET_MS[kind]:.0f}) at {first_at:.0f}-{row.end:.0f} s with {row.users} staff "
            f"running; then: {cpu_of(row)}"
        )
        order = ", ".join(f"{kind} at {at:.0f} s ({row.users} staff)" for at, kind, row in crossed)
        findings.append(f"over their targets, in order: {order}")
    else:
        findings.append(
            f"no kind's p95 went over its target and stayed over (windows with {ENOUGH} or "
            "more of its requests)"
        )
    if doubled:
        doubled.sort(key=lambda item: item[0])
        order = ", ".join(
            f"{kind} at {at:.0f} s ({row.users} staff, {base:.0f} -> {row.p95[kind]:.0f} ms)"
            for at, kind, row, base in doubled
        )
        findings.append(f"p95 at least doubled from its first window, in order: {order}")
    cores = os.cpu_count() or 1
    busy = next((row for row in rows if row.cpu["machine"] >= 90 * cores), None)
    if busy is not None:
        findings.append(
            f"the machine's processors first >= 90% busy at {busy.start:.0f}-{busy.end:.0f} s "
            f"with {busy.users} staff: {cpu_of(busy)}"
        )
    else:
        findings.append("the machine's processors were never 90% busy over a window")
    if rows:
        most = max(rows, key=lambda row: row.ready)
        findings.append(
            f"report jobs ready to run (the worker's backlog): {rows[0].ready} in the first "
            f"window, {rows[-1].ready} in the last, at most {most.ready} (at {most.start:.0f} s); "
            f"waiting out their delay at most {max(row.delayed for row in rows)}"
        )
        findings.append(
            f"database connections: at most {max(row.connections for row in rows)} at once"
        )
    for line in findings:
        print(f"  {line}")
    return findings


def cpu_used(
    samples: list[_production.Sample], requests: int, server: dict[str, list[float]]
) -> dict[str, float]:
    """CPU seconds used during the load by each group; gunicorn's per request, and against
    the app's own request time summed (near 100%: requests are work for the processor, not
    waits on the database, which more threads would not overlap)."""
    used = dict.fromkeys(CPU_GROUPS, 0.0)
    previous = 0.0
    for sample in samples:
        for name in CPU_GROUPS:
            used[name] += sample.cpu.get(name, 0.0) / 100 * (sample.at - previous)
        previous = sample.at
    app_seconds = sum(sum(times) for times in server.values()) / 1000
    print(
        "CPU seconds during the load: "
        + ", ".join(f"{name} {used[name]:.1f}" for name in CPU_GROUPS)
        + f" (over {previous:.0f} s, {os.cpu_count()} cores)"
    )
    if requests and app_seconds:
        print(
            f"  gunicorn: {1000 * used['gunicorn'] / requests:.1f} ms of CPU per request; "
            f"the app's own request time summed is {app_seconds:.1f} s, of which gunicorn's CPU "
            f"is {100 * used['gunicorn'] / app_seconds:.0f}%"
        )
    return {**used, "app_request_seconds": app_seconds}


def renders_during(database_url: str, since: datetime) -> dict[str, Any]:
    """The report jobs finished since ``since``: how many, how long their renders took and
    how long the ones someone asked for waited to start."""
    with _production._connect(database_url) as connection:
        rows = connection.execute(
            "SELECT requested_by_id IS NOT NULL, status, "
            "EXTRACT(EPOCH FROM finished_at - started_at), "
            "EXTRACT(EPOCH FROM started_at - created_at) "
            "FROM report_job WHERE finished_at >= %s",
            (since,),
        ).fetchall()
    done = [row for row in rows if row[1] == "done"]
    renders = [float(row[2]) for row in done if row[2] is not None]
    waits = [float(row[3]) for row in done if row[0] and row[3] is not None]
    summary = {
        "finished": len(rows),
        "failed": sum(row[1] == "failed" for row in rows),
        "asked_for": sum(bool(row[0]) for row in done),
        "background": sum(not row[0] for row in done),
        "render_p50_s": percentile(renders, 0.5),
        "render_p95_s": percentile(renders, 0.95),
        "asked_wait_p50_s": percentile(waits, 0.5),
        "asked_wait_p95_s": percentile(waits, 0.95),
    }
    print(
        f"report jobs finished during the load: {summary['finished']} "
        f"({summary['asked_for']} asked for by a download, {summary['background']} queued "
        f"because data changed, {summary['failed']} failed); each took p50 "
        f"{summary['render_p50_s']:.1f} s, p95 {summary['render_p95_s']:.1f} s; "
        f"those asked for waited to start p50 {summary['asked_wait_p50_s']:.1f} s, "
        f"p95 {summary['asked_wait_p95_s']:.1f} s"
    )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated staff")
    parser.add_argument("--seconds", type=int, default=60, help="how long the load runs")
    parser.add_argument(
        "--ramp", type=float, default=5, help="seconds over which the staff start, evenly"
    )
    parser.add_argument("--database-url", default=_production.DATABASE_URL)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from cores)")
    parser.add_argument(
        "--worker-class", choices=("sync", "gthread"), help="default: gunicorn.conf.py's"
    )
    parser.add_argument("--threads", type=int, help="threads per gthread worker")
    parser.add_argument("--report-workers", type=int, default=1, help="report worker processes")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start with no report rendered (each first download waits for its render)",
    )
    parser.add_argument("--warm-up-timeout", type=float, default=1800)
    parser.add_argument("--window", type=float, default=10, help="seconds per window")
    args = parser.parse_args()

    load_at_start = _production.load_average()
    print(f"load average at the start: {load_at_start}")
    print(f"setting up {args.users} organisations and staff in {args.database_url} ...")
    accounts = _production.set_up(args.database_url, args.users, prerender=not args.cold)
    work = Path(tempfile.mkdtemp(prefix="maturity-load-"))
    acknowledged = work / "acknowledged.txt"
    with _production.serve(
        args.database_url,
        work / "server.log",
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        report_workers=args.report_workers,
    ) as server:
        settings = server.environment
        print(
            f"production set-up answering at {server.url}: gunicorn "
            f"{settings.get('GUNICORN_WORKER_CLASS', 'default worker class')}, "
            f"{settings.get('WEB_CONCURRENCY', 'default')} workers, "
            f"{settings.get('GUNICORN_THREADS', 'default')} threads; "
            f"{args.report_workers} report worker(s)"
        )
        if not args.cold:
            print("rendering every organisation's report first (as a running service has) ...")
            rendered, took = _production.wait_for_reports(
                server,
                timeout=args.warm_up_timeout,
                extra_workers=os.cpu_count() or 1,
                log=work / "warm-up.log",
            )
            print(f"  {rendered} reports rendered in {took:.0f} s")
        print(
            f"load: {args.users} staff starting over {args.ramp:.0f} s, for {args.seconds} s "
            f"(load average now {_production.load_average()}) ..."
        )
        since = datetime.now(UTC).replace(tzinfo=None)
        with _production.Sampler(server, args.database_url) as sampler:
            started = time.time()
            locust = _production.start_locust(
                server.url,
                accounts,
                users=args.users,
                seconds=args.seconds,
                acknowledged=acknowledged,
                work=work,
                ramp=args.ramp,
            )
            sampler.locust_pid = locust.process.pid
            result = _production.finish_locust(locust)
        renders = renders_during(args.database_url, since)
    load_at_end = _production.load_average()

    requests, flows = read_requests(work / "requests.jsonl", started)
    elapsed = max((request.t for request in requests), default=0.0) or float(args.seconds)
    print(
        f"\n== {args.users} staff for {args.seconds} s: {len(requests)} requests, "
        f"{len(requests) / elapsed:.1f} per second =="
    )
    own_times = server_side(work / "server.log", started)
    table = kind_table(requests, own_times)
    flow = click_to_file(flows)
    markers = _production.acknowledged_markers(acknowledged)
    found = _production.markers_in_database(args.database_url, markers)
    print("\n== targets ==")
    checks = check_targets(table, requests, len(markers) - len(found), len(markers))
    print(f"\n== over time ({args.window:.0f} s windows) ==")
    rows = windows(requests, sampler.samples, args.window)
    print_windows(rows)
    print("\n== where it bends ==")
    findings = where_it_bends(rows)
    cpu = cpu_used(sampler.samples, len(requests), own_times)
    for line in result.failure_lines:
        print(f"error: {line['Method']} {line['Name']}: {line['Error']} x{line['Occurrences']}")
    print(f"\nload average at the start: {load_at_start}; at the end: {load_at_end}")
    print(f"(server log, locust log, requests.jsonl and summary.json in {work})")
    (work / "summary.json").write_text(
        json.dumps(
            {
                "users": args.users,
                "seconds": args.seconds,
                "ramp": args.ramp,
                "server": {
                    key: settings.get(key)
                    for key in ("GUNICORN_WORKER_CLASS", "WEB_CONCURRENCY", "GUNICORN_THREADS")
                },
                "report_workers": args.report_workers,
                "cold": args.cold,
                "load_average": {"start": load_at_start, "end": load_at_end},
                "kinds": table,
                "click_to_file": flow,
                "renders": renders,
                "cpu_seconds": cpu,
                "acknowledged_saves": len(markers),
                "saves_in_database": len(found),
                "targets": [{"target": text, "passed": passed} for text, passed in checks],
                "bends": findings,
            },
            indent=2,
            default=str,
        )
    )
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
