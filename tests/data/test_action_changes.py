"""Changing an improvement action in the data layer: its rules, its history, its lock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from maturity.data import actions, assessments, frameworks
from maturity.domain.assessment_rules import ProblemsFound
from maturity.domain.errors import LockedError, NotFound
from maturity.extensions import db
from maturity.models import ActionStatus, AssessmentStatus, RatingChange
from tests import factories

DEV = "developing-a-framework"


@pytest.fixture
def made():  # type: ignore[no-untyped-def]
    return assessments.start(
        organisation=factories.organisation(name="Home Office"),
        framework=frameworks.current(),
        period="2019",
        actor=None,
    )


def _edit(made, action, **changes):  # type: ignore[no-untyped-def]
    values = {
        "what": action.what,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
    }
    values.update(changes)
    return actions.edit(
        assessment=made,
        action_id=action.id,
        seen=actions.fingerprint(action),
        actor=factories.user(),
        **values,
    )


def _history() -> list[tuple[object, object]]:
    found = db.session.scalars(select(RatingChange).order_by(RatingChange.id))
    return [(c.before.get("action"), c.after.get("action")) for c in found]


def test_every_part_changes_and_the_history_keeps_before_and_after(made):
    action = factories.improvement_action(assessment=made, domain_key=DEV, what="Publish")
    _edit(
        made,
        action,
        what=" Publish quarterly ",
        owner="Jo",
        due_date=date(2020, 1, 31),
        status=ActionStatus.DONE,
    )
    assert (action.what, action.owner, action.due_date, action.status) == (
        "Publish quarterly",
        "Jo",
        date(2020, 1, 31),
        ActionStatus.DONE,
    )
    assert _history()[-1] == (
        "Publish (owner: Head of Performance, open)",
        "Publish quarterly (owner: Jo, due 31 January 2020, done)",
    )
    # The same answers again change nothing and add nothing to the history.
    _edit(made, action)
    assert len(_history()) == 2


def test_changing_a_carried_forward_action_checks_it(made):
    action = factories.improvement_action(assessment=made, domain_key=DEV)
    action.carried_forward = True
    db.session.commit()
    _edit(made, action, owner="New owner")
    assert not action.carried_forward


def test_bad_input_is_refused_field_by_field(made):
    action = factories.improvement_action(assessment=made, domain_key=DEV)
    with pytest.raises(ProblemsFound) as refused:
        _edit(made, action, what="", owner="x" * 201)
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("what", "Enter what will be done"),
        ("owner", "Owner must be 200 characters or less"),
    ]


def test_a_locked_assessment_or_another_s_action_is_refused(made):
    action = factories.improvement_action(assessment=made, domain_key=DEV)
    other = assessments.start(
        organisation=factories.organisation(name="Other"),
        framework=frameworks.current(),
        period="2019",
        actor=None,
    )
    with pytest.raises(NotFound):
        actions.edit(
            assessment=other,
            action_id=action.id,
            what="x",
            owner="y",
            due_date=None,
            status=ActionStatus.OPEN,
            seen=actions.fingerprint(action),
            actor=None,
        )
    made.status = AssessmentStatus.SUBMITTED
    db.session.commit()
    with pytest.raises(LockedError):
        _edit(made, action, what="Late")


def test_overdue_means_open_and_due_before_the_day(made):
    factories.improvement_action(assessment=made, domain_key=DEV)
    action = factories.improvement_action(
        assessment=made, domain_key=DEV, due_date=date(2020, 6, 1)
    )
    assert not actions.is_overdue(action, on=date(2020, 6, 1))
    assert actions.is_overdue(action, on=date(2020, 6, 2))
    _edit(made, action, status=ActionStatus.DONE)
    assert not actions.is_overdue(action, on=date(2020, 6, 2))
