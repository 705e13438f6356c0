"""Nobody can keep a person out by failing to sign in as them: a browser where the person has
signed in before is counted apart from everyone else (OWASP ASVS 6.1.1, device cookies)."""

from __future__ import annotations

from tests import factories
from tests.conftest import PASSWORD, sign_in

WRONG = "not the right password at all"


def _fail(client, email: str, times: int = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        client.post("/sign-in", data={"email": email, "password": WRONG})


def _attempt(client, email: str, password: str = PASSWORD) -> int:  # type: ignore[no-untyped-def]
    return client.post("/sign-in", data={"email": email, "password": password}).status_code


def _cookie(app, client):  # type: ignore[no-untyped-def]
    return client.get_cookie("__Host-device") or client.get_cookie("device")


def test_failures_elsewhere_do_not_pause_a_browser_the_person_used_before(app):
    person = factories.user()
    own = app.test_client()
    assert sign_in(own, person.email).request.path == "/"
    own.post("/sign-out")
    attacker = app.test_client()
    _fail(attacker, person.email)
    assert _attempt(attacker, person.email) == 429  # everyone else is paused
    assert (
        app.test_client()
        .post("/sign-in", data={"email": person.email, "password": PASSWORD})
        .status_code
        == 429
    )
    assert _attempt(own, person.email) == 302  # the person's own browser is not


def test_a_browser_with_a_device_cookie_is_paused_by_its_own_failures(app):
    person = factories.user()
    own = app.test_client()
    sign_in(own, person.email)
    own.post("/sign-out")
    _fail(own, person.email)
    assert _attempt(own, person.email) == 429


def test_a_device_cookie_counts_only_for_its_own_account(app):
    person, other = factories.user(), factories.user()
    browser = app.test_client()
    sign_in(browser, person.email)
    browser.post("/sign-out")
    _fail(app.test_client(), other.email)
    assert _attempt(browser, other.email) == 429


def test_a_tampered_device_cookie_is_ignored(app):
    person = factories.user()
    browser = app.test_client()
    sign_in(browser, person.email)
    browser.post("/sign-out")
    cookie = _cookie(app, browser)
    browser.set_cookie(cookie.key, cookie.value[:-2] + "xx")
    _fail(app.test_client(), person.email)
    assert _attempt(browser, person.email) == 429


def test_the_device_cookie_is_host_only_secure_httponly_and_lax_and_signs_nobody_in(app):
    person = factories.user()
    browser = app.test_client()
    response = browser.post(
        "/sign-in",
        data={"email": person.email, "password": PASSWORD},
        base_url="https://maturity.example.org",
    )
    device = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-device=")
    )
    for flag in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/"):
        assert flag in device
    assert "Domain=" not in device and person.email not in device
    alone = app.test_client()
    alone.set_cookie("__Host-device", device.split(";")[0].split("=", 1)[1])
    assert alone.get("/").status_code == 302
