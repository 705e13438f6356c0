"""The task queue: Huey, on Redis when ``REDIS_URL`` is set, else on a SQLite file.

The instance exists at import time because tasks are registered on it by decorator; it is
configured from the environment, like maturity/config.py, so that the web servers (which
enqueue) and the workers (which run) agree on it. With Redis several worker machines share
one queue; the SQLite file serves workers on the web server's own machine.

The queue has priorities (``PRIORITY``): a report someone is waiting for is taken before
the renders queued in the background because data changed. On Redis that is huey's
priority queue, a sorted set where the plain queue was a list: a Redis holding a list under
the queue's key from an earlier release has it removed when a worker starts
(``forget_unprioritised_queue``); the jobs it held are still queued in the database, and
the sweep queues them again.

``REPORT_QUEUE_NAME`` names the queue (its Redis keys are ``huey.*.NAME``): two services,
or a staging and a live one, sharing a Redis must each have their own, or one's workers
would take the other's jobs.
"""

from __future__ import annotations

import os
from pathlib import Path

from huey import Huey, PriorityRedisHuey, SqliteHuey

from maturity import ROOT

DEFAULT_NAME = "maturity"
# Higher first. Someone is looking at a "being prepared" page; the rest is ahead of need.
PRIORITY_REQUESTED = 10
PRIORITY_BACKGROUND = 0


def make_huey(environ: dict[str, str] | None = None) -> Huey:
    environ = dict(os.environ if environ is None else environ)
    name = environ.get("REPORT_QUEUE_NAME") or DEFAULT_NAME
    # Results are never read back (a job's outcome is its ReportJob row), so none are kept.
    if url := environ.get("REDIS_URL"):
        return PriorityRedisHuey(name, url=url, results=False)
    path = Path(environ.get("HUEY_SQLITE_PATH") or ROOT / "instance" / "huey.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False)


huey = make_huey()


def forget_unprioritised_queue(queue: Huey) -> bool:
    """Remove a plain (list) queue left under the priority queue's key by an earlier
    release; returns whether there was one."""
    connection = getattr(queue.storage, "conn", None)
    key = getattr(queue.storage, "queue_key", None)
    if connection is None or key is None or connection.type(key) != b"list":
        return False
    connection.delete(key)
    return True
