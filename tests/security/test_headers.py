"""Security headers on representative responses."""

import pytest

from maturity.security.headers import CONTENT_SECURITY_POLICY
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def signed_in(client):
    body = factories.organisation(name="Home Office")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body).email)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in",
        "/healthz",
        "/no-such-page",
        "/",
        "/organisations/home-office",
        "/organisations/home-office/report.pdf",
    ],
)
def test_every_response_carries_the_security_headers(signed_in, path):
    response = signed_in.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "'unsafe-inline'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_signed_in_pages_are_not_cached(signed_in):
    assert signed_in.get("/organisations/home-office").headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_over_https(client):
    response = client.get("/sign-in", base_url="https://maturity.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_flags(app, client):
    factories.user(email="c@example.org")
    response = client.post(
        "/sign-in",
        data={"email": "c@example.org", "password": "correct horse battery staple"},
        base_url="https://maturity.example.org",
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_no_page_has_inline_script(signed_in):
    html = signed_in.get("/organisations/home-office").get_data(as_text=True)
    assert "<script>" not in html
    assert "<script " in html  # our module, by src
    assert "onclick" not in html
