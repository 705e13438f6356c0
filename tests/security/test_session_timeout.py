"""The time-out warning's server side (WCAG 2.2.1): every signed-in page says when the
session ends, "Stay signed in" extends it, asking when it ends does not, and the page a
timed-out window goes to says nothing was lost."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from maturity.security import sessions
from tests import factories
from tests.conftest import PASSWORD, page, sign_in


@pytest.fixture
def person(client):
    body = factories.organisation(name="Home Office")
    someone = factories.member(of=body)
    sign_in(client, someone.email)
    return someone


def _go_idle(client, seconds: float) -> None:
    with client.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= seconds


def _last_seen(client) -> float:
    with client.session_transaction() as session:
        return float(session[sessions.LAST_SEEN_AT])


def test_every_signed_in_page_says_when_the_session_will_end(app, client, person):
    response = client.get("/organisations/home-office")
    ending = page(response).select_one("#session-end")
    assert ending is not None
    text = " ".join(ending.get_text().split())
    assert text.startswith(
        "For your security, we will sign you out after 30 minutes without activity (at "
    )
    assert ending.select_one("[data-session-end-at]").get_text().count(":") == 1
    # What the script starts from: the seconds left, and when to warn.
    assert 1795 <= float(ending["data-expires-in"]) <= 1800
    assert float(ending["data-warn-before"]) == 120
    assert ending["data-keep-alive-url"] == "/session/keep-alive"
    # The dialog is in the page, closed: without JavaScript it never shows.
    dialog = page(response).select_one("dialog#app-timeout")
    assert dialog is not None and not dialog.has_attr("open")
    assert dialog["role"] == "alertdialog"
    assert "Stay signed in" in dialog.get_text()


def test_the_time_given_is_the_idle_end_in_uk_time(app, client, person):
    response = client.get("/")
    shown = page(response).select_one("[data-session-end-at]").get_text()
    from maturity.views.session_timeout import clock_time

    expected = {clock_time(time.time() + 1800 + delta) for delta in (-60, 0, 60)}
    assert shown in expected


def test_near_the_end_of_a_whole_session_the_page_says_so(app, client, person):
    absolute = app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    with client.session_transaction() as session:
        session[sessions.SIGNED_IN_AT] -= absolute - 600  # ten minutes of it left
    text = " ".join(page(client.get("/")).select_one("#session-end").get_text().split())
    assert text.startswith("For your security, we will sign you out at ")
    assert text.endswith(", 12 hours after you signed in.")


def test_nobody_signed_in_gets_no_warning(client):
    html = page(client.get("/sign-in"))
    assert html.select_one("#session-end") is None
    assert html.select_one("dialog#app-timeout") is None


def test_stay_signed_in_starts_the_idle_time_again(app, client, person):
    _go_idle(client, 25 * 60)
    before = _last_seen(client)
    response = client.post("/session/keep-alive")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["signed_in"] is True
    assert answer["person"] == person.id
    assert 1795 <= answer["expires_in"] <= 1800
    assert answer["warn_before"] == 120
    assert answer["reason"] == "idle"
    assert _last_seen(client) > before + 24 * 60
    assert response.headers["Cache-Control"] == "no-store"


def test_asking_when_the_session_ends_does_not_extend_it(app, client, person):
    _go_idle(client, 25 * 60)
    before = _last_seen(client)
    answer = client.get("/session/status").get_json()
    assert answer["signed_in"] is True
    assert 295 <= answer["expires_in"] <= 300
    assert answer["csrf_token"]
    assert _last_seen(client) == before


def test_asking_after_the_time_out_ends_the_session_with_an_answer_not_a_page(app, client, person):
    _go_idle(client, 31 * 60)
    response = client.get("/session/status")
    assert response.status_code == 401
    assert response.get_json() == {"signed_in": False, "reason": "idle", "kept": False}
    # The session has ended for every request after it.
    assert client.get("/").status_code == 302


def test_stay_signed_in_is_too_late_after_the_time_out(app, client, person):
    _go_idle(client, 31 * 60)
    response = client.post("/session/keep-alive")
    assert response.status_code == 302  # like any page: to sign in
    assert "/sign-in" in response.headers["Location"]


def test_stay_signed_in_needs_someone_signed_in(client):
    assert client.post("/session/keep-alive").status_code == 401
    assert client.get("/session/status").status_code == 401


def test_stay_signed_in_needs_the_csrf_token(app, person):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        token = page(client.get("/sign-in")).select_one("input[name=csrf_token]")["value"]
        client.post(
            "/sign-in", data={"email": person.email, "password": PASSWORD, "csrf_token": token}
        )
        html = page(client.get("/"))
        token = html.select_one("form.app-sign-out input[name=csrf_token]")["value"]
        assert client.post("/session/keep-alive").status_code == 400
        response = client.post("/session/keep-alive", headers={"X-CSRFToken": token})
        assert response.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_signed_out_page_says_nothing_was_lost(client):
    response = client.get("/signed-out?next=/organisations/home-office&reason=idle")
    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text() == "You have been signed out"
    text = html.select_one("main").get_text()
    assert "because you had not done anything for 30 minutes" in text
    assert "Nothing has been lost" in text
    assert "kept as a draft" in text
    again = next(a for a in html.select("main a") if "Sign in again" in a.get_text())
    assert again["href"] == "/sign-in?next=/organisations/home-office"


def test_the_signed_out_page_names_the_whole_session_limit_when_that_was_it(client):
    text = page(client.get("/signed-out?reason=absolute")).select_one("main").get_text()
    assert "because you had been signed in for 12 hours" in text


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_signed_out_page_never_sends_people_to_another_site(client, elsewhere):
    html = page(client.get("/signed-out", query_string={"next": elsewhere}))
    again = next(a for a in html.select("main a") if "Sign in again" in a.get_text())
    assert again["href"] == "/sign-in"


def test_the_signed_out_page_sends_someone_still_signed_in_home(client, person):
    response = client.get("/signed-out")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")


def test_the_warning_comes_at_most_half_the_idle_time_early(app, client, person):
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=3)
    try:
        answer = client.get("/session/status").get_json()
        assert answer["warn_before"] == 90
    finally:
        app.config["SESSION_IDLE_TIMEOUT"] = idle


def test_shorter_limits_in_the_session_are_ignored_unless_the_tests_allow_them(app, client, person):
    with client.session_transaction() as session:
        session[sessions.TEST_IDLE_SECONDS] = 20
        session[sessions.TEST_WARNING_SECONDS] = 10
    assert client.get("/session/status").get_json()["expires_in"] > 1700
    app.config["SESSION_TIMEOUTS_FROM_SESSION"] = True
    try:
        answer = client.get("/session/status").get_json()
        assert answer["expires_in"] <= 20
        assert answer["warn_before"] == 10
        # Only ever shorter: a longer one in the session changes nothing.
        with client.session_transaction() as session:
            session[sessions.TEST_IDLE_SECONDS] = 10**6
        assert client.get("/session/status").get_json()["expires_in"] <= 1800
    finally:
        app.config["SESSION_TIMEOUTS_FROM_SESSION"] = False


def test_the_setting_that_allows_shorter_limits_is_off_unless_a_test_turns_it_on(
    monkeypatch, tmp_path
):
    from maturity.config import from_environment

    monkeypatch.setenv("SESSION_TIMEOUTS_FROM_SESSION", "true")
    assert from_environment(tmp_path)["SESSION_TIMEOUTS_FROM_SESSION"] is False


def test_the_warning_lead_is_configurable(monkeypatch, tmp_path):
    from maturity.config import from_environment

    monkeypatch.setenv("SESSION_WARNING_MINUTES", "5")
    assert from_environment(tmp_path)["SESSION_WARNING_LEAD"] == timedelta(minutes=5)


def test_the_signed_out_page_ends_a_timed_out_session_quietly_and_shows(app, client, person):
    """The page may arrive a moment after the session's end: it is shown, not sign-in."""
    _go_idle(client, 31 * 60)
    response = client.get("/signed-out?reason=idle")
    assert response.status_code == 200
    assert page(response).h1.get_text() == "You have been signed out"
    assert client.get("/").status_code == 302
