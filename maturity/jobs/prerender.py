"""Render reports again when the data behind them changes, so the next download is ready.

After a commit that changed an organisation's assessments (maturity/data/report_triggers.py),
its default report and its one-page Figure 8 (the ones its page links to) are queued, in
the background and after a short delay; a change while such a job still waits is covered by
it, so a burst of saves is one render. The default oversight reports of every body above
it are queued the same way, after a longer delay: each is many pages, and many bodies'
changes fall in one delay.

A report is dated the day it is printed, so a new day is a new report for everyone: just
after midnight in the UK every assessed organisation's reports are queued too
(:func:`new_day`), and the first download of the morning is ready as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from maturity.data import organisations as organisation_data
from maturity.data import oversight as oversight_data
from maturity.data import report_jobs
from maturity.jobs.queue import PRIORITY_BACKGROUND
from maturity.models import JobKind

# What the plain download links ask for (no period, framework or order chosen): see
# organisation_parameters and oversight_parameters.
DEFAULT: dict[str, Any] = {}


def _parameters(asked: Mapping[str, str | None], names: tuple[str, ...]) -> dict[str, str]:
    """Only what was chosen: an empty choice and no choice are the same report."""
    return {name: value for name in names if (value := (asked.get(name) or "").strip())}


def organisation_parameters(asked: Mapping[str, str | None]) -> dict[str, str]:
    """An organisation report's job parameters from what the link asks for."""
    return _parameters(asked, ("framework", "from", "to"))


def oversight_parameters(asked: Mapping[str, str | None]) -> dict[str, str]:
    """An oversight PDF's job parameters from what the link or form asks for."""
    return _parameters(asked, ("period", "framework", "sort"))


def changed(organisation_ids: set[int]) -> None:
    """Queue the default report and one-page figure of each organisation, and the oversight
    reports that include them (see report_triggers.on_change)."""
    if not current_app.config["REPORT_PRERENDER"]:
        return
    _queue(JobKind.ORGANISATION_PDF, organisation_ids, "REPORT_PRERENDER_DELAY_SECONDS")
    # Its Figure 8 on one page, linked beside the report: one short page, the same delay.
    _queue(JobKind.FIGURE_PDF, organisation_ids, "REPORT_PRERENDER_DELAY_SECONDS")
    oversight_of(organisation_ids)


def new_day() -> set[int]:
    """Queue the reports of every organisation with an assessment, as if each had changed
    (a report is dated the day it is printed); returns those queued for, none when
    prerendering is off. The workers ask just after midnight in the UK (tasks.py)."""
    if not current_app.config["REPORT_PRERENDER"]:
        return set()
    assessed = organisation_data.assessed_ids()
    changed(assessed)
    return assessed


def oversight_of(organisation_ids: set[int]) -> None:
    """Queue the default oversight PDF of every body above these, and of these where they
    oversee others (a body added, moved or removed below them changes theirs). One whose
    bodies have not changed since it was last built costs the worker one query."""
    above = oversight_data.ancestors_of(organisation_ids=organisation_ids)
    overseeing = oversight_data.overseeing(organisation_ids=organisation_ids)
    _queue(JobKind.OVERSIGHT_PDF, above | overseeing, "REPORT_OVERSIGHT_PRERENDER_DELAY_SECONDS")


def _queue(kind: JobKind, organisation_ids: set[int], delay_setting: str) -> None:
    config = current_app.config
    if not config["REPORT_PRERENDER"] or not organisation_ids:
        return
    from maturity.jobs.tasks import enqueue  # tasks runs build, which calls back here

    for job in report_jobs.create_background(
        kind=kind, organisation_ids=organisation_ids, parameters=DEFAULT
    ):
        enqueue(job.id, priority=PRIORITY_BACKGROUND, delay=config[delay_setting])
