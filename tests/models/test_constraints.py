"""The database keeps its promises: one assessment per period, stale writes refused,
an audit trail that cannot be rewritten."""

import pytest
from sqlalchemy import select

from maturity.data import assessments, frameworks, organisations
from maturity.domain.errors import ConflictError, DomainError, LockedError
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, AuditEvent, AuditTrailIsAppendOnly
from tests import factories


def test_one_assessment_per_organisation_framework_and_period():
    body = factories.organisation(name="Home Office")
    framework = frameworks.current()
    assessments.start(organisation=body, framework=framework, period="2018", actor=None)
    with pytest.raises(
        DomainError, match="Home Office already has an assessment for 2018"
    ) as error:
        assessments.start(organisation=body, framework=framework, period="2018", actor=None)
    assert error.value.field == "period"
    assert db.session.scalar(select(db.func.count(Assessment.id))) == 1


def test_the_same_period_is_fine_for_another_organisation():
    framework = frameworks.current()
    for name in ("One", "Two"):
        body = factories.organisation(name=name)
        assessments.start(organisation=body, framework=framework, period="2018-19", actor=None)
    assert db.session.scalar(select(db.func.count(Assessment.id))) == 2


def test_a_new_assessment_has_an_unanswered_rating_for_every_domain():
    framework = frameworks.current()
    made = assessments.start(
        organisation=factories.organisation(), framework=framework, period="2018", actor=None
    )
    assert [r.domain.key for r in made.ordered_ratings] == [d.key for d in framework.domains]
    assert all(r.level is None for r in made.ratings)


def test_organisation_names_are_unique():
    factories.organisation(name="Home Office")
    with pytest.raises(DomainError, match="already exists"):
        organisations.create(name="home office")  # same slug


def test_a_stale_version_is_a_conflict_not_an_overwrite():
    made = factories.assessment(
        of=factories.organisation(), period="2018", status=AssessmentStatus.DRAFT
    )
    rating = made.ordered_ratings[0]
    opened_at = rating.version
    assessments.save_rating(
        assessment=made,
        domain_key=rating.domain.key,
        level=2,
        evidence="first",
        reason_for_change="",
        ambition=None,
        actor=None,
        expected_version=opened_at,
    )
    with pytest.raises(ConflictError):
        assessments.save_rating(
            assessment=made,
            domain_key=rating.domain.key,
            level=3,
            evidence="second",
            reason_for_change="",
            ambition=None,
            actor=None,
            expected_version=opened_at,
        )
    db.session.refresh(rating)
    assert (rating.level, rating.evidence) == (2, "first")


def test_a_submitted_assessment_cannot_be_changed():
    made = factories.assessment(of=factories.organisation(), period="2018")
    with pytest.raises(LockedError):
        assessments.save_rating(
            assessment=made,
            domain_key=made.ordered_ratings[0].domain.key,
            level=5,
            evidence="",
            reason_for_change="",
            ambition=None,
            actor=None,
        )


def test_levels_outside_the_framework_are_refused():
    made = factories.assessment(
        of=factories.organisation(), period="2018", status=AssessmentStatus.DRAFT
    )
    top = made.framework.top_level
    with pytest.raises(DomainError, match="Choose a level"):
        assessments.save_rating(
            assessment=made,
            domain_key=made.ordered_ratings[0].domain.key,
            level=top + 1,
            evidence="",
            reason_for_change="",
            ambition=None,
            actor=None,
        )


def test_submitting_needs_every_domain_answered():
    made = assessments.start(
        organisation=factories.organisation(),
        framework=frameworks.current(),
        period="2018",
        actor=None,
    )
    with pytest.raises(DomainError, match="Answer every domain"):
        assessments.submit(assessment=made, actor=None)
    assert made.status == AssessmentStatus.DRAFT


def test_the_audit_trail_is_append_only():
    factories.organisation(name="Audited")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.created"))
    assert event is not None and event.subject == "Audited"
    event.subject = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.delete(db.session.get(AuditEvent, event.id))
        db.session.flush()
