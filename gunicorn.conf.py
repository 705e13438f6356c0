"""gunicorn settings for production: `gunicorn --config gunicorn.conf.py wsgi:app`
(scripts/serve_production.sh runs it; docs/production.md explains each choice).

Every setting can be overridden from the environment, as the app's own settings are.
"""

from __future__ import annotations

import os
import time
from typing import Any


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
# Sync workers, two per core plus one (docs/production.md, "Worker model", has the reasons and
# the measurements): a request is CPU-bound Python (templates, forms, argon2), so one at a time
# per process, and a few more processes than cores keep the cores busy while some wait on
# PostgreSQL. GUNICORN_WORKER_CLASS=gthread with GUNICORN_THREADS runs that many requests
# per process in threads instead (and keeps connections alive).
workers = _int("WEB_CONCURRENCY", 2 * _cores() + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
threads = _int("GUNICORN_THREADS", 1)
# No web request renders a PDF (the report workers do); a request running past this is stuck
# and is killed (the worker is replaced) rather than holding a process for ever. With gthread
# workers this no longer applies to a single request: the heartbeat comes from the main thread.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle each worker after 5,000 to 7,500 requests (gunicorn adds a random 0 to jitter), so a
# slow leak never builds up. The spread must be wide: the load spreads evenly over the
# workers, so with 1,000 + 0-100 all five reached their count within five seconds, and at 200
# staff the service stopped answering for ten while they booted again (bench/README.md).
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)
# Each worker builds its own app and database pool after the fork: a pool opened before it
# would share sockets between processes.
preload_app = False
# Heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker: Any) -> None:
    """Compile the app's templates before this worker takes its first request.

    Jinja compiles a template the first time it is used, in that request: a new worker's
    first organisation page took 112 ms against 23 ms after, its first PDF download answer
    86 ms against 24-32 ms (docs/production.md). Workers start, and are replaced every
    GUNICORN_MAX_REQUESTS, while others serve, so the second or so this takes is spent
    where no one waits. GUNICORN_PRECOMPILE_TEMPLATES=false leaves it to the requests.
    """
    if os.environ.get("GUNICORN_PRECOMPILE_TEMPLATES", "true").lower() == "false":
        return
    app = getattr(worker, "wsgi", None)
    loader = getattr(app, "jinja_loader", None)
    if app is None or loader is None:
        return
    started = time.monotonic()
    names = loader.list_templates()
    for name in names:
        try:
            app.jinja_env.get_template(name)
        except Exception:  # a broken template fails its own page, as it would without this
            worker.log.warning("template %s did not compile", name, exc_info=True)
    worker.log.debug(
        "compiled %d templates in %.0f ms", len(names), 1000 * (time.monotonic() - started)
    )


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
