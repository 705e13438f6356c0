"""Logs as JSON lines on standard error: one line per request, and the app's own messages.

A log collector can then parse every line without guessing at a format. A request's line
says what was asked and how it went, and which signed-in person asked (their id only): no
query strings, form fields, e-mail addresses or link tokens, which can be personal or secret.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

LOGGER_NAME = "maturity"
# A request id from the proxy in front is kept (so its logs and ours line up) if it looks
# like one; anything else is replaced rather than written into our logs.
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Route arguments that are secrets: invitation and password reset links carry a token.
SECRET_ROUTE_ARGUMENTS = frozenset({"token"})
# Attributes a record may carry (``extra=``) that become fields of its line.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if "request_id" not in line and has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class _StandardError(logging.StreamHandler[Any]):
    """Writes to whatever ``sys.stderr`` is when a line is written (test runners and
    servers may replace it after start-up)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def init_app(app: Flask) -> None:
    """Call before anything else registers request hooks, so every request is timed."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in logger.handlers):
        handler = _StandardError()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.removeHandler(default_handler)
    logger.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    # Ours alone: a command that also sets up the root logger (the report worker does) must
    # not print each line a second time in another format.
    logger.propagate = False
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.request_started = time.perf_counter()
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:  # a request that failed before any hook ran
        return response
    response.headers[REQUEST_ID_HEADER] = g.request_id
    logging.getLogger(LOGGER_NAME).info(
        "request",
        extra={
            "request_id": g.request_id,
            "method": request.method,
            "path": _path(),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": _user_id(),
        },
    )
    return response


def _path() -> str:
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ROUTE_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(value, "[redacted]")
    return path


def _user_id() -> int | None:
    # Only a person Flask-Login has already loaded for this request: logging must not
    # cost a query (or load anyone) for requests that never asked who is signed in.
    person = g.get("_login_user")
    if person is None:
        return None
    try:
        if not getattr(person, "is_authenticated", False):
            return None
        return getattr(person, "id", None)
    except SQLAlchemyError:
        # The database went away mid-request and the person's row was expired: the id is
        # still in the session's identity map, and logging must not fail the response.
        state = inspect(person, raiseerr=False)
        return state.identity[0] if state is not None and state.identity else None
