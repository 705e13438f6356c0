"""The simulated staff for bench/load.py and bench/faults.py (locust runs this file).

Each simulated person signs in with an account of their own (made by bench/_production.py:
an assessor of one organisation, no two-factor), then mixes what staff do: read their
organisation's page, progress and assessment; save a domain rating of their draft; download
the PDF report. Every save the service acknowledges (a redirect back to the assessment)
carries a unique marker in its evidence, written to LOAD_ACKNOWLEDGED_FILE so the fault
script can check afterwards that each one is in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid
from typing import Any

from locust import HttpUser, between, task

ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
ACKNOWLEDGED_FILE = os.environ.get("LOAD_ACKNOWLEDGED_FILE", "")
_next_account = itertools.count()
_acknowledged_lock = threading.Lock()

_INPUT = re.compile(r"<input[^>]*>")
_VALUE = re.compile(r'value="([^"]*)"')


def hidden(html: str, name: str) -> str:
    """The value of the form input called ``name`` in ``html``."""
    for tag in _INPUT.findall(html):
        if f'name="{name}"' in tag and (value := _VALUE.search(tag)):
            return value.group(1)
    raise LookupError(f"no input {name!r} on the page")


def acknowledge(marker: str) -> None:
    if ACKNOWLEDGED_FILE:
        with _acknowledged_lock, open(ACKNOWLEDGED_FILE, "a") as out:
            out.write(marker + "\n")


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        account: dict[str, Any] = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.slug = account["slug"]
        self.draft = f"/organisations/{self.slug}/assessments/{account['draft_id']}"
        self.domains: list[str] = account["domains"]
        self.top_level: int = account["top_level"]
        page = self.client.get("/sign-in", name="/sign-in")
        response = self.client.post(
            "/sign-in",
            data={
                "email": account["email"],
                "password": account["password"],
                "csrf_token": hidden(page.text, "csrf_token"),
            },
            allow_redirects=False,
            name="/sign-in",
        )
        if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
            raise RuntimeError(f"{account['email']} could not sign in")

    @task(4)
    def organisation_page(self) -> None:
        self.client.get(f"/organisations/{self.slug}", name="/organisations/[slug]")

    @task(2)
    def progress_page(self) -> None:
        self.client.get(
            f"/organisations/{self.slug}/progress", name="/organisations/[slug]/progress"
        )

    @task(2)
    def assessment_overview(self) -> None:
        self.client.get(self.draft, name="/organisations/[slug]/assessments/[id]")

    @task(3)
    def save_a_rating(self) -> None:
        address = f"{self.draft}/domains/{random.choice(self.domains)}"
        name = "/organisations/[slug]/assessments/[id]/domains/[key]"
        page = self.client.get(address, name=name)
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
            name=name + " (save)",
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
        with self.client.get(
            f"/organisations/{self.slug}/report.pdf",
            name="/organisations/[slug]/report.pdf",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and not response.content.startswith(b"%PDF"):
                response.failure("not a PDF")
