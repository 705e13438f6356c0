"""Two people, one domain: the second save is shown the first, never silently overwrites it.

Run on PostgreSQL too (TEST_DATABASE_URL): the races below use a second database session
committing between this request's read and its write, as another app server would.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from maturity.data import assessments, frameworks, history, organisations
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Rating, RatingChange, User
from tests import factories
from tests.conftest import page, sign_in

DEV = "developing-a-framework"


@pytest.fixture
def two(app):
    """Two assessors of the same body, each signed in on their own client, and a draft."""
    body = factories.organisation(name="Home Office")
    clients = []
    for name in ("Ada Lovelace", "Bob Babbage"):
        person = factories.user(name=name)
        organisations.grant(user=person, organisation=body, role=MembershipRole.ASSESSOR)
        client = app.test_client()
        sign_in(client, person.email)
        clients.append(client)
    made = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    return clients[0], clients[1], made


def _url(made):
    return f"/organisations/home-office/assessments/{made.id}/domains/{DEV}"


def _opened(client, made):
    return page(client.get(_url(made))).select_one("input[name=version]")["value"]


def _saved(made):
    db.session.expire_all()
    rating = next(r for r in made.ratings if r.domain.key == DEV)
    return rating.level, rating.evidence


def test_the_second_save_gets_both_versions_and_overwrites_nothing(two):
    ada, bob, made = two
    ada_opened, bob_opened = _opened(ada, made), _opened(bob, made)
    response = ada.post(
        _url(made),
        data={"level": "2", "evidence": "Ada's evidence", "version": ada_opened, "save_draft": "y"},
    )
    assert response.status_code == 302

    bobs = {"level": "3", "evidence": "Bob's evidence", "version": bob_opened, "save_draft": "y"}
    html = page(bob.post(_url(made), data=bobs))
    assert "Someone else saved" in html.select_one(".govuk-error-summary").get_text()
    theirs = html.select_one("#their-answers")
    title = theirs.select_one(".govuk-summary-card__title").get_text(" ", strip=True)
    assert title.startswith("Saved by Ada Lovelace at ")
    assert "Ada's evidence" in theirs.get_text() and "Functioning" in theirs.get_text()
    mine = html.select_one("#your-answers")
    assert mine.select_one(".govuk-summary-card__title").get_text(strip=True) == (
        "Your answers (not saved)"
    )
    assert "Bob's evidence" in mine.get_text() and "Enabling" in mine.get_text()
    assert html.select_one("textarea#evidence").get_text() == "Bob's evidence"
    assert _saved(made) == (2, "Ada's evidence")

    # Keeping theirs: discarding his answers shows hers, unchanged.
    discard = html.find("a", string="discard your answers")["href"]
    assert page(bob.get(discard)).select_one("textarea#evidence").get_text() == "Ada's evidence"

    # Keeping his: saving again, having seen hers, is a choice, and is kept in the history.
    bobs["version"] = html.select_one("input[name=version]")["value"]
    assert bob.post(_url(made), data=bobs).status_code == 302
    assert _saved(made) == (3, "Bob's evidence")
    who = [
        c.actor.name
        for c in db.session.scalars(select(RatingChange).order_by(RatingChange.id.desc()))
    ]
    assert who == ["Bob Babbage", "Ada Lovelace"]


def _between_read_and_write(monkeypatch, meanwhile):
    """Run ``meanwhile`` in another session just before this request writes its save."""
    record = history.record

    def racing(**kwargs):
        with Session(db.engine) as other:
            meanwhile(other)
            other.commit()
        record(**kwargs)

    monkeypatch.setattr(history, "record", racing)


def test_a_save_racing_another_save_is_a_conflict_not_an_overwrite(two, monkeypatch):
    _, bob, made = two
    opened = _opened(bob, made)
    rating_id = next(r.id for r in made.ratings if r.domain.key == DEV)
    ada_id = db.session.scalar(select(User.id).where(User.name == "Ada Lovelace"))

    def ada_saves(other):
        rating = other.get(Rating, rating_id)
        before = {"level": rating.level, "evidence": rating.evidence}
        rating.level, rating.evidence = 2, "Ada's evidence"
        other.add(
            RatingChange(
                rating_id=rating_id,
                assessment_id=made.id,
                actor_id=ada_id,
                changed_at=datetime.now(UTC).replace(tzinfo=None),
                before=before,
                after={"level": 2, "evidence": "Ada's evidence"},
            )
        )

    _between_read_and_write(monkeypatch, ada_saves)
    bobs = {"level": "3", "evidence": "Bob's evidence", "version": opened, "save_draft": "y"}
    html = page(bob.post(_url(made), data=bobs))
    monkeypatch.undo()
    assert "Someone else saved" in html.select_one(".govuk-error-summary").get_text()
    theirs = html.select_one("#their-answers").get_text(" ", strip=True)
    assert "Saved by Ada Lovelace" in theirs and "Ada's evidence" in theirs
    assert "Bob's evidence" in html.select_one("#your-answers").get_text()
    assert _saved(made) == (2, "Ada's evidence")


def test_a_save_racing_a_submit_is_refused(two, monkeypatch):
    _, bob, made = two
    opened = _opened(bob, made)

    def submitted(other):
        other.get(Assessment, made.id).status = AssessmentStatus.SUBMITTED

    _between_read_and_write(monkeypatch, submitted)
    response = bob.post(
        _url(made),
        data={"level": "3", "evidence": "Too late", "version": opened, "save_draft": "y"},
    )
    monkeypatch.undo()
    assert response.status_code == 200
    html = page(response)
    assert html.select_one(".govuk-error-summary a").get_text(strip=True) == (
        "The 2019 assessment has been submitted and can no longer be changed"
    )
    assert html.select_one("textarea#evidence").get_text() == "Too late"
    assert html.select_one("#their-answers") is None
    assert _saved(made) == (None, "")
    assert made.status == AssessmentStatus.SUBMITTED
    assert db.session.scalars(select(RatingChange)).all() == []
