"""Every change to a rating is kept, and an assessment's history page lists them."""

import pytest
from sqlalchemy import event, select

from maturity.data import actions, assessments, frameworks, organisations
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AuditEvent, AuditTrailIsAppendOnly, RatingChange
from tests import factories
from tests.conftest import link, page, sign_in

DEV, REP = "developing-a-framework", "reporting-performance-information"


@pytest.fixture
def setting(client):
    body = factories.organisation(name="Home Office")
    assessor = factories.user(name="Ada Assessor")
    organisations.grant(user=assessor, organisation=body, role=MembershipRole.ASSESSOR)
    made = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    return body, assessor, made


def _save(made, actor, **answers):
    values = {"level": None, "evidence": "", "reason_for_change": "", "ambition": None}
    values.update(answers)
    return assessments.save_rating(assessment=made, domain_key=DEV, actor=actor, **values)


def test_a_save_writes_who_when_before_and_after_instead_of_an_audit_event(client, setting):
    _, assessor, made = setting
    _save(made, assessor, level=2, evidence="Minutes", ambition=1, ambition_reason="Budget cut")
    _save(made, assessor, level=2, evidence="Minutes", ambition=1, ambition_reason="Budget cut")
    changes = db.session.scalars(select(RatingChange)).all()
    assert len(changes) == 1  # saving the same answers again changes nothing
    change = changes[0]
    assert change.actor == assessor and change.changed_at is not None
    assert change.before == {
        "level": None,
        "evidence": "",
        "reason_for_change": "",
        "ambition": None,
        "ambition_reason": "",
        "carried_forward": False,
    }
    assert change.after == {
        **change.before,
        "level": 2,
        "evidence": "Minutes",
        "ambition": 1,
        "ambition_reason": "Budget cut",
    }
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "rating.saved")) is None


def test_history_is_never_rewritten(client, setting):
    _, assessor, made = setting
    _save(made, assessor, level=2)
    change = db.session.scalars(select(RatingChange)).one()
    change.after = {"level": 5}
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_action_changes_are_kept_too(client, setting):
    _, _, made = setting
    action = factories.improvement_action(
        assessment=made, domain_key=DEV, what="Publish", done=True
    )
    actions.remove(assessment=made, action_id=action.id, actor=None)
    changes = db.session.scalars(select(RatingChange).order_by(RatingChange.id)).all()
    assert [(c.before, c.after) for c in changes] == [
        ({"action": None}, {"action": "Publish (owner: Head of Performance, open)"}),
        (
            {"action": "Publish (owner: Head of Performance, open)"},
            {"action": "Publish (owner: Head of Performance, done)"},
        ),
        ({"action": "Publish (owner: Head of Performance, done)"}, {"action": None}),
    ]


def test_the_history_page_lists_changes_newest_first_field_by_field(client, setting):
    body, assessor, made = setting
    _save(made, assessor, level=1, evidence="First go")
    _save(made, assessor, level=3, evidence="First go", reason_for_change="New framework")
    assessments.save_rating(
        assessment=made,
        domain_key=REP,
        level=2,
        evidence="",
        reason_for_change="",
        ambition=None,
        actor=None,
    )
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    html = page(client.get(f"/organisations/home-office/assessments/{made.id}"))
    response = client.get(link(html, "View the history of changes")["href"])
    assert response.status_code == 200
    html = page(response)
    entries = html.select("#history tbody")
    assert len(entries) == 3

    def rows(entry):
        return [
            [c.get_text(" ", strip=True) for c in row.select("th, td")]
            for row in entry.select("tr")
        ]

    newest, middle, oldest = (rows(e) for e in entries)
    assert newest[0][1:] == [
        "The system",
        "Reporting performance information",
        "Level reached",
        "Not answered",
        "Functioning",
    ]
    assert middle[0][1:3] == ["Ada Assessor", "Developing a framework"]
    assert [r[-3:] for r in middle] == [
        ["Level reached", "Existing", "Enabling"],
        ["Reason for change", "None", "New framework"],
    ]
    assert [r[-3:] for r in oldest] == [
        ["Level reached", "Not answered", "Existing"],
        ["Evidence", "None", "First go"],
    ]


def test_the_history_is_read_in_one_query(client, setting):
    body, assessor, made = setting
    for level in range(1, 5):
        _save(made, assessor, level=level)
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    url = f"/organisations/home-office/assessments/{made.id}/history"
    client.get(url)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len([s for s in statements if "rating_change" in s]) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
