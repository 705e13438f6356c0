"""Administrators read the audit trail, newest first, filtered, fifty to a page."""

from datetime import datetime

import pytest

from maturity.data import audit_log
from maturity.extensions import db
from maturity.models import AuditEvent
from tests import factories
from tests.admin.conftest import errors
from tests.conftest import page


def _event(action, *, when, actor=None, organisation=None, subject="", details=None, ip=None):
    db.session.add(
        AuditEvent(
            action=action,
            occurred_at=when,
            actor=actor,
            organisation=organisation,
            subject=subject,
            details=details or {},
            remote_address=ip,
        )
    )


def _rows(response) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in page(response).select("tbody tr")
    ]


@pytest.fixture
def trail(admin):
    """Three events on three days, and what the admin's own sign-in wrote today."""
    body = factories.organisation(name="Home Office")
    other = factories.user(email="other@example.org")
    db.session.execute(
        AuditEvent.__table__.delete().where(AuditEvent.action != "sign_in.succeeded")
    )
    _event(
        "role.granted",
        when=datetime(2024, 1, 10, 9, 30),
        actor=admin,
        organisation=body,
        subject="other@example.org",
        details={"role": "viewer", "previous": None},
        ip="192.0.2.1",
    )
    _event(
        "user.disabled",
        when=datetime(2024, 2, 10, 9, 30),
        actor=admin,
        subject="other@example.org",
        ip="192.0.2.2",
    )
    _event(
        "sign_in.failed",
        when=datetime(2024, 3, 10, 9, 30),
        actor=other,
        subject="other@example.org",
    )
    db.session.commit()
    return body


def test_newest_first_with_every_column(client, trail):
    rows = _rows(client.get("/admin/audit"))
    assert [row[2] for row in rows][-3:] == ["sign_in.failed", "user.disabled", "role.granted"]
    assert rows[-1] == [
        "10 Jan 2024 09:30:00",
        "admin@example.org",
        "role.granted",
        "Home Office",
        "other@example.org",
        "role: viewer, previous: none",
        "192.0.2.1",
    ]


def test_filters_narrow_the_list(client, trail):
    def actions(query: str) -> list[str]:
        return [row[2] for row in _rows(client.get(f"/admin/audit?{query}"))]

    assert actions("action=user.disabled") == ["user.disabled"]
    assert actions(f"organisation={trail.id}") == ["role.granted"]
    assert actions("person=OTHER@") == ["sign_in.failed", "user.disabled", "role.granted"]
    assert actions("person=admin@example") == ["sign_in.succeeded", "user.disabled", "role.granted"]
    assert actions("from_day=1&from_month=2&from_year=2024&to_day=10&to_month=2&to_year=2024") == [
        "user.disabled"
    ]
    assert actions("to_day=31&to_month=1&to_year=2024") == ["role.granted"]
    assert actions("person=%25") == []  # a typed % is searched for, not a wildcard
    response = client.get("/admin/audit?action=user.disabled&person=nobody")
    assert "No events match the filters" in response.get_data(as_text=True)


def test_the_action_list_holds_every_action_recorded(client, trail):
    options = [o["value"] for o in page(client.get("/admin/audit")).select("#action option")]
    assert options[0] == "" and {"role.granted", "user.disabled", "sign_in.failed"} <= set(options)


@pytest.mark.parametrize(
    "query",
    [
        "from_day=31&from_month=2&from_year=2024",
        "from_day=x&from_month=&from_year=2024",
        "to_day=1&to_month=1&to_year=99999999999999999999",
        "organisation=banana",
        "action=no.such.action",
        "page=-4",
        "page=banana",
        "person=" + "x" * 300,
        "from_day=2&from_month=1&from_year=2024&to_day=1&to_month=1&to_year=2024",
    ],
)
def test_a_filter_that_makes_no_sense_is_explained_never_a_failure(client, trail, query):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    if "page" not in query:
        assert errors(response)


def test_pagination_fifty_a_page_keeping_the_filters(client, trail, count_queries):
    for number in range(120):
        _event(
            "assessment.saved",
            when=datetime(2023, 1, 1, 0, 0, number % 60),
            subject=f"event {number}",
        )
    db.session.commit()
    first = client.get("/admin/audit?action=assessment.saved")
    assert len(_rows(first)) == 50
    assert "Showing 1 to 50 of 120 events" in first.get_data(as_text=True)
    pagination = page(first).select_one("nav.govuk-pagination")
    assert [a.get_text(strip=True) for a in pagination.select(".govuk-pagination__item a")] == [
        "1",
        "2",
        "3",
    ]
    next_href = pagination.select_one("a[rel=next]")["href"]
    assert "action=assessment.saved" in next_href and "page=2" in next_href
    last = client.get("/admin/audit?action=assessment.saved&page=3")
    assert len(_rows(last)) == 20
    assert "Showing 101 to 120 of 120 events" in last.get_data(as_text=True)
    beyond = client.get("/admin/audit?action=assessment.saved&page=99")
    assert len(_rows(beyond)) == 20


def test_a_page_costs_a_count_and_one_query_however_many_people(trail, count_queries):
    for _ in range(10):
        person = factories.user()
        _event("sign_in.succeeded", when=datetime(2024, 4, 1), actor=person, organisation=trail)
    db.session.commit()
    db.session.expunge_all()
    filters = audit_log.Filters(person="example.org")
    found: list = []
    queries = count_queries(lambda: found.append(audit_log.page(filters=filters)))
    assert queries == 2
    events = found[0].events
    assert len(events) >= 13
    db.session.expunge_all()
    more = count_queries(lambda: [(e.actor and e.actor.email, e.organisation) for e in events])
    assert more == 0


def test_the_last_day_there_is_can_end_the_range(client, trail):
    response = client.get("/admin/audit?to_day=31&to_month=12&to_year=9999")
    assert response.status_code == 200
    assert not errors(response)
    assert len(_rows(response)) == 4  # every event: the three days' and the sign-in's
