"""Administrators invite people, give and remove their roles, disable accounts, make admins."""

from maturity.data import organisations, users
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Membership
from tests import factories
from tests.admin.conftest import banner, errors, events, inline_error, shown_link
from tests.conftest import PASSWORD, page, sign_in


def test_the_list_shows_status_roles_administrators_and_two_factor(client, admin):
    body = factories.organisation(name="Home Office")
    agency = factories.organisation(name="National Crime Agency")
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    organisations.grant(user=approver, organisation=agency, role=MembershipRole.VIEWER)
    users.invite(email="new@example.org", name="Nia New", actor=admin)
    gone = factories.user(email="gone@example.org", name="Gus Gone")
    users.disable(user=gone, actor=admin)
    rows = {
        row.th.get_text(" ", strip=True): [c.get_text(" ", strip=True) for c in row.find_all("td")]
        for row in page(client.get("/admin/people")).select("tbody tr")
    }
    assert rows == {
        "Ada Admin admin@example.org": ["Active", "None", "Yes", "Set up"],
        "Gus Gone gone@example.org": ["Disabled", "None", "No", "Not set up"],
        "Nia New new@example.org": ["Invited", "None", "No", "Not set up"],
        f"Test Person {approver.email}": [
            "Active",
            "Approver, Home Office Viewer, National Crime Agency",
            "No",
            "Set up",
        ],
    }


def test_inviting_a_person_with_a_role_shows_the_link_once(client, admin):
    body = factories.organisation(name="Home Office")
    response = client.post(
        "/admin/people/invite",
        data={
            "name": "Nia New",
            "email": "Nia@Example.org",
            "organisation": str(body.id),
            "role": "assessor",
        },
    )
    assert response.status_code == 302
    invited = users.find(email="nia@example.org")
    assert response.headers["Location"] == f"/admin/people/{invited.id}/link"
    assert invited.password is None and invited.active
    assert [(m.organisation.name, m.role) for m in invited.memberships] == [
        ("Home Office", MembershipRole.ASSESSOR)
    ]
    confirmation = client.get(response.headers["Location"])
    assert banner(confirmation) == "Success Invitation created"
    assert shown_link(confirmation).startswith("/invitation/")
    assert "shown only once" in confirmation.get_data(as_text=True)
    assert confirmation.headers["Cache-Control"] == "no-store"
    # Reloading shows it no more: it was never stored.
    again = client.get(response.headers["Location"])
    assert shown_link(again) == ""
    assert "The link is no longer shown" in again.get_data(as_text=True)
    [event] = events("user.invited")
    assert event.subject == "nia@example.org" and event.actor_id == admin.id
    assert event.details == {"organisation": "Home Office", "role": "assessor"}


def test_inviting_someone_who_has_an_account_says_so_at_the_email(client, admin):
    factories.user(email="taken@example.org")
    response = client.post(
        "/admin/people/invite",
        data={"name": "T", "email": "TAKEN@example.org", "organisation": "0"},
    )
    assert response.status_code == 200
    assert inline_error(response, "email") == "taken@example.org already has an account"
    assert errors(response) == ["taken@example.org already has an account"]
    assert events("user.invited") == []


def test_inviting_with_bad_input_says_what_is_wrong(client, admin):
    body = factories.organisation(name="Home Office")
    response = client.post("/admin/people/invite", data={"name": "", "email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter the person's full name" in errors(response)
    response = client.post(
        "/admin/people/invite",
        data={"name": "N", "email": "n@example.org", "organisation": str(body.id)},
    )
    assert errors(response) == ["Select the person's role in the organisation"]
    response = client.post(
        "/admin/people/invite",
        data={"name": "N", "email": "n@example.org", "organisation": "0", "role": "approver"},
    )
    assert errors(response) == ["Select the organisation the role is in"]
    assert db.session.query(Membership).count() == 0
    response = client.post(
        "/admin/people/invite",
        data={"name": "N", "email": "n@example.org", "organisation": "0", "role": "king"},
    )
    assert response.status_code == 200 and errors(response)


def test_giving_changing_and_removing_a_role(client, admin):
    body = factories.organisation(name="Home Office")
    person = factories.user(email="p@example.org")
    url = f"/admin/people/{person.id}"
    response = client.post(f"{url}/roles", data={"organisation": str(body.id), "role": "viewer"})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert banner(client.get(url)) == "Success Test Person is now viewer in Home Office"
    client.post(f"{url}/roles", data={"organisation": str(body.id), "role": "approver"})
    db.session.expire_all()
    assert [m.role for m in person.memberships] == [MembershipRole.APPROVER]
    granted = events("role.granted")
    assert [e.details for e in granted] == [
        {"role": "viewer", "previous": None},
        {"role": "approver", "previous": "viewer"},
    ]
    change = page(client.get(f"{url}?organisation={body.id}"))
    assert change.select_one("#role-3")["checked"] is not None
    response = client.post(f"{url}/roles/{body.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert person.memberships == []
    [revoked] = events("role.revoked")
    assert revoked.subject == "p@example.org" and revoked.details == {"role": "approver"}
    assert revoked.organisation_id == body.id


def test_a_role_needs_an_organisation_and_a_role(client, admin):
    person = factories.user()
    response = client.post(f"/admin/people/{person.id}/roles", data={"organisation": "0"})
    assert response.status_code == 200
    assert errors(response) == ["Select an organisation", "Select a role"]
    assert client.post("/admin/people/999999/roles", data={}).status_code == 404


def test_disabling_ends_the_persons_sessions_and_enabling_lets_them_back(app, client, admin):
    body = factories.organisation(name="Home Office")
    person = factories.member(of=body, role=MembershipRole.VIEWER)
    theirs = app.test_client()
    sign_in(theirs, person.email)
    assert theirs.get("/organisations/home-office").status_code == 200
    response = client.post(f"/admin/people/{person.id}/disable")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert "account is disabled and they have been signed out" in banner(follow)
    after = theirs.get("/organisations/home-office")
    assert after.status_code == 302 and "/sign-in" in after.headers["Location"]
    assert "Disabled" in page(client.get("/admin/people")).get_text()
    sign_in(theirs, person.email)
    assert theirs.get("/organisations/home-office").status_code == 302
    [event] = events("user.disabled")
    assert event.subject == person.email and event.actor_id == admin.id
    client.post(f"/admin/people/{person.id}/enable")
    assert len(events("user.enabled")) == 1
    sign_in(theirs, person.email, PASSWORD)
    assert theirs.get("/organisations/home-office").status_code == 200


def test_an_administrator_cannot_disable_themselves_or_drop_their_own_admin_role(client, admin):
    response = client.post(f"/admin/people/{admin.id}/disable")
    assert response.status_code == 200
    assert errors(response) == ["You cannot disable your own account"]
    assert (
        page(response)
        .select_one("#active")
        .get_text(strip=True)
        .endswith("You cannot disable your own account")
    )
    response = client.post(f"/admin/people/{admin.id}/administrator/remove")
    assert errors(response) == ["You cannot remove your own administrator role"]
    db.session.expire_all()
    assert admin.active and admin.is_admin
    assert events("user.disabled") == [] and events("admin.revoked") == []


def test_making_and_unmaking_an_administrator(client, admin):
    person = factories.user(email="p@example.org")
    client.post(f"/admin/people/{person.id}/administrator")
    db.session.expire_all()
    assert person.is_admin
    client.post(f"/admin/people/{person.id}/administrator/remove")
    db.session.expire_all()
    assert not person.is_admin
    assert [e.subject for e in events("admin.granted")] == ["p@example.org"]
    assert [e.subject for e in events("admin.revoked")] == ["p@example.org"]


def test_a_person_who_does_not_exist_is_not_found(client, admin):
    assert client.get("/admin/people/999999").status_code == 404
    assert client.post("/admin/people/999999/disable").status_code == 404
    assert client.get("/admin/people/999999/link").status_code == 404
