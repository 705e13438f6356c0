"""The approver's decisions in the data layer: their rules, their audit, their history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from maturity.data import assessments, frameworks, organisations, review
from maturity.domain.errors import ConflictError, DomainError, LockedError
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus, AuditEvent, RatingChange
from tests import factories

FRAMEWORK_KEYS = ("developing-a-framework", "reporting-performance-information")
FIRST, SECOND = FRAMEWORK_KEYS


def submitted(body, period="2019", *, levels=None, actor=None):  # type: ignore[no-untyped-def]
    """An assessment answered and submitted through the data layer, as the pages do."""
    framework = frameworks.current()
    made = assessments.start(organisation=body, framework=framework, period=period, actor=None)
    for domain in framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=(levels or {}).get(domain.key, 1),
            evidence=f"Evidence for {domain.name}",
            # Given always: a level that moved since the previous period needs one.
            reason_for_change="What changed",
            ambition=None,
            actor=None,
        )
    return assessments.submit(assessment=made, actor=actor)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def changes() -> list[RatingChange]:
    """The approver's changes in the ratings' history (the assessor's saves are there too)."""
    found = db.session.scalars(select(RatingChange).order_by(RatingChange.id))
    return [c for c in found if {"moderated_level", "review_comment"} & set(c.after)]


@pytest.fixture
def body():  # type: ignore[no-untyped-def]
    return factories.organisation(name="Home Office")


@pytest.fixture
def approver(body):  # type: ignore[no-untyped-def]
    return factories.member(of=body, role=MembershipRole.APPROVER)


# Moderation


def test_a_moderated_level_needs_a_note_and_is_audited_and_kept_in_history(body, approver):
    made = submitted(body, levels={FIRST: 2})
    with pytest.raises(DomainError) as refused:
        review.moderate(assessment=made, domain_key=FIRST, level=3, note=" ", actor=approver)
    assert refused.value.message == "Enter why you judged a different level"
    assert refused.value.field == "moderated_note"

    rating = review.moderate(
        assessment=made, domain_key=FIRST, level=3, note="Board papers show use", actor=approver
    )
    assert (rating.moderated_level, rating.judged_level, rating.level) == (3, 3, 2)
    [event] = events("rating.moderated")
    assert event.actor == approver and event.subject == f"2019 {FIRST}"
    assert event.details["after"] == {
        "moderated_level": 3,
        "moderated_note": "Board papers show use",
    }
    [change] = changes()
    assert change.rating_id == rating.id and change.actor_id == approver.id
    assert change.before == {"moderated_level": None, "moderated_note": ""}
    assert change.after == {"moderated_level": 3, "moderated_note": "Board papers show use"}


def test_agreeing_clears_the_moderated_level(body, approver):
    made = submitted(body, levels={FIRST: 2})
    review.moderate(assessment=made, domain_key=FIRST, level=0, note="No board", actor=approver)
    rating = review.moderate(assessment=made, domain_key=FIRST, level=None, note="", actor=approver)
    assert rating.moderated_level is None and rating.judged_level == 2
    assert len(changes()) == 2
    # Saving the same again changes nothing, so nothing more is recorded.
    review.moderate(assessment=made, domain_key=FIRST, level=None, note="", actor=approver)
    assert len(changes()) == 2 and len(events("rating.moderated")) == 2


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (
            2,
            "Functioning is the assessed level: choose a different level, or agree with the "
            "assessed level",
        ),
        (6, "Choose a level from the list"),
        (-1, "Choose a level from the list"),
    ],
)
def test_a_moderated_level_must_differ_and_be_on_the_list(body, approver, level, message):
    made = submitted(body, levels={FIRST: 2})
    with pytest.raises(DomainError) as refused:
        review.moderate(assessment=made, domain_key=FIRST, level=level, note="n", actor=approver)
    assert refused.value.message == message
    assert refused.value.field == "moderated_level"


def test_moderating_a_page_opened_before_someone_else_saved_is_a_conflict(body, approver):
    made = submitted(body)
    opened = made.ratings[0].version
    review.moderate(
        assessment=made, domain_key=made.ratings[0].domain.key, level=3, note="a", actor=approver
    )
    with pytest.raises(ConflictError):
        review.moderate(
            assessment=made,
            domain_key=made.ratings[0].domain.key,
            level=4,
            note="b",
            actor=approver,
            expected_version=opened,
        )


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            AssessmentStatus.DRAFT,
            "The 2019 assessment is a draft: levels can be moderated once it has been submitted",
        ),
        (
            AssessmentStatus.APPROVED,
            "The 2019 assessment has been approved and is locked: "
            "reopen it to change a moderated level",
        ),
    ],
)
def test_only_a_submitted_assessment_is_moderated(body, approver, status, message):
    made = factories.assessment(of=body, period="2019", status=status)
    with pytest.raises(LockedError) as refused:
        review.moderate(assessment=made, domain_key=FIRST, level=3, note="n", actor=approver)
    assert refused.value.message == message


# Approving, sending back, reopening


def test_approving_locks_and_records_who_and_when(body, approver):
    made = submitted(body)
    review.approve(assessment=made, actor=approver)
    assert made.status == AssessmentStatus.APPROVED and not made.is_editable
    assert made.approved_by == approver and made.approved_at is not None
    [event] = events("assessment.approved")
    assert event.details == {"assessment_id": made.id, "moderated": [], "comment": ""}
    with pytest.raises(LockedError, match="has already been approved"):
        review.approve(assessment=made, actor=approver)
    with pytest.raises(LockedError):
        assessments.save_rating(
            assessment=made,
            domain_key=FIRST,
            level=3,
            evidence="",
            reason_for_change="",
            ambition=None,
            actor=approver,
        )


def test_a_draft_cannot_be_approved_sent_back_or_reopened(body, approver):
    made = factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    with pytest.raises(LockedError) as refused:
        review.approve(assessment=made, actor=approver)
    assert refused.value.message == (
        "The 2019 assessment is a draft: it can be approved once it is submitted"
    )
    with pytest.raises(LockedError, match="is already a draft with the assessor"):
        review.send_back(assessment=made, actor=approver, comment="c", domain_comments={})
    with pytest.raises(LockedError, match="only an approved assessment can be reopened"):
        review.reopen(assessment=made, actor=approver, reason="r")
    assert made.status == AssessmentStatus.DRAFT


def test_sending_back_needs_a_comment_and_leaves_per_domain_comments(body, approver):
    made = submitted(body)
    with pytest.raises(DomainError) as refused:
        review.send_back(assessment=made, actor=approver, comment="  ", domain_comments={})
    assert refused.value.field == "comment"
    assert refused.value.message == "Enter what needs to change before you can approve it"
    assert made.status == AssessmentStatus.SUBMITTED

    review.send_back(
        assessment=made,
        actor=approver,
        comment="Evidence is thin",
        domain_comments={FIRST: " Cite the board minutes ", "not-a-domain": "ignored"},
    )
    assert made.status == AssessmentStatus.DRAFT
    comments = {r.domain.key: r.review_comment for r in made.ratings}
    assert comments[FIRST] == "Cite the board minutes" and comments[SECOND] == ""
    [event] = events("assessment.sent_back")
    assert event.details == {
        "assessment_id": made.id,
        "comment": "Evidence is thin",
        "domains": {FIRST: "Cite the board minutes"},
    }
    [change] = changes()
    assert change.after == {"review_comment": "Cite the board minutes"}
    decision = review.latest_decision(assessment=made)
    assert decision is not None
    assert (decision.action, decision.text) == ("sent back", "Evidence is thin")

    # Resubmitted and approved: the comments were answered, so they are cleared (and kept
    # in the history and the audit trail).
    assessments.submit(assessment=made, actor=None)
    review.approve(assessment=made, actor=approver)
    assert all(r.review_comment == "" for r in made.ratings)
    assert changes()[-1].after == {"review_comment": ""}


def test_an_approved_assessment_is_reopened_only_with_a_reason(body, approver):
    made = submitted(body)
    with pytest.raises(LockedError, match="send it back instead"):
        review.reopen(assessment=made, actor=approver, reason="r")
    review.approve(assessment=made, actor=approver)
    with pytest.raises(LockedError, match="reopen it instead"):
        review.send_back(assessment=made, actor=approver, comment="c", domain_comments={})
    with pytest.raises(DomainError) as refused:
        review.reopen(assessment=made, actor=approver, reason="\n ")
    assert refused.value.message == "Enter why you are reopening the assessment"
    assert refused.value.field == "reason"
    assert made.status == AssessmentStatus.APPROVED

    review.reopen(assessment=made, actor=approver, reason="The 2019 figures were restated")
    assert made.status == AssessmentStatus.DRAFT and made.is_editable
    assert made.approved_at is None and made.approved_by is None
    [event] = events("assessment.reopened")
    assert event.details["reason"] == "The 2019 figures were restated"
    assert event.details["approved_by"] == approver.email
    decision = review.latest_decision(assessment=made)
    assert decision is not None and decision.action == "reopened"
    assert decision.by == approver.name


def test_another_assessment_of_the_same_period_does_not_borrow_the_decision(body, approver):
    made = submitted(body)
    other = submitted(factories.organisation(name="Other"))
    review.send_back(assessment=other, actor=approver, comment="c", domain_comments={})
    assert review.latest_decision(assessment=made) is None


# Waiting for approval


def test_the_waiting_list_is_submitted_assessments_where_the_person_approves(count_queries):
    department = factories.organisation(name="Department")
    home_office = factories.organisation(name="Home Office", parent=department)
    assessed = factories.organisation(name="Assessed Body")
    approver = factories.member(of=home_office, role=MembershipRole.APPROVER)
    factories.assessment(of=department, period="2019")  # overseeing gives no approval
    organisations.grant(user=approver, organisation=assessed, role=MembershipRole.ASSESSOR)
    factories.assessment(of=assessed, period="2019")  # an assessor there, not an approver
    waiting = submitted(home_office, "2019", actor=approver)
    older = submitted(home_office, "2018")
    factories.assessment(of=home_office, period="2017", status=AssessmentStatus.DRAFT)
    factories.assessment(of=home_office, period="2016", status=AssessmentStatus.APPROVED)
    db.session.expire_all()
    assert not approver.is_admin  # loads the person, as signing in has on a real request

    found: list = []
    assert count_queries(lambda: found.extend(review.waiting_for_approval(user=approver))) == 1
    assert found == [waiting, older]  # the first submitted has waited longest
    assert [a.submitted_by for a in found if a.period == "2019"] == [approver]

    admin = factories.user(admin=True)
    everyone = review.waiting_for_approval(user=admin)
    assert {(a.organisation.name, a.period) for a in everyone} == {
        ("Department", "2019"),
        ("Assessed Body", "2019"),
        ("Home Office", "2018"),
        ("Home Office", "2019"),
    }


# What charts and reports read


def test_progress_uses_moderated_levels_and_says_which_and_what_is_not_yet_approved(body, approver):
    approved = submitted(body, "2018", levels={FIRST: 2})
    review.moderate(assessment=approved, domain_key=FIRST, level=1, note="n", actor=approver)
    review.approve(assessment=approved, actor=approver)
    submitted(body, "2019", levels={FIRST: 2})
    progress = assessments.progress(organisation=body, framework=frameworks.current())
    assert progress.level("2018", FIRST) == 1
    assert progress.level("2019", FIRST) == 2
    assert progress.moderated == frozenset({("2018", FIRST)})
    assert progress.is_moderated("2018", FIRST) and not progress.is_moderated("2019", FIRST)
    assert progress.unapproved == frozenset({"2019"})
    assert progress.is_approved("2018") and not progress.is_approved("2019")
