"""Background report jobs on a Huey task queue (see queue.py, tasks.py and build.py).

Web servers enqueue; ``flask --app maturity worker`` runs them. The job's state lives in
its ReportJob row, its result in the shared ``REPORT_JOBS_DIR``.
"""

from __future__ import annotations

from flask import Flask

from maturity.jobs.queue import huey
from maturity.jobs.tasks import enqueue

__all__ = ["enqueue", "huey", "init_app"]


def init_app(app: Flask) -> None:
    # Immediate mode runs each task inline, on in-memory storage: tests need no worker.
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
