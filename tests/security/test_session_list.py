"""Signed-in sessions kept on the server: a person sees theirs and ends one or all the others
after confirming it is them (OWASP ASVS 7.5.2); a change to their two-factor sign-in ends their
other sessions (7.4.3); an administrator signs one person, or everyone, out (7.4.5)."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from maturity.data import user_sessions
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AuditEvent, User, UserSession
from maturity.security import session_records
from tests import factories
from tests.conftest import PASSWORD, page, sign_in

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
CHROME_ON_A_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_ON_AN_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def person() -> User:
    body = factories.organisation(name="Home Office")
    return factories.member(of=body, role=MembershipRole.VIEWER)


def _browser(app, email: str, user_agent: str, address: str = "127.0.0.1") -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    client.environ_base["REMOTE_ADDR"] = address
    assert sign_in(client, email).request.path == "/"
    return client


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/organisations/home-office").status_code == 200


def _session_rows(client: FlaskClient) -> list[list[str]]:
    html = page(client.get("/account"))
    region = html.find(attrs={"aria-labelledby": "sessions"})
    assert region is not None
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in region.select("tbody tr")
    ]


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_each_browser_signed_in_is_listed_with_its_address_and_times(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS, "192.0.2.10")
    _browser(app, person.email, CHROME_ON_A_MAC, "198.51.100.7")
    rows = _session_rows(here)
    assert [row[0] for row in rows] == ["Firefox on Windows", "Chrome on a Mac"]
    assert rows[0][1] == "192.0.2.10" and rows[1][1] == "198.51.100.7"
    assert rows[0][3] == "Now" and rows[0][4] == "This browser"
    assert re.match(r"\d{1,2} \w+ \d{4} \d\d:\d\d$", rows[1][2])  # signed in
    assert rows[1][4].startswith("Sign out of Chrome on a Mac")
    assert page(here.get("/account")).find("button", string=re.compile("Sign out of all other"))


def test_a_person_alone_is_told_they_are_signed_in_nowhere_else(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    html = page(here.get("/account"))
    assert "You are not signed in anywhere else" in html.get_text()
    assert not html.find("button", string=re.compile("Sign out of all other"))


def test_signing_out_of_all_other_sessions_keeps_this_one(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    phone = _browser(app, person.email, SAFARI_ON_AN_IPHONE)
    copied = app.test_client()
    cookie = laptop.get_cookie(app.config["SESSION_COOKIE_NAME"])
    copied.set_cookie(cookie.key, cookie.value)

    done = here.post("/account/sessions/end-others", follow_redirects=True)
    assert "You have been signed out of all other sessions" in page(done).get_text()
    assert _signed_in(here)
    assert not _signed_in(laptop) and not _signed_in(phone) and not _signed_in(copied)
    assert [row[0] for row in _session_rows(here)] == ["Firefox on Windows"]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sessions.ended_others")
    ).one()
    assert event.actor_id == person.id and event.details["sessions"] == 2


def test_ending_one_session_leaves_the_others(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    phone = _browser(app, person.email, SAFARI_ON_AN_IPHONE)
    button = next(
        found
        for found in page(here.get("/account")).find_all("button")
        if found.get_text(" ", strip=True).startswith("Sign out of Chrome on a Mac")
    )
    action = button.find_parent("form")["action"]

    done = here.post(action, follow_redirects=True)
    assert "That session has been signed out" in page(done).get_text()
    assert not _signed_in(laptop)
    assert _signed_in(here) and _signed_in(phone)
    signed_out = laptop.get("/account", follow_redirects=True)
    assert "this session was ended" in page(signed_out).get_text()
    assert "sessions.ended_one" in _actions()


def test_ending_sessions_needs_the_person_to_confirm_it_is_them(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    with here.session_transaction() as session:
        session["fs_paa"] -= 3600
        session.pop("fs_gexp", None)

    asked = here.post("/account/sessions/end-others")
    assert asked.status_code == 302
    assert "/account/confirm-password" in asked.headers["Location"]
    assert _signed_in(laptop)

    confirm = here.get(asked.headers["Location"])
    form = page(confirm).find("form", action=re.compile("confirm-password"))
    back = here.post(form["action"], data={"password": PASSWORD})
    assert back.headers["Location"].endswith("/account#sessions")
    here.post("/account/sessions/end-others")
    assert not _signed_in(laptop) and _signed_in(here)


def test_nobody_ends_a_session_that_is_not_theirs_or_this_one(app, person):
    mine = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    other = factories.user(email="other@example.org")
    theirs = _browser(app, other.email, CHROME_ON_A_MAC)
    their_session = db.session.scalars(
        select(UserSession).where(UserSession.user_id == other.id)
    ).one()
    assert mine.post(f"/account/sessions/{their_session.id}/end").status_code == 404
    assert theirs.get("/account").status_code == 200
    my_session = db.session.scalars(
        select(UserSession).where(UserSession.user_id == person.id)
    ).one()
    assert mine.post(f"/account/sessions/{my_session.id}/end").status_code == 404
    assert _signed_in(mine)


def test_the_database_holds_only_a_hash_of_each_sessions_key(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    with here.session_transaction() as session:
        key = session[session_records.SESSION_KEY]
    assert len(key) >= 43  # 32 random bytes
    stored = db.session.scalars(select(UserSession)).one()
    assert stored.key_hash == user_sessions.fingerprint(key) != key


def test_a_session_without_a_record_is_signed_out(app, person):
    """A session whose record has gone, or that began before records were kept."""
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    with here.session_transaction() as session:
        session.pop(session_records.SESSION_KEY)
    assert not _signed_in(here)


def test_last_active_follows_the_persons_requests(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    long_ago = user_sessions.now() - timedelta(minutes=20)
    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()
    here.get("/organisations/home-office")
    db.session.expire_all()
    assert db.session.scalars(select(UserSession)).one().last_seen_at > long_ago


def test_the_time_out_warnings_stay_signed_in_counts_as_activity_and_its_check_does_not(
    app, person
):
    """maturity/views/session_timeout.py: "Stay signed in" (keep-alive) is activity, as for
    the idle time-out; the page's own status check is not."""
    if "timeout.keep_alive" not in app.view_functions:
        pytest.skip("no time-out warning in this build")
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    long_ago = user_sessions.now() - timedelta(minutes=20)

    def last_seen() -> object:
        db.session.expire_all()
        return db.session.scalars(select(UserSession)).one().last_seen_at

    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()
    here.get("/session/status")
    assert last_seen() == long_ago
    here.post("/session/keep-alive")
    assert last_seen() > long_ago


def test_a_session_that_timed_out_or_signed_out_is_no_longer_listed(app, person):
    from maturity.security import sessions

    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    with laptop.session_transaction() as session:
        session[sessions.LAST_SEEN_AT] -= (idle + timedelta(seconds=5)).total_seconds()
    assert not _signed_in(laptop)
    assert [row[0] for row in _session_rows(here)] == ["Firefox on Windows"]
    # Signing out ends every session the person has (maturity/security/sessions.py).
    _browser(app, person.email, CHROME_ON_A_MAC).post("/sign-out")
    assert not _signed_in(here)
    db.session.refresh(person)
    assert user_sessions.live(user=person, idle=idle, absolute=timedelta(hours=12)) == []


# Changes to how someone signs in end their other sessions (ASVS 7.4.3).


def _set_up_two_factor(client: FlaskClient) -> pyotp.TOTP:
    setup = client.post("/account/two-factor", data={"setup": "authenticator"})
    key = page(setup).find(id="authenticator-key").get_text(strip=True).replace("-", "")
    app = pyotp.TOTP(key)
    done = client.post("/sign-in/code", data={"code": app.now()}, follow_redirects=True)
    assert "You have been signed out everywhere else" in page(done).get_text()
    return app


def test_setting_up_two_factor_ends_the_persons_other_sessions(app, person):
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    _set_up_two_factor(here)
    assert _signed_in(here) and not _signed_in(laptop)
    assert "sessions.ended_others" in _actions()


def test_new_recovery_codes_end_the_persons_other_sessions(app, person):
    factories.set_up_two_factor(person)
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    made = here.post("/account/recovery-codes", data={"generate_new_codes": "1"})
    assert page(made).select("#recovery-codes li")
    assert _signed_in(here) and not _signed_in(laptop)


def test_turning_two_factor_off_ends_the_persons_other_sessions(app, person):
    factories.set_up_two_factor(person)
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    off = here.post("/account/two-factor", data={"setup": "disable"}, follow_redirects=True)
    assert "You have been signed out everywhere else" in page(off).get_text()
    assert _signed_in(here) and not _signed_in(laptop)


def test_an_administrator_turning_two_factor_off_ends_all_the_persons_sessions(app, person):
    from maturity.security import two_factor

    factories.set_up_two_factor(person)
    here = _browser(app, person.email, FIREFOX_ON_WINDOWS)
    admin = factories.user(admin=True)
    two_factor.turn_off(
        user=person,
        actor=admin,
        identity_check="call-back",
        details="Called back on the directory number",
        remote_address="192.0.2.1",
    )
    assert not _signed_in(here)


# Administrators (ASVS 7.4.5).


@pytest.fixture
def admin_browser(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    admin = factories.user(email="admin@example.org", name="Ada Admin", admin=True)
    return _browser(app, admin.email, FIREFOX_ON_WINDOWS)


def test_an_administrator_sees_a_persons_sessions_and_signs_them_out_everywhere(
    app, person, admin_browser
):
    laptop = _browser(app, person.email, CHROME_ON_A_MAC, "198.51.100.7")
    phone = _browser(app, person.email, SAFARI_ON_AN_IPHONE)
    shown = page(admin_browser.get(f"/admin/people/{person.id}"))
    region = shown.find(attrs={"aria-labelledby": "signed-in"})
    listed = [row.th.get_text(strip=True) for row in region.select("tbody tr")]
    assert sorted(listed) == ["Chrome on a Mac", "Safari on an iPhone"]
    assert "198.51.100.7" in region.get_text()

    done = admin_browser.post(
        f"/admin/people/{person.id}/sign-out-everywhere", follow_redirects=True
    )
    assert "has been signed out everywhere (2 sessions ended)" in page(done).get_text()
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _signed_in(admin_browser)
    db.session.expire_all()
    assert db.session.get(User, person.id).active
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sessions.ended_by_administrator")
    ).one()
    assert event.subject == person.email
    # Not disabled: they sign in again.
    assert _signed_in(_browser(app, person.email, CHROME_ON_A_MAC))


def test_an_administrator_is_sent_to_their_own_account_page_for_their_own_sessions(
    app, admin_browser
):
    admin = db.session.scalars(select(User).where(User.email == "admin@example.org")).one()
    shown = page(admin_browser.get(f"/admin/people/{admin.id}"))
    assert shown.find("a", href="/account#sessions")
    refused = admin_browser.post(f"/admin/people/{admin.id}/sign-out-everywhere")
    assert refused.status_code == 200
    assert "To sign yourself out elsewhere, use Your account" in refused.get_data(as_text=True)
    assert admin_browser.get("/account").status_code == 200


def test_an_administrator_signs_everyone_else_out(app, person, admin_browser):
    laptop = _browser(app, person.email, CHROME_ON_A_MAC)
    other = _browser(app, factories.user().email, SAFARI_ON_AN_IPHONE)
    people = page(admin_browser.get("/admin/people"))
    assert people.find("button", string=re.compile("Sign everyone else out"))
    done = admin_browser.post("/admin/people/sign-out-everyone", follow_redirects=True)
    assert "Everyone else has been signed out (2 sessions ended)" in page(done).get_text()
    assert not _signed_in(laptop) and not _signed_in(other)
    assert admin_browser.get("/admin/people").status_code == 200
    assert "sessions.everyone_signed_out" in _actions()
