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
PASSWORD = "correct horse battery staple"
HISTORY = ("2021", "2022", "2023", "2024", "2025")  # submitted; the draft is the next year
DRAFT_PERIOD = "2026"
BIN = ROOT / ".venv" / "bin"


def refuse_shared_database(database_url: str) -> None:
    """The set-up empties the database: only one whose name says it is for benchmarks."""
    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to empty database {name!r}: its name must contain 'bench'")


def set_up(database_url: str, staff: int) -> list[dict[str, Any]]:
    """Empty and migrate the database, then make ``staff`` organisations, each with five
    submitted years, a draft for the next and one assessor (no two-factor). Returns each
    person's account details for the locustfile."""
    refuse_shared_database(database_url)
    os.environ["DATABASE_URL"] = database_url
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
    app = create_app({"SECRET_KEY": "bench"})  # the database from DATABASE_URL, as served
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


@contextmanager
def production_server(database_url: str, log: Path, workers: int | None = None) -> Iterator[str]:
    """scripts/serve_production.sh on a free loopback port, until the block ends."""
    port = free_port()
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
        "REPORT_CACHE_DIR": str(scratch / "report-cache"),
        "REPORT_JOBS_DIR": str(scratch / "report-jobs"),
        "REPORT_WORKERS": "1",
    }
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    with open(log, "w") as out:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve_production.sh")],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while healthz(url, timeout=2)[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the production set-up did not start: see {log}")
            time.sleep(0.5)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)  # the script stops gunicorn and the worker
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(scratch, ignore_errors=True)  # the run's report cache and jobs


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
) -> Locust:
    """Locust headless in its own process (gevent's monkey-patching stays there), writing
    its statistics as CSV under ``work``."""
    prefix = work / "locust"
    environment = {
        **os.environ,
        "LOAD_ACCOUNTS": json.dumps(accounts),
        "LOAD_ACKNOWLEDGED_FILE": str(acknowledged),
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
                str(max(1, users // 5)),
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
