"""Background report jobs on a Huey task queue (see queue.py, tasks.py, build.py and
prerender.py).

Web servers enqueue; ``flask --app maturity worker`` runs them. The job's state lives in
its ReportJob row, its result in the shared ``REPORT_JOBS_DIR`` (or, for an organisation's
own report, the PDF cache).
"""

from __future__ import annotations

from flask import Flask
from huey.storage import MemoryStorage

from maturity.data import report_triggers
from maturity.jobs import prerender
from maturity.jobs.queue import huey
from maturity.jobs.tasks import enqueue, run_queued

__all__ = ["enqueue", "huey", "init_app", "run_queued"]


def init_app(app: Flask) -> None:
    if app.config.get("JOBS_IN_MEMORY"):
        # Queued, not run: a test runs the queue when it chooses (run_queued), so that what
        # a web request does is what it does in production, where workers run elsewhere.
        huey.immediate_use_memory = False
        huey.immediate = False
        if not isinstance(huey.storage, MemoryStorage):
            huey.storage = MemoryStorage(huey.name)
    report_triggers.on_change(prerender.changed)
