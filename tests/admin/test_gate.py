"""The administration area exists only for administrators: everyone else gets 404."""

import re

import pytest

from maturity.domain.roles import MembershipRole
from tests import factories
from tests.conftest import link, page, sign_in


def _admin_urls(app) -> list[tuple[str, str]]:
    """Every /admin route and method, with ids filled in: a new route is covered at once."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        path = re.sub(r"<(?:int:)?\w+>", "1", rule.rule)
        found.extend((method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


@pytest.fixture(params=["anonymous", "viewer", "approver", "disabled admin"])
def outsider(request, client):
    body = factories.organisation(name="Home Office")
    if request.param == "viewer":
        sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    elif request.param == "approver":
        sign_in(client, factories.member(of=body, role=MembershipRole.APPROVER).email)
    elif request.param == "disabled admin":
        other = factories.user(admin=True)
        former = factories.user(admin=True)
        sign_in(client, former.email)
        from maturity.data import users

        users.disable(user=former, actor=other)
    return request.param


def test_every_admin_address_is_not_found_for_anyone_else(app, client, outsider):
    urls = _admin_urls(app)
    assert ("GET", "/admin/people") in urls and ("POST", "/admin/people/1/disable") in urls
    for method, path in urls:
        response = client.open(path, method=method, data={"email": "x@example.org"})
        assert response.status_code == 404, (method, path)
        assert "Administration" not in response.get_data(as_text=True)
    # Not even a wrong method or an unknown address gives the area away.
    assert client.delete("/admin/people").status_code == 404
    assert client.post("/admin").status_code == 404
    assert client.get("/admin/no-such-page").status_code == 404


def test_a_non_admin_post_changes_nothing(client):
    body = factories.organisation(name="Home Office")
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    target = factories.user()
    sign_in(client, approver.email)
    assert client.post(f"/admin/people/{target.id}/administrator").status_code == 404
    assert not target.is_admin


def test_only_administrators_see_the_administration_link(client):
    body = factories.organisation(name="Home Office")
    sign_in(client, factories.member(of=body).email)
    assert link(page(client.get("/")), "Administration") is None
    client.post("/sign-out")
    admin = factories.user(admin=True)
    sign_in(client, admin.email)
    found = link(page(client.get("/")), "Administration")
    assert found is not None and found["href"] == "/admin"
    assert client.get("/admin").status_code == 200


def test_admin_posts_need_the_csrf_token(app, client):
    admin = factories.user(admin=True)
    target = factories.user()
    sign_in(client, admin.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/admin/people/{target.id}/disable")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert target.active


def test_without_a_csrf_token_a_non_admin_still_gets_404_not_400(app, client):
    body = factories.organisation(name="Home Office")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/admin/people/1/disable").status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
