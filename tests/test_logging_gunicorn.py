"""The production app server (gunicorn.conf.py) logs as the app does: JSON lines only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_serves_the_app_and_every_line_it_writes_is_json(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
            "SECRET_KEY": "test-secret-key",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    status = r.status
                    request_id = r.headers["X-Request-ID"]
                break
            except OSError:
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        output, errors = server.communicate(timeout=60)

    assert status == 200, errors
    lines = [json.loads(line) for line in errors.splitlines() if line.strip()]
    assert any(
        line["logger"] == "gunicorn.error" and line["message"].startswith("Starting gunicorn")
        for line in lines
    )
    requests = [line for line in lines if line["message"] == "request"]
    # An earlier try may have timed out on a busy machine and been served all the same.
    assert {(r["path"], r["status"]) for r in requests} == {("/healthz", 200)}
    assert requests[-1]["request_id"] == request_id
    assert output == ""  # no access log, nothing else
