"""What the load and fault scripts share: a PostgreSQL database of their own filled with
staff and their organisations, the production set-up (scripts/serve_production.sh) started
on loopback, and locust run headless against it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/maturity_bench"
REDIS_URL = "redis://127.0.0.1:6379/1"
# Not in the breached-password list (maturity/security/passwords.py): people are made with it.
PASSWORD = "lichen on the old stone bridge"
HISTORY = ("2021", "2022", "2023", "2024", "2025")  # submitted; the draft is the next year
DRAFT_PERIOD = "2026"
BIN = ROOT / ".venv" / "bin"


def refuse_shared_database(database_url: str) -> None:
    """The set-up empties the database: only one whose name says it is for benchmarks."""
    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to empty database {name!r}: its name must contain 'bench'")


def set_up(database_url: str, staff: int, *, prerender: bool = True) -> list[dict[str, Any]]:
    """Empty and migrate the database, then make ``staff`` organisations, each with five
    submitted years, a draft for the next and one assessor (no two-factor). Returns each
    person's account details for the locustfile.

    Starting each draft queues its organisation's report to be rendered, as in service
    (``prerender``; False queues nothing): onto the benchmarks' own Redis queue, which the
    served report worker takes them from, never onto the development queue in instance/."""
    refuse_shared_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    # Before maturity is imported: its job queue is made from the environment at import.
    os.environ["REDIS_URL"] = REDIS_URL
    import redis
    from flask_migrate import upgrade
    from sqlalchemy import text

    from bench._support import insert_history
    from maturity import create_app
    from maturity.data import assessments, frameworks, organisations, users
    from maturity.domain.roles import MembershipRole
    from maturity.extensions import db

    # Redis db 1 is the benchmarks' own: a previous run's failed sign-ins (refused while
    # PostgreSQL was down) would still count against 127.0.0.1 for 15 minutes, and its queue
    # may hold jobs for organisations that no longer exist.
    redis.Redis.from_url(REDIS_URL).flushdb()
    from huey import RedisHuey

    from maturity.jobs.queue import huey

    if not isinstance(huey, RedisHuey):
        raise SystemExit("the job queue was made before REDIS_URL was set: import order")
    # The database from DATABASE_URL, as served.
    # Plain HTTP on loopback, as served below: no SERVICE_URL needed to make the data.
    app = create_app(
        {"SECRET_KEY": "bench", "REPORT_PRERENDER": prerender, "SESSION_COOKIE_SECURE": False}
    )
    accounts = []
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))
        framework = frameworks.current()
        for number in range(staff):
            body = organisations.create(name=f"Load Body {number:03d}")
            insert_history(framework, [body.id], HISTORY)
            draft = assessments.start(
                organisation=body, framework=framework, period=DRAFT_PERIOD, actor=None
            )
            email = f"load-staff-{number:03d}@example.org"
            person = users.create(email=email, password=PASSWORD, name=f"Staff {number}")
            organisations.grant(user=person, organisation=body, role=MembershipRole.ASSESSOR)
            accounts.append(
                {
                    "email": email,
                    "password": PASSWORD,
                    "slug": body.slug,
                    "draft_id": draft.id,
                    "domains": [domain.key for domain in framework.domains],
                    "top_level": framework.top_level,
                }
            )
        db.session.remove()
        db.engine.dispose()
    return accounts


class Relay:
    """A TCP relay to PostgreSQL that can be cut (open connections dropped, new ones refused)
    and restored: an outage of the database as the app sees it, without restarting a server
    that others use."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        assert self.listener is not None
        self.listener.close()
        self.listener = None
        with self.lock:
            for connection in self.sockets:
                with suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def via(relay: Relay, database_url: str) -> str:
    """``database_url`` with its host and port replaced by the relay's."""
    parts = urlsplit(database_url)
    user = f"{parts.username}@" if parts.username else ""
    return parts._replace(netloc=f"{user}127.0.0.1:{relay.port}").geturl()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz(url: str, timeout: float = 10) -> tuple[int, float]:
    """/healthz's status (0 if nothing answered) and how long it took."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


@dataclass
class Server:
    """The production set-up started by :func:`serve`."""

    url: str
    process: subprocess.Popen[bytes]  # scripts/serve_production.sh, leader of its session
    environment: dict[str, str]


@contextmanager
def serve(
    database_url: str,
    log: Path,
    *,
    workers: int | None = None,
    worker_class: str | None = None,
    threads: int | None = None,
    report_workers: int = 1,
) -> Iterator[Server]:
    """scripts/serve_production.sh on a free loopback port, until the block ends: gunicorn
    (``workers``, ``worker_class`` and ``threads`` as GUNICORN_* settings; unset, its
    defaults) and ``report_workers`` report workers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    scratch = Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PORT": str(port),
        "SECRET_KEY": "bench-secret-key",
        # Plain HTTP on loopback; in production TLS ends at the proxy in front.
        "SESSION_COOKIE_SECURE": "false",
        # Links are built from it, and it is the one host the served app answers to.
        "SERVICE_URL": url,
        "REPORT_CACHE_DIR": str(scratch / "report-cache"),
        "REPORT_JOBS_DIR": str(scratch / "report-jobs"),
        "REPORT_WORKERS": str(report_workers),
    }
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    if worker_class:
        environment["GUNICORN_WORKER_CLASS"] = worker_class
    if threads:
        environment["GUNICORN_THREADS"] = str(threads)
    with open(log, "w") as out:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve_production.sh")],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while healthz(url, timeout=2)[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the production set-up did not start: see {log}")
            time.sleep(0.5)
        yield Server(url=url, process=server, environment=environment)
    finally:
        server.send_signal(signal.SIGTERM)  # the script stops gunicorn and the worker
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(scratch, ignore_errors=True)  # the run's report cache and jobs


@contextmanager
def production_server(database_url: str, log: Path, workers: int | None = None) -> Iterator[str]:
    """:func:`serve` with gunicorn's defaults and one report worker; yields its address."""
    with serve(database_url, log, workers=workers) as server:
        yield server.url


def report_jobs(database_url: str) -> dict[str, int]:
    """How many report jobs are in each state (queued, running, done, failed)."""
    with _connect(database_url) as connection:
        rows = connection.execute("SELECT status, count(*) FROM report_job GROUP BY status")
        return {str(status): int(count) for status, count in rows}


def wait_for_reports(
    server: Server, *, timeout: float, extra_workers: int = 0, log: Path | None = None
) -> tuple[int, float]:
    """Wait until no report job is queued or running (the renders set_up queued); returns
    how many were rendered and how long it took. ``extra_workers`` more report workers
    help while it waits, and are stopped before it returns, so the load meets the served
    set-up alone."""
    database_url = server.environment["DATABASE_URL"]
    started = time.monotonic()
    helper = None
    if extra_workers:
        with open(log or os.devnull, "a") as out:
            helper = subprocess.Popen(
                [
                    str(BIN / "flask"),
                    "--app",
                    "maturity",
                    "worker",
                    "--workers",
                    str(extra_workers),
                ],
                cwd=ROOT,
                env=server.environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    try:
        while True:
            counts = report_jobs(database_url)
            if not counts.get("queued") and not counts.get("running"):
                return counts.get("done", 0), time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise SystemExit(f"reports still being rendered after {timeout:.0f} s: {counts}")
            time.sleep(1)
    finally:
        if helper is not None:
            helper.send_signal(signal.SIGINT)  # huey: finish the job in hand, then stop
            try:
                helper.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(helper.pid, signal.SIGKILL)
                helper.wait()


def _connect(database_url: str) -> Any:
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


# -- What the machine does during the load ---------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class _Process:
    pid: int
    parent: int
    session: int
    ticks: int  # its own CPU time, and that of its children it has waited for
    command: str


def _processes() -> dict[int, _Process]:
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        # After the name: state ppid pgrp session ... utime(14) stime cutime cstime.
        found[int(entry)] = _Process(
            pid=int(entry),
            parent=int(fields[1]),
            session=int(fields[3]),
            ticks=sum(int(value) for value in fields[11:15]),
            command=command,
        )
    return found


def _machine_ticks() -> tuple[int, int]:
    """The machine's busy and total CPU time so far (all cores)."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


@dataclass
class Sample:
    at: float  # seconds since the sampler started
    cpu: dict[str, float]  # percent of one core, by group, since the previous sample
    jobs: dict[str, int]  # report jobs by status; queue messages "ready" and "delayed"
    connections: dict[str, int]  # this database's connections by state
    load1: float


class Sampler:
    """Every ``interval`` seconds, from /proc, PostgreSQL and Redis: the CPU used by gunicorn
    (master and workers), the report worker (and its processes), this database's
    PostgreSQL backends, locust and the whole machine; the report jobs by status (the
    report_job table) and the queue's messages ready to run and waiting out a delay; the
    database's connections by state."""

    def __init__(self, server: Server, database_url: str, interval: float = 1.0) -> None:
        self.server = server
        self.database = urlsplit(database_url).path.lstrip("/")
        self.database_url = database_url
        self.interval = interval
        self.locust_pid: int | None = None
        self.samples: list[Sample] = []
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _groups(self, processes: dict[int, _Process]) -> dict[str, int]:
        """CPU ticks so far of gunicorn, the report worker and locust."""
        leader = self.server.process.pid
        roots = {}
        for process in processes.values():
            if process.parent == leader and "gunicorn" in process.command:
                roots[process.pid] = "gunicorn"
            elif process.parent == leader and " worker" in process.command:
                roots[process.pid] = "report worker"
        if self.locust_pid in processes:
            roots[self.locust_pid] = "locust"
        ticks = dict.fromkeys(("gunicorn", "report worker", "locust"), 0)
        for process in processes.values():
            pid = process.pid
            while pid not in roots and pid in processes and pid > 1:
                pid = processes[pid].parent
            if pid in roots:
                ticks[roots[pid]] += process.ticks
        return ticks

    def _database(self, connection: Any) -> tuple[dict[str, int], dict[str, int], list[int]]:
        jobs = {
            str(status): int(count)
            for status, count in connection.execute(
                "SELECT status, count(*) FROM report_job GROUP BY status"
            )
        }
        rows = connection.execute(
            "SELECT pid, coalesce(state, 'other') FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (self.database,),
        ).fetchall()
        connections: dict[str, int] = {}
        for _, state in rows:
            connections[state] = connections.get(state, 0) + 1
        return jobs, connections, [int(pid) for pid, _ in rows]

    def _queue(self) -> Any:
        """The served job queue, to count its messages: those a worker may take now, and
        those waiting out a delay (renders queued because data changed)."""
        from maturity.jobs.queue import make_huey

        return make_huey(self.server.environment)

    def _run(self) -> None:
        connection = _connect(self.database_url)
        queue = self._queue()
        before_groups: dict[str, int] | None = None
        before_backends: dict[int, int] = {}
        before_machine = _machine_ticks()
        before_at = time.monotonic()
        try:
            while True:
                processes = _processes()
                groups = self._groups(processes)
                jobs, connections, backends = self._database(connection)
                jobs["ready"] = queue.storage.queue_size()
                jobs["delayed"] = queue.storage.schedule_size()
                backend_ticks = {pid: processes[pid].ticks for pid in backends if pid in processes}
                machine = _machine_ticks()
                now = time.monotonic()
                if before_groups is not None:
                    seconds = now - before_at
                    to_percent = 100 / (CLOCK_TICKS * seconds)
                    cpu = {
                        name: (groups[name] - before_groups[name]) * to_percent for name in groups
                    }
                    cpu["PostgreSQL"] = (
                        sum(
                            ticks - before_backends.get(pid, 0)
                            for pid, ticks in backend_ticks.items()
                        )
                        * to_percent
                    )
                    busy, total = (a - b for a, b in zip(machine, before_machine, strict=True))
                    cpu["machine"] = 100 * busy / total * (os.cpu_count() or 1) if total else 0.0
                    self.samples.append(
                        Sample(
                            at=now - self.started,
                            cpu=cpu,
                            jobs=jobs,
                            connections=connections,
                            load1=float(load_average().split()[0]),
                        )
                    )
                before_groups, before_backends = groups, backend_ticks
                before_machine, before_at = machine, now
                if self._stop.wait(self.interval):
                    return
        finally:
            connection.close()


@dataclass
class LoadResult:
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    requests_per_second: float
    by_name: list[dict[str, str]]
    failure_lines: list[dict[str, str]]


@dataclass
class Locust:
    process: subprocess.Popen[bytes]
    prefix: Path


def start_locust(
    url: str,
    accounts: list[dict[str, Any]],
    *,
    users: int,
    seconds: int,
    acknowledged: Path,
    work: Path,
    ramp: float = 5,
) -> Locust:
    """Locust headless in its own process (gevent's monkey-patching stays there), writing
    its statistics as CSV under ``work``, and each request as a JSON line to
    ``work``/requests.jsonl. The ``users`` start evenly over ``ramp`` seconds."""
    prefix = work / "locust"
    environment = {
        **os.environ,
        "LOAD_ACCOUNTS": json.dumps(accounts),
        "LOAD_ACKNOWLEDGED_FILE": str(acknowledged),
        "LOAD_REQUESTS_FILE": str(work / "requests.jsonl"),
    }
    with open(work / "locust.log", "w") as log:
        process = subprocess.Popen(
            [
                str(BIN / "locust"),
                "--locustfile",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                url,
                "--users",
                str(users),
                "--spawn-rate",
                f"{users / max(ramp, 0.1):.3f}",
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(prefix),
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Locust(process=process, prefix=prefix)


def finish_locust(locust: Locust) -> LoadResult:
    locust.process.wait()
    with open(f"{locust.prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures_path = Path(f"{locust.prefix}_failures.csv")
    failure_lines = list(csv.DictReader(failures_path.open())) if failures_path.exists() else []
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50_ms=float(total["50%"]),
        p95_ms=float(total["95%"]),
        requests_per_second=float(total["Requests/s"]),
        by_name=[row for row in rows if row["Name"] != "Aggregated"],
        failure_lines=failure_lines,
    )


def acknowledged_markers(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def markers_in_database(database_url: str, markers: list[str]) -> set[str]:
    """Which of the markers some saved rating change holds in its evidence."""
    from sqlalchemy import create_engine, text

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as connection:
        saved = "\n".join(
            connection.scalars(text('SELECT CAST("after" AS TEXT) FROM rating_change')).all()
        )
    engine.dispose()
    return {marker for marker in markers if marker in saved}
