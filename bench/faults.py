"""Faults: restart PostgreSQL in the middle of the load of bench/load.py.

Not a test: run it by hand, and only where restarting PostgreSQL is allowed (every other
database on that server goes down with it for a few seconds).

    .venv/bin/python bench/faults.py [--users 50] [--seconds 60] [--restart-at 20]
        [--down-for 5] [--no-restart] [--database-url ...]

While locust runs the simulated staff against the production set-up, /healthz is asked
every half second. At --restart-at seconds PostgreSQL is stopped (fast shutdown: open
connections are cut), left down for --down-for seconds and started again. Then it checks:

- /healthz answered 503, and quickly, while PostgreSQL was down;
- /healthz answered 200 again by itself once it was back (no restart of the app);
- every save the service acknowledged (a redirect back to the assessment), each with its
  own marker in the evidence, is in the database afterwards.

Requests that failed during the outage are listed: they were refused, not acknowledged.
--relay puts a TCP relay of this script's between the app and PostgreSQL and cuts that
instead (open connections dropped, new ones refused): the same outage as the app sees it,
without restarting a server others use. --no-restart runs everything else, with no outage.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

try:
    from bench import _production
except ImportError:  # run as a script: bench/ is on the path, the repository is not yet
    import _production  # type: ignore[no-redef]

# What the service may take to say it is unhealthy: the connect timeout and a little more.
QUICK_SECONDS = 5.0


@dataclass
class Outage:
    down: float  # the stop had finished
    starting: float  # the start was asked for
    started: float  # the start had finished


@dataclass
class Probe:
    at: float  # seconds after the load started that it was asked
    status: int
    took: float


def postgresql(action: str) -> None:
    versions = sorted(os.listdir("/etc/postgresql"))
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", action]
    if action == "stop":
        command += ["--mode", "fast"]  # "smart" would wait for the app's pooled connections
    subprocess.run(command, check=True)


def watch(url: str, started: float, stop: threading.Event, probes: list[Probe]) -> None:
    while not stop.is_set():
        asked = time.monotonic() - started  # when asked: an answer may queue behind others
        status, took = _production.healthz(url, timeout=30)
        probes.append(Probe(at=asked, status=status, took=took))
        stop.wait(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--restart-at", type=float, default=20)
    parser.add_argument("--down-for", type=float, default=5)
    parser.add_argument("--no-restart", action="store_true")
    parser.add_argument(
        "--relay",
        action="store_true",
        help="reach PostgreSQL through a relay in this script and cut that, not the server",
    )
    parser.add_argument(
        "--quick",
        type=float,
        default=QUICK_SECONDS,
        help="the slowest /healthz answer allowed while PostgreSQL is down (seconds)",
    )
    parser.add_argument("--database-url", default=_production.DATABASE_URL)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from cores)")
    args = parser.parse_args()

    print(f"setting up {args.users} organisations and staff in {args.database_url} ...")
    accounts = _production.set_up(args.database_url, args.users)
    work = Path(tempfile.mkdtemp(prefix="maturity-faults-"))
    acknowledged = work / "acknowledged.txt"
    probes: list[Probe] = []
    stop_watching = threading.Event()
    outage: Outage | None = None
    served_url = args.database_url
    relay = None
    if args.relay:
        host = urlsplit(args.database_url)
        relay = _production.Relay((host.hostname or "127.0.0.1", host.port or 5432))
        relay.up()
        served_url = _production.via(relay, args.database_url)
    with _production.production_server(
        served_url, work / "server.log", workers=args.workers
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
        started = time.monotonic()
        watcher = threading.Thread(target=watch, args=(url, started, stop_watching, probes))
        watcher.start()
        time.sleep(args.restart_at)
        if not args.no_restart:
            what = "the relay to PostgreSQL" if relay else "PostgreSQL"
            print(f"{time.monotonic() - started:5.1f} s: stopping {what}")
            if relay:
                relay.down()
            else:
                postgresql("stop")
            down = time.monotonic() - started
            time.sleep(args.down_for)
            starting = time.monotonic() - started
            print(f"{starting:5.1f} s: starting {what}")
            if relay:
                relay.up()
            else:
                postgresql("start")
            outage = Outage(down, starting, time.monotonic() - started)
        result = _production.finish_locust(locust)
        stop_watching.set()
        watcher.join()

    failed = check(args, probes, outage)
    print(
        f"load: {result.requests} requests, {result.failures} refused, "
        f"p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, "
        f"{result.requests_per_second:.1f} requests/s"
    )
    for line in result.failure_lines:
        print(f"  refused: {line['Method']} {line['Name']}: {line['Error']} x{line['Occurrences']}")
    markers = _production.acknowledged_markers(acknowledged)
    found = _production.markers_in_database(args.database_url, markers)
    missing = len(markers) - len(found)
    print(f"acknowledged saves: {len(markers)}, in the database: {len(found)}, lost: {missing}")
    print(f"(server log, locust log and CSV in {work})")
    return 1 if failed or missing or not markers else 0


def check(args: argparse.Namespace, probes: list[Probe], outage: Outage | None) -> bool:
    """Print what /healthz said around the outage; True if it did not behave."""
    failed = False
    if outage is None:
        unhealthy = [p for p in probes if p.status != 200]
        print(f"/healthz: {len(probes)} probes, {len(unhealthy)} not 200 (no restart)")
        return bool(unhealthy)
    print(
        f"PostgreSQL down from {outage.down:.1f} s; start asked at {outage.starting:.1f} s, "
        f"done at {outage.started:.1f} s"
    )
    # Asked after the stop had finished and before the start began: certainly down.
    during = [p for p in probes if outage.down <= p.at < outage.starting]
    statuses = sorted({p.status for p in during})
    slowest = max((p.took for p in during), default=0.0)
    print(
        f"/healthz while down: {len(during)} probes, statuses {statuses}, slowest {slowest:.2f} s"
    )
    if not during or statuses != [503] or slowest > args.quick:
        print("FAIL: /healthz must answer 503, quickly, while PostgreSQL is down")
        failed = True
    back = next((p for p in probes if p.at >= outage.starting and p.status == 200), None)
    if back is None:
        print("FAIL: /healthz never answered 200 again after PostgreSQL came back")
        failed = True
    else:
        print(
            f"/healthz 200 again when asked {back.at - outage.starting:.1f} s after the start "
            f"began ({back.at - outage.started:+.1f} s from its end)"
        )
        after = [p for p in probes if p.at > back.at and p.status != 200]
        if after:
            print(f"FAIL: {len(after)} probes after recovery were not 200")
            failed = True
    return failed


if __name__ == "__main__":
    sys.exit(main())
