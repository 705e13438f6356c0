"""Separation of duties in the data layer: whoever edited or submitted an assessment cannot
moderate or approve it; another approver can."""

from __future__ import annotations

import pytest

from maturity.data import (
    actions,
    assessments,
    duties,
    frameworks,
    imports,
    organisations,
    review,
    users,
)
from maturity.domain.errors import NotIndependent
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories

FIRST = "developing-a-framework"


@pytest.fixture
def body():  # type: ignore[no-untyped-def]
    return factories.organisation(name="Home Office")


@pytest.fixture
def first(body):  # type: ignore[no-untyped-def]
    return factories.member(of=body, role=MembershipRole.APPROVER, email="first@example.org")


@pytest.fixture
def second(body):  # type: ignore[no-untyped-def]
    return factories.member(of=body, role=MembershipRole.APPROVER, email="second@example.org")


def answered(body, *, by=None, submitted_by=None):  # type: ignore[no-untyped-def]
    """A draft answered by ``by`` (nobody in particular when None), submitted by
    ``submitted_by``."""
    framework = frameworks.current()
    made = assessments.start(organisation=body, framework=framework, period="2019", actor=None)
    for domain in framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=2,
            evidence="Board minutes",
            reason_for_change="",
            ambition=3,
            actor=by,
        )
    return assessments.submit(assessment=made, actor=submitted_by)


@pytest.mark.parametrize(
    ("edited", "submitted", "message"),
    [
        (True, False, "You edited this assessment, so another approver must approve it"),
        (False, True, "You submitted this assessment, so another approver must approve it"),
        (
            True,
            True,
            "You edited and submitted this assessment, so another approver must approve it",
        ),
    ],
)
def test_an_approver_who_edited_or_submitted_cannot_approve(
    body, first, edited, submitted, message
):
    made = answered(body, by=first if edited else None, submitted_by=first if submitted else None)
    with pytest.raises(NotIndependent) as refused:
        review.approve(assessment=made, actor=first)
    assert refused.value.message == message
    db.session.expire_all()
    assert made.status == AssessmentStatus.SUBMITTED and made.approved_by is None


def test_nor_moderate_it(body, first):
    made = answered(body, by=first)
    with pytest.raises(NotIndependent) as refused:
        review.moderate(assessment=made, domain_key=FIRST, level=3, note="Higher", actor=first)
    assert refused.value.message == (
        "You edited this assessment, so another approver must moderate it"
    )
    db.session.expire_all()
    assert {r.moderated_level for r in made.ratings} == {None}


def test_another_approver_moderates_and_approves(body, first, second):
    made = answered(body, by=first, submitted_by=first)
    review.moderate(assessment=made, domain_key=FIRST, level=3, note="Higher", actor=second)
    review.approve(assessment=made, actor=second, comment="Checked against the minutes")
    assert made.status == AssessmentStatus.APPROVED and made.approved_by == second


def test_moderating_is_not_editing(body, first, second):
    """The approver's own fields (moderated level and note, send-back comments) are review."""
    made = answered(body, by=second)
    review.moderate(assessment=made, domain_key=FIRST, level=3, note="Higher", actor=first)
    review.send_back(assessment=made, actor=first, comment="Cite it", domain_comments={FIRST: "x"})
    assessments.submit(assessment=made, actor=second)
    assert duties.involvement(assessment=made, person=first) == duties.Involvement(False, False)
    review.approve(assessment=made, actor=first)
    assert made.approved_by == first


def test_changing_an_improvement_action_is_editing(body, first, second):
    framework = frameworks.current()
    made = assessments.start(organisation=body, framework=framework, period="2019", actor=None)
    action = factories.improvement_action(assessment=made, domain_key=FIRST)
    actions.set_status(assessment=made, action_id=action.id, status=action.status.DONE, actor=first)
    assert duties.involvement(assessment=made, person=first).edited
    assert not duties.involvement(assessment=made, person=second).edited


def test_an_edit_in_an_earlier_sitting_still_counts(body, first, second):
    """Sent back and submitted again by someone else: what the approver typed is still in it."""
    made = answered(body, by=first, submitted_by=second)
    review.send_back(assessment=made, actor=second, comment="Redo", domain_comments={})
    assessments.submit(assessment=made, actor=second)
    with pytest.raises(NotIndependent):
        review.approve(assessment=made, actor=first)


def test_importing_ratings_is_editing(body, first, second):
    factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    imports.import_csv(
        data="organisation,period,domain,level,ambition,evidence\n"
        f"home-office,2019,{FIRST},3,,Minutes\n",
        actor=first,
    )
    [made] = assessments.for_organisation(organisation=body)
    assert duties.involvement(assessment=made, person=first).edited
    assert not duties.involvement(assessment=made, person=second).edited


def test_the_editor_may_still_send_back_and_reopen(body, first, second):
    made = answered(body, by=first)
    review.send_back(assessment=made, actor=first, comment="Not ready", domain_comments={})
    assessments.submit(assessment=made, actor=None)
    review.approve(assessment=made, actor=second)
    review.reopen(assessment=made, actor=first, reason="Figures restated")
    assert made.status == AssessmentStatus.DRAFT


def test_administrators_follow_the_same_rule(body, first):
    admin = factories.user(admin=True)
    made = answered(body, by=admin)
    with pytest.raises(NotIndependent):
        review.approve(assessment=made, actor=admin)
    review.approve(assessment=made, actor=first)


def test_who_may_approve(body, first, second):
    factories.member(of=body, role=MembershipRole.ASSESSOR)
    made = answered(body, by=first, submitted_by=first)
    found = duties.approval(assessment=made, person=first)
    assert [p.email for p in found.approvers] == ["first@example.org", "second@example.org"]
    assert [p.email for p in found.independent] == ["second@example.org"]
    assert found.yours == duties.Involvement(edited=True, submitted=True)
    assert not found.single_approver
    # A disabled account approves nothing.
    users.disable(user=second, actor=factories.user(admin=True))
    found = duties.approval(assessment=made, person=first)
    assert found.single_approver and found.independent == ()


def test_an_overseeing_body_s_approver_is_not_an_approver_here(body, first):
    child = factories.organisation(name="Border Force", parent=body)
    assert duties.approvers(organisation=child) == []
    organisations.grant(user=first, organisation=child, role=MembershipRole.VIEWER)
    assert duties.approvers(organisation=child) == []
