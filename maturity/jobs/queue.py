"""The task queue: Huey, on Redis when ``REDIS_URL`` is set, else on a SQLite file.

The instance exists at import time because tasks are registered on it by decorator; it is
configured from the environment, like maturity/config.py, so that the web servers (which
enqueue) and the workers (which run) agree on it. With Redis several worker machines share
one queue; the SQLite file serves workers on the web server's own machine.

``REPORT_QUEUE_NAME`` names the queue (its Redis keys are ``huey.*.NAME``): two services,
or a staging and a live one, sharing a Redis must each have their own, or one's workers
would take the other's jobs.
"""

from __future__ import annotations

import os
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from maturity import ROOT

DEFAULT_NAME = "maturity"


def make_huey(environ: dict[str, str] | None = None) -> Huey:
    environ = dict(os.environ if environ is None else environ)
    name = environ.get("REPORT_QUEUE_NAME") or DEFAULT_NAME
    # Results are never read back (a job's outcome is its ReportJob row), so none are kept.
    if url := environ.get("REDIS_URL"):
        return RedisHuey(name, url=url, results=False)
    path = Path(environ.get("HUEY_SQLITE_PATH") or ROOT / "instance" / "huey.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False)


huey = make_huey()
