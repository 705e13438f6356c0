"""The host names the service answers to, and the address its e-mailed links are built from.

A request's ``Host`` header is whatever the client sent. Links in invitation and password
reset e-mails are therefore built from ``SERVICE_URL``, never from the request, and requests
naming another host are refused with 400 (Flask's ``TRUSTED_HOSTS``): an attacker cannot make
the service write their address into a page or a link.

``/healthz`` is the one exception: load balancers probe it by the machine's address, which no
list of names can know, and it answers only whether the database is reachable (no links, no
cookies, nobody's data).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import SecurityError

from maturity.config import ConfigurationError

HEALTH_CHECK_PATH = "/healthz"  # maturity/views/health.py


def service_url_problem(config: Mapping[str, Any]) -> str | None:
    """Why the service must not start as configured, in one sentence; None when it may."""
    service_url = config.get("SERVICE_URL") or ""
    if service_url:
        parts = urlsplit(service_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return (
                f"SERVICE_URL must be the address people open the service at, such as "
                f"https://maturity.example.org, not {service_url!r}."
            )
        return None
    if config.get("SESSION_COOKIE_SECURE"):
        return (
            "Set SERVICE_URL to the address people open the service at (such as "
            "https://maturity.example.org): links in invitation and password reset e-mails are "
            "built from it, never from a request's Host header, so the service does not start "
            "without it (for local development over plain HTTP, set SESSION_COOKIE_SECURE=false "
            "instead)."
        )
    if config.get("MAIL_SERVER"):
        return (
            "Set SERVICE_URL to the address people open the service at (such as "
            "http://127.0.0.1:5000): MAIL_SERVER is set, and links in invitation and password "
            "reset e-mails are built from SERVICE_URL, never from a request's Host header."
        )
    return None


def trusted_hosts(service_url: str, extra: Iterable[str]) -> list[str] | None:
    """SERVICE_URL's host name and the ``extra`` names (a name starting with a dot matches
    its subdomains too), or None (any host) when neither gives one: local development."""
    names = [urlsplit(service_url).hostname or ""] if service_url else []
    names += [name.strip().lower() for name in extra]
    hosts = list(dict.fromkeys(name for name in names if name))
    # Werkzeug treats an empty list as "any host": None says so.
    return hosts or None


def init_app(app: Flask) -> None:
    """Refuse to start without SERVICE_URL where it is needed, restrict the accepted hosts,
    and refuse other hosts with a plain 400.

    Call it before anything else registers a ``before_request`` hook (but after logging, so
    the refusal is logged): those hooks must not run for a request to a foreign host."""
    if (problem := service_url_problem(app.config)) and not _a_command():
        raise ConfigurationError(problem)
    configured = app.config.get("TRUSTED_HOSTS") or []
    app.config["TRUSTED_HOSTS"] = trusted_hosts(
        app.config["SERVICE_URL"], [configured] if isinstance(configured, str) else configured
    )
    app.before_request(_refuse_foreign_host)
    app.register_error_handler(SecurityError, _foreign_host)


def _a_command() -> bool:
    """Whether the app is being made for a ``flask --app maturity`` command. Commands build
    no e-mailed link, and scripts rely on them (PRODUCT.md), so they run without SERVICE_URL;
    a server (gunicorn, wsgi.py) refuses to start. Should someone serve with ``flask run``
    all the same, no link is made without SERVICE_URL: see :func:`link_base`."""
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"


def link_base(config: Mapping[str, Any]) -> str | None:
    """The address e-mailed links start with: SERVICE_URL; None only where the request's
    own address may serve (local development: cookies not secure and no MAIL_SERVER)."""
    if config.get("SERVICE_URL"):
        return str(config["SERVICE_URL"])
    if problem := service_url_problem(config):
        raise ConfigurationError(problem)
    return None


def _refuse_foreign_host() -> ResponseReturnValue | None:
    # Flask checks the Host against TRUSTED_HOSTS as the request arrives and keeps the error
    # for routing to raise; the other hooks would run first, so raise it here, before them.
    error = request.routing_exception
    if not isinstance(error, SecurityError):
        return None
    if request.path == HEALTH_CHECK_PATH and request.method in ("GET", "HEAD"):
        from maturity.views import health

        return health.healthz()
    raise error


def _foreign_host(error: SecurityError) -> ResponseReturnValue:
    # No page template: with an untrusted host Flask cannot build any URL, and the page
    # must not echo the host back.
    return (
        "Bad request: this service does not answer to that host name.\n",
        400,
        {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
    )
