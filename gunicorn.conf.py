"""gunicorn settings for production: `gunicorn --config gunicorn.conf.py wsgi:app`
(scripts/serve_production.sh runs it; docs/production.md explains each choice).

Every setting can be overridden from the environment, as the app's own settings are.
"""

from __future__ import annotations

import os


def _cores() -> int:
    # The cores this process may run on (a container's or a cgroup's share), not the host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# Loopback unless told otherwise: a reverse proxy (TLS) normally stands in front.
bind = os.environ.get("BIND") or "{}:{}".format(
    os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
)
# Sync workers: pages and PDFs are CPU-bound Python, so one request per process, and two per
# core (plus one) keeps the cores busy while others wait on the database.
workers = _int("WEB_CONCURRENCY", 2 * _cores() + 1)
worker_class = "sync"
# A PDF report of many periods takes seconds; anything past this is stuck and is killed
# (the worker is replaced) rather than holding a process for ever.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle each worker after about this many requests, so a slow leak (WeasyPrint's font and
# image caches grow) never builds up; the jitter stops every worker restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Each worker builds its own app and database pool after the fork: a pool opened before it
# would share sockets between processes.
preload_app = False
# Heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# No run-time control socket (gunicorn 24+): nothing here uses it, and every gunicorn of this
# user on the machine would otherwise share the one default path.
control_socket_disable = True

# The app logs one JSON line per request (maturity/logging_setup.py): no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's own messages (start, worker restarts, time-outs) as JSON lines too.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "maturity.logging_setup.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    # Libraries' warnings (SQLAlchemy, WeasyPrint) reach the root logger: JSON lines as well.
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {
            "handlers": ["stderr"],
            "level": loglevel.upper(),
            "propagate": False,
        },
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
