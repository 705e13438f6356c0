"""The workers' hourly task that deletes drafts nobody came back for (DRAFT_KEEP_DAYS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from maturity.config import ConfigurationError, from_environment
from maturity.data import drafts
from maturity.data.drafts import DraftAnswers
from maturity.extensions import db
from maturity.jobs import tasks
from maturity.models import AssessmentStatus
from maturity.models.draft import RatingDraft
from tests import factories
from tests.conftest import run_jobs


def _typed_days_ago(days: float) -> tuple:
    body = factories.organisation(name=f"Body {days}")
    assessment = factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    rating = assessment.ratings[0]
    person = factories.member(of=body)
    drafts.keep(
        rating=rating,
        person=person,
        answers=DraftAnswers(level=1, evidence="Typed and left"),
        base_version=rating.version,
    )
    when = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
    db.session.execute(
        update(RatingDraft).where(RatingDraft.user_id == person.id).values(updated_at=when)
    )
    return rating, person


def test_the_hourly_task_deletes_drafts_older_than_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "DRAFT_KEEP_DAYS", 10)
    run_jobs()  # the tasks run in this test's app, as the workers would in theirs
    old = _typed_days_ago(10.5)
    recent = _typed_days_ago(9.5)

    tasks.forget_old_drafts.call_local()

    assert drafts.find(rating=old[0], person=old[1]) is None
    assert drafts.find(rating=recent[0], person=recent[1]) is not None


def test_the_task_is_due_once_an_hour():
    task = tasks.forget_old_drafts.task_class()
    due = [
        minute
        for minute in range(24 * 60)
        if task.validate_datetime(datetime(2026, 12, 7) + timedelta(minutes=minute))
    ]
    assert len(due) == 24
    assert all(minute % 60 == 20 for minute in due)


@pytest.mark.parametrize("days", ["0", "-3", "100000"])
def test_a_keeping_time_that_would_delete_drafts_as_typed_or_overflow_refuses_to_start(
    tmp_path, monkeypatch, days
):
    monkeypatch.setenv("DRAFT_KEEP_DAYS", days)
    with pytest.raises(ConfigurationError) as refused:
        from_environment(tmp_path)
    assert refused.value.message == (
        f"Set DRAFT_KEEP_DAYS to a number of days from 1 to 3,650, not {int(days)}."
    )
