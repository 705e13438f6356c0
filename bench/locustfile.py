"""The simulated staff for bench/load.py and bench/faults.py (locust runs this file).

Each simulated person signs in with an account of their own (made by bench/_production.py:
an assessor of one organisation, no two-factor), then mixes what staff do: read their
organisation's page, progress and draft; open a domain's form and save a rating of their
draft; download the PDF report. Every save the service acknowledges (a redirect back to the
assessment) carries a unique marker in its evidence, written to LOAD_ACKNOWLEDGED_FILE so
the scripts can check afterwards that each one is in the database.

Requests are named by their kind, as bench/load.py reports them (``KINDS``). A PDF download
is answered by the file or by the "being prepared" page (202, with Retry-After); the person
then does what a browser without the page's script does: waits Retry-After seconds and
follows "Check again" ("PDF ready check"), until the file comes. How long that took from
the click is written to LOAD_REQUESTS_FILE as a "click to file" line.

LOAD_REQUESTS_FILE, when set, gets one JSON line per request (when it started, its kind,
milliseconds, whether it succeeded, the status, and how many people were running), so that
bench/load.py computes exact percentiles and follows each kind over time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
ACKNOWLEDGED_FILE = os.environ.get("LOAD_ACKNOWLEDGED_FILE", "")
REQUESTS_FILE = os.environ.get("LOAD_REQUESTS_FILE", "")
# A person gives up on a report that has not come after this long (seconds).
PDF_PATIENCE = float(os.environ.get("LOAD_PDF_PATIENCE", "300"))

SIGN_IN_PAGE = "sign-in page"
SIGN_IN = "sign-in"
ORGANISATION_PAGE = "organisation page"
PROGRESS = "progress"
DRAFT = "draft"
DOMAIN_FORM = "domain form"
SAVE = "save"
PDF_DOWNLOAD = "PDF download"
PDF_READY_CHECK = "PDF ready check"
# The kinds bench/load.py reports, in this order.
KINDS = (
    SIGN_IN_PAGE,
    SIGN_IN,
    ORGANISATION_PAGE,
    PROGRESS,
    DRAFT,
    DOMAIN_FORM,
    SAVE,
    PDF_DOWNLOAD,
    PDF_READY_CHECK,
)
BEING_PREPARED = "Your report is being prepared"

_next_account = itertools.count()
_write_lock = threading.Lock()
_environment: Environment | None = None
_requests_out = open(REQUESTS_FILE, "a", buffering=1) if REQUESTS_FILE else None  # noqa: SIM115

_INPUT = re.compile(r"<input[^>]*>")
_VALUE = re.compile(r'value="([^"]*)"')
# The link is marked for the page's script; failing that, found by its words.
_CHECK_AGAIN = (
    re.compile(r'<a [^>]*href="([^"]+)"[^>]*data-job-refresh'),
    re.compile(r'<a [^>]*href="([^"]+)"[^>]*>\s*Check again'),
)


def hidden(html: str, name: str) -> str:
    """The value of the form input called ``name`` in ``html``."""
    for tag in _INPUT.findall(html):
        if f'name="{name}"' in tag and (value := _VALUE.search(tag)):
            return value.group(1)
    raise LookupError(f"no input {name!r} on the page")


def check_again(html: str) -> str:
    """The "Check again" link of a "being prepared" page."""
    for pattern in _CHECK_AGAIN:
        if found := pattern.search(html):
            return found.group(1).replace("&amp;", "&")
    raise LookupError("no 'Check again' link on the 'being prepared' page")


def acknowledge(marker: str) -> None:
    if ACKNOWLEDGED_FILE:
        with _write_lock, open(ACKNOWLEDGED_FILE, "a") as out:
            out.write(marker + "\n")


def _running() -> int:
    runner = _environment.runner if _environment is not None else None
    return runner.user_count if runner is not None else 0


def record(line: dict[str, Any]) -> None:
    if _requests_out is not None:
        with _write_lock:
            _requests_out.write(json.dumps(line) + "\n")


@events.init.add_listener
def _remember(environment: Environment, **_: Any) -> None:
    global _environment
    _environment = environment


@events.request.add_listener
def _log_request(
    name: str,
    response_time: float,
    exception: BaseException | None = None,
    response: Any = None,
    start_time: float | None = None,
    **_: Any,
) -> None:
    record(
        {
            "t": start_time if start_time is not None else time.time() - response_time / 1000,
            "kind": name,
            "ms": round(response_time, 2),
            "ok": exception is None,
            "status": getattr(response, "status_code", 0) or 0,
            "users": _running(),
        }
    )


@events.quitting.add_listener
def _close(**_: Any) -> None:
    if _requests_out is not None:
        with _write_lock:
            _requests_out.flush()


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        account: dict[str, Any] = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.slug = account["slug"]
        self.draft = f"/organisations/{self.slug}/assessments/{account['draft_id']}"
        self.domains: list[str] = account["domains"]
        self.top_level: int = account["top_level"]
        page = self.client.get("/sign-in", name=SIGN_IN_PAGE)
        with self.client.post(
            "/sign-in",
            data={
                "email": account["email"],
                "password": account["password"],
                "csrf_token": hidden(page.text, "csrf_token"),
            },
            allow_redirects=False,
            name=SIGN_IN,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/sign-in" in location:
                response.failure(f"not signed in: {response.status_code}")
                raise RuntimeError(f"{account['email']} could not sign in")

    @task(4)
    def organisation_page(self) -> None:
        self.client.get(f"/organisations/{self.slug}", name=ORGANISATION_PAGE)

    @task(2)
    def progress_page(self) -> None:
        self.client.get(f"/organisations/{self.slug}/progress", name=PROGRESS)

    @task(2)
    def draft_page(self) -> None:
        self.client.get(self.draft, name=DRAFT)

    @task(3)
    def save_a_rating(self) -> None:
        address = f"{self.draft}/domains/{random.choice(self.domains)}"
        page = self.client.get(address, name=DOMAIN_FORM)
        if page.status_code != 200:
            return  # counted as a failure by locust already
        marker = f"load-{uuid.uuid4().hex}"
        with self.client.post(
            address,
            data={
                "csrf_token": hidden(page.text, "csrf_token"),
                "version": hidden(page.text, "version"),
                "level": str(random.randint(0, self.top_level)),
                "ambition": str(self.top_level),
                "evidence": f"Evidence written under load ({marker}).",
                "save_draft": "Save as draft and come back later",
            },
            allow_redirects=False,
            name=SAVE,
            catch_response=True,
        ) as response:
            # Saved: back to the assessment. Anything else (the form again with an error, a
            # redirect to sign in, a 5xx) is not an acknowledgement.
            if response.status_code == 302 and response.headers["Location"].endswith(self.draft):
                acknowledge(marker)
                response.success()
            else:
                response.failure(f"save not acknowledged: {response.status_code}")

    @task(1)
    def pdf_report(self) -> None:
        clicked = time.time()
        record({"t": clicked, "flow": "click"})
        address = f"/organisations/{self.slug}/report.pdf"
        name = PDF_DOWNLOAD
        while True:
            with self.client.get(address, name=name, catch_response=True) as response:
                if response.status_code == 200 and response.content.startswith(b"%PDF"):
                    response.success()
                    took = (time.time() - clicked) * 1000
                    record({"t": clicked, "flow": "click to file", "ms": round(took, 1)})
                    return
                if response.status_code != 202 or BEING_PREPARED not in response.text:
                    response.failure(f"neither the file nor the 'being prepared' page: {response}")
                    return
                response.success()
                try:
                    address = check_again(response.text)
                except LookupError as error:
                    response.failure(str(error))
                    return
                wait = float(response.headers.get("Retry-After") or 2)
            if time.time() - clicked + wait > PDF_PATIENCE:
                record({"t": clicked, "flow": "gave up", "ms": (time.time() - clicked) * 1000})
                return
            time.sleep(wait)  # cooperative: locust runs each person in a greenlet
            name = PDF_READY_CHECK
