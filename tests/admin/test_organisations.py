"""Administrators add organisations and say which one oversees which."""

from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from tests import factories
from tests.admin.conftest import banner, errors, events, inline_error
from tests.conftest import page


def test_the_list_shows_each_organisation_its_parent_and_how_many_people(client, admin):
    department = factories.organisation(name="Home Office")
    agency = factories.organisation(name="National Crime Agency", parent=department)
    factories.member(of=agency)
    factories.member(of=agency, role=MembershipRole.VIEWER)
    rows = page(client.get("/admin/organisations")).select("tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])][:3] for row in rows]
    assert cells == [["Home Office", "None", "0"], ["National Crime Agency", "Home Office", "2"]]


def test_adding_an_organisation_under_a_parent(client, admin):
    department = factories.organisation(name="Home Office")
    response = client.post(
        "/admin/organisations/new", data={"name": "Border Force", "parent": str(department.id)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/organisations"
    listing = client.get("/admin/organisations")
    assert banner(listing) == "Success Border Force added"
    [event] = [e for e in events("organisation.created") if e.subject == "Border Force"]
    assert event.actor_id == admin.id
    assert event.organisation.parent_id == department.id


def test_adding_an_organisation_with_a_name_taken_or_blank_says_so_at_the_name(client, admin):
    factories.organisation(name="Home Office")
    response = client.post("/admin/organisations/new", data={"name": "home office", "parent": "0"})
    assert response.status_code == 200
    assert "already exists" in inline_error(response, "name")
    response = client.post("/admin/organisations/new", data={"name": "  ", "parent": "0"})
    assert errors(response) == ["Enter the organisation's name"]
    response = client.post("/admin/organisations/new", data={"name": "X", "parent": "banana"})
    assert response.status_code == 200 and errors(response)


def test_changing_the_parent_is_audited(client, admin):
    department = factories.organisation(name="Home Office")
    agency = factories.organisation(name="National Crime Agency")
    form = page(client.get(f"/admin/organisations/{agency.id}/parent"))
    assert form.h1 is not None and "National Crime Agency" in form.h1.get_text()
    options = [o.get_text(strip=True) for o in form.select("select option")]
    assert "National Crime Agency" not in options
    response = client.post(
        f"/admin/organisations/{agency.id}/parent", data={"parent": str(department.id)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert agency.parent_id == department.id
    [event] = events("organisation.parent_changed")
    assert event.details == {"from": None, "to": "Home Office"}
    client.post(f"/admin/organisations/{agency.id}/parent", data={"parent": "0"})
    db.session.expire_all()
    assert agency.parent_id is None
    assert len(events("organisation.parent_changed")) == 2


def test_a_parent_that_would_make_a_loop_is_refused_at_the_field(client, admin):
    top = factories.organisation(name="Cabinet Office")
    middle = factories.organisation(name="Home Office", parent=top)
    bottom = factories.organisation(name="National Crime Agency", parent=middle)
    response = client.post(f"/admin/organisations/{top.id}/parent", data={"parent": str(bottom.id)})
    assert response.status_code == 200
    message = inline_error(response, "parent")
    assert message.startswith("National Crime Agency cannot oversee Cabinet Office")
    assert errors(response) == [message]
    db.session.expire_all()
    assert top.parent_id is None
    assert events("organisation.parent_changed") == []


def test_an_organisation_that_does_not_exist_is_not_found(client, admin):
    assert client.get("/admin/organisations/999999/parent").status_code == 404
