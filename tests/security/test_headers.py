"""Security headers on representative responses."""

import pytest

from maturity.security.headers import CONTENT_SECURITY_POLICY
from tests import factories
from tests.conftest import PASSWORD, download, page, sign_in


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


def test_every_cookie_set_at_sign_in_is_host_only_secure_httponly_and_lax(app, client):
    factories.user(email="c@example.org")
    response = client.post(
        "/sign-in",
        # remember=y is what a tampered form would send: it must not buy a lasting cookie.
        data={"email": "c@example.org", "password": PASSWORD, "remember": "y"},
        base_url="https://maturity.example.org",
    )
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("__Host-session="))
    for flag in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/"):
        assert flag in session_cookie
    assert "Domain=" not in session_cookie
    for cookie in cookies:
        assert "SameSite=Lax" in cookie and "Secure" in cookie
        if cookie.startswith("remember_token="):
            assert "Max-Age=0" in cookie or "Expires=" in cookie


def test_hsts_covers_subdomains(client):
    response = client.get("/sign-in", base_url="https://maturity.example.org")
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


def test_behind_a_trusted_proxy_the_clients_address_and_scheme_are_used(app):
    from maturity import create_app

    proxied = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TRUSTED_PROXY_HOPS": 1,
        }
    )
    response = proxied.test_client().get(
        "/sign-in",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    untrusted = app.test_client().get(
        "/sign-in", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert "Strict-Transport-Security" not in untrusted.headers


def test_the_pdf_is_sent_as_a_download(signed_in):
    response = download(signed_in, "/organisations/home-office/report.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_text_people_typed_is_escaped_on_the_page(client):
    body = factories.organisation(name="<script>alert(1)</script> Office")
    factories.assessment(of=body, period="2018", evidence="<img src=x onerror=alert(1)>")
    sign_in(client, factories.member(of=body).email)
    html = client.get(f"/organisations/{body.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Office" in html


def test_an_outside_next_address_is_never_followed(client):
    person = factories.user(email="n@example.org")
    response = client.post(
        "/sign-in?next=https://evil.example.com/",
        data={"email": person.email, "password": PASSWORD},
    )
    assert "evil.example.com" not in response.headers.get("Location", "")


def test_password_fields_are_password_inputs(client):
    html = page(client.get("/sign-in"))
    assert html.select_one("input#password")["type"] == "password"
    assert not html.select_one("input#password").has_attr("onpaste")


def test_no_page_has_inline_script(signed_in):
    html = signed_in.get("/organisations/home-office").get_data(as_text=True)
    assert "<script>" not in html
    assert "<script " in html  # our module, by src
    assert "onclick" not in html
