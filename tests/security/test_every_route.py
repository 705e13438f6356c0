"""Checks over every route in the URL map: each signed-in page has a visible sign-out (OWASP
ASVS 7.4.4), and each POST without its CSRF token is refused and changes nothing (3.5.1)."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.conftest import page, sign_in
from tests.security.test_authorisation_matrix import (  # noqa: F401  (world is a fixture)
    OVERRIDES,
    _rows,
    _rules,
    world,
)


def _url(app, setting, rule) -> str:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        values = {**setting.values, **OVERRIDES.get(rule.endpoint, {})}
        return url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})


@pytest.mark.parametrize("persona", ["viewer", "approver", "admin"])
def test_every_signed_in_page_has_a_visible_sign_out(app, world, persona):  # noqa: F811
    client = app.test_client()
    sign_in(client, world.people[persona])
    pages = 0
    missing = []
    for rule in _rules(app):
        if "GET" not in rule.methods or rule.endpoint in {"static", "security.static"}:
            continue
        response = client.get(_url(app, world, rule))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        html = page(response)
        form = html.find("form", action="/sign-out")
        button = form.find("button") if form else None
        if button is None or button.get_text(strip=True) != "Sign out":
            missing.append(rule.endpoint)
        elif form.find("input", attrs={"name": "csrf_token"}) is None:
            missing.append(f"{rule.endpoint} (no CSRF token in the sign-out form)")
    assert pages >= 10
    assert missing == []


@pytest.mark.parametrize("persona", ["anonymous", "assessor", "admin"])
def test_every_post_without_its_csrf_token_is_refused_and_changes_nothing(
    app,
    world,  # noqa: F811
    persona,
):
    client = app.test_client()
    if persona != "anonymous":
        sign_in(client, world.people[persona])
    before = _rows()
    app.config["WTF_CSRF_ENABLED"] = True
    accepted = []
    try:
        for rule in _rules(app):
            if "POST" not in rule.methods:
                continue
            response = client.post(_url(app, world, rule), data={"anything": "x"})
            # 400: refused for the missing token. The administration area answers 404 to
            # anyone but an administrator before it looks at the token (views/admin).
            refused = {400} | ({404} if rule.endpoint.startswith("admin.") else set())
            if response.status_code not in refused:
                accepted.append(f"{rule.rule}: {response.status_code}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert accepted == []
    after = _rows()
    after.pop("report_job")
    before.pop("report_job")
    assert after == before
