"""Drafts of a domain's answers: one person's, never a save, gone once they save."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from maturity.data import assessments, drafts, history
from maturity.data.drafts import DraftAnswers
from maturity.domain.errors import ConflictError, DomainError, LockedError
from maturity.extensions import db
from maturity.models import AssessmentStatus, RatingChange
from maturity.models.draft import RatingDraft
from tests import factories

DOMAIN = "developing-a-framework"


@pytest.fixture
def body():
    return factories.organisation(name="Home Office")


@pytest.fixture
def draft_assessment(body):
    return factories.assessment(
        of=body, period="2019", status=AssessmentStatus.DRAFT, evidence="Saved evidence"
    )


def _rating(assessment, key=DOMAIN):
    return next(r for r in assessment.ratings if r.domain.key == key)


def _typed(**changes) -> DraftAnswers:
    return DraftAnswers(**{"level": 2, "evidence": "Typed, not saved", **changes})


def test_a_draft_is_kept_for_its_person_only(body, draft_assessment):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    rating = _rating(draft_assessment)
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=rating.version)
    found = drafts.find(rating=rating, person=alice)
    assert found is not None and found.answers.evidence == "Typed, not saved"
    assert found.base_version == rating.version
    assert drafts.find(rating=rating, person=bob) is None
    assert (
        drafts.find(rating=_rating(draft_assessment, "using-the-framework"), person=alice) is None
    )


def test_keeping_again_replaces_the_draft(body, draft_assessment):
    alice = factories.member(of=body)
    rating = _rating(draft_assessment)
    for text in ("First", "Second", "Third"):
        drafts.keep(rating=rating, person=alice, answers=_typed(evidence=text), base_version=1)
    assert drafts.find(rating=rating, person=alice).answers.evidence == "Third"
    assert db.session.scalar(select(func.count()).select_from(RatingDraft)) == 1


def test_a_draft_is_not_a_save(body):
    """Nothing of the rating changes: answers, version, history, the carried-forward mark."""
    factories.assessment(of=body, period="2018", status=AssessmentStatus.APPROVED)
    alice = factories.member(of=body)
    carried = assessments.start(organisation=body, framework=_nao(), period="2019", actor=alice)
    rating = _rating(carried)
    assert rating.carried_forward
    version, level, changes = rating.version, rating.level, _changes()
    drafts.keep(rating=rating, person=alice, answers=_typed(level=3), base_version=rating.version)
    db.session.expire_all()
    rating = _rating(carried)
    assert (rating.version, rating.level, rating.carried_forward) == (version, level, True)
    assert _changes() == changes


def test_saving_the_domain_discards_the_persons_draft_only(body, draft_assessment):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    rating = _rating(draft_assessment)
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=rating.version)
    drafts.keep(rating=rating, person=bob, answers=_typed(evidence="Bob's"), base_version=1)
    assessments.save_rating(
        assessment=draft_assessment,
        domain_key=DOMAIN,
        level=2,
        evidence="Typed, not saved",
        reason_for_change="",
        ambition=None,
        actor=alice,
        expected_version=rating.version,
    )
    assert drafts.find(rating=rating, person=alice) is None
    assert drafts.find(rating=rating, person=bob) is not None


def test_saving_without_a_change_still_discards_the_draft(body, draft_assessment):
    alice = factories.member(of=body)
    rating = _rating(draft_assessment)
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=rating.version)
    assessments.save_rating(
        assessment=draft_assessment,
        domain_key=DOMAIN,
        level=rating.level,
        evidence=rating.evidence,
        reason_for_change=rating.reason_for_change,
        ambition=rating.ambition,
        actor=alice,
        expected_version=rating.version,
    )
    db.session.expire_all()
    assert drafts.find(rating=_rating(draft_assessment), person=alice) is None


def test_a_conflicting_save_keeps_the_draft_and_still_conflicts(body, draft_assessment):
    """The version a draft keeps is the one its person opened: saving it after someone
    else's save is a conflict, as it would have been without the draft."""
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    rating = _rating(draft_assessment)
    opened = rating.version
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=opened)
    assessments.save_rating(
        assessment=draft_assessment,
        domain_key=DOMAIN,
        level=4,
        evidence="Bob's saved answer",
        reason_for_change="",
        ambition=None,
        actor=bob,
        expected_version=opened,
    )
    restored = drafts.find(rating=rating, person=alice)
    with pytest.raises(ConflictError):
        assessments.save_rating(
            assessment=draft_assessment,
            domain_key=DOMAIN,
            level=restored.answers.level,
            evidence=restored.answers.evidence,
            reason_for_change="",
            ambition=None,
            actor=alice,
            expected_version=restored.base_version,
        )
    db.session.expire_all()
    assert _rating(draft_assessment).evidence == "Bob's saved answer"
    assert drafts.find(rating=_rating(draft_assessment), person=alice) is not None


def test_answers_the_same_as_the_saved_ones_leave_no_draft(body, draft_assessment):
    alice = factories.member(of=body)
    rating = _rating(draft_assessment)
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=rating.version)
    same = DraftAnswers(
        level=rating.level, evidence="  Saved evidence \n", ambition=rating.ambition
    )
    drafts.keep(rating=rating, person=alice, answers=same, base_version=rating.version)
    assert drafts.find(rating=rating, person=alice) is None
    assert drafts.worth_restoring(rating=rating, person=alice) is None


def test_a_draft_of_a_submitted_assessment_is_refused(body):
    alice = factories.member(of=body)
    submitted = factories.assessment(of=body, period="2019", status=AssessmentStatus.SUBMITTED)
    rating = _rating(submitted)
    with pytest.raises(LockedError):
        drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=1)


@pytest.mark.parametrize(
    "answers",
    [
        _typed(level=9),
        _typed(ambition=-1),
        _typed(evidence="x" * 10_001),
        _typed(criteria=(999_999,)),
    ],
)
def test_answers_the_page_could_not_send_are_refused(body, draft_assessment, answers):
    alice = factories.member(of=body)
    with pytest.raises(DomainError):
        drafts.keep(rating=_rating(draft_assessment), person=alice, answers=answers, base_version=1)


def test_discarding_removes_the_draft(body, draft_assessment):
    alice = factories.member(of=body)
    rating = _rating(draft_assessment)
    drafts.keep(rating=rating, person=alice, answers=_typed(), base_version=rating.version)
    drafts.discard(rating=rating, person=alice)
    assert drafts.find(rating=rating, person=alice) is None


def test_keeping_a_draft_queues_no_report(app, body, draft_assessment):
    from maturity.data import report_triggers

    alice = factories.member(of=body)
    seen: list[set[int]] = []
    report_triggers.on_change(seen.append)
    try:
        drafts.keep(
            rating=_rating(draft_assessment), person=alice, answers=_typed(), base_version=1
        )
    finally:
        report_triggers._listeners.remove(seen.append)
    assert seen == []


def test_drafts_nobody_came_back_for_are_forgotten_and_no_others(body, draft_assessment):
    alice = factories.member(of=body)
    bob = factories.member(of=body)
    rating = _rating(draft_assessment)
    for person in (alice, bob):
        drafts.keep(rating=rating, person=person, answers=_typed(), base_version=1)
    cutoff = datetime(2026, 11, 1, 12, 0)
    db.session.execute(
        update(RatingDraft)
        .where(RatingDraft.user_id == alice.id)
        .values(updated_at=cutoff - timedelta(seconds=1))
    )
    db.session.execute(
        update(RatingDraft).where(RatingDraft.user_id == bob.id).values(updated_at=cutoff)
    )

    assert drafts.forget_older_than(cutoff=cutoff) == 1
    assert drafts.find(rating=rating, person=alice) is None
    assert drafts.find(rating=rating, person=bob).answers.evidence == "Typed, not saved"
    assert drafts.forget_older_than(cutoff=cutoff) == 0
    # Forgetting a draft is not a change to the assessment: the saved answers are as they were.
    assert _rating(draft_assessment).evidence == "Saved evidence"


def _changes() -> int:
    return db.session.scalar(select(func.count()).select_from(RatingChange))


def _nao():
    from maturity.data import frameworks

    return frameworks.current()


assert history  # the history module records saves; drafts never call it
