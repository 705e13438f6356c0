"""Real worker processes (``flask --app maturity worker``) for the tests that need one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from maturity.data import report_jobs
from maturity.models import ReportJob

FLASK = Path(sys.executable).with_name("flask")
no_flask_command = pytest.mark.skipif(
    not FLASK.exists(), reason="the flask command is not installed"
)


def environment(
    app: Flask, tmp_path: Path, *, stale_seconds: int, queue: dict[str, str]
) -> dict[str, str]:
    """What a web server and its workers share: the database, the queue, the folders.
    ``queue`` chooses the queue (HUEY_SQLITE_PATH, or REDIS_URL and REPORT_QUEUE_NAME)."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REPORT_JOBS_DIR": app.config["REPORT_JOBS_DIR"],
        "REPORT_CACHE_DIR": str(tmp_path / "cache"),
        "REPORT_JOB_STALE_SECONDS": str(stale_seconds),
        "SECRET_KEY": "test-secret-key",
    }
    for key in ("REDIS_URL", "REPORT_QUEUE_NAME", "HUEY_SQLITE_PATH"):
        env.pop(key, None)
    return {**env, **queue}


def start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(FLASK), "--app", "maturity", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),  # closed with the process
        start_new_session=True,  # its own process group: the kill reaches its children
    )


def stop(worker: subprocess.Popen[bytes], how: int) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, how)
    worker.wait(timeout=15)


def job_now(job_id: int) -> ReportJob:
    """A fresh read: the worker writes from another process."""
    return report_jobs.fresh(job_id=job_id)


def until(check: Callable[[], bool], *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
