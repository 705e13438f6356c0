"""Two-factor sign-in with an authenticator app, recovery codes, and who must use them."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AuditEvent, User
from tests import factories
from tests.conftest import PASSWORD, authenticator_code, page, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _fresh(person: User) -> User:
    db.session.refresh(person)
    return person


def _actions(person: User) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.actor_id == person.id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _password_step(client, person: User):  # type: ignore[no-untyped-def]
    return client.post(
        "/sign-in", data={"email": person.email, "password": PASSWORD}, follow_redirects=True
    )


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    summary = page(response).select(".govuk-error-summary__list a")
    return [item.get_text(strip=True) for item in summary]


def _inline_error(response, field: str = "code") -> str:  # type: ignore[no-untyped-def]
    message = page(response).find(id=f"{field}-error")
    return message.get_text(" ", strip=True) if message else ""


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


@pytest.fixture
def viewer(client):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Home Office")
    return factories.member(of=body, role=MembershipRole.VIEWER)


def test_setting_up_an_authenticator_app_then_signing_in_with_its_codes(client, viewer):
    sign_in(client, viewer.email)
    account = page(client.get("/account"))
    assert "Off" in account.get_text()

    offer = client.get("/account/two-factor")
    assert page(offer).h1.get_text(strip=True) == "Set up two-factor authentication"

    setup = client.post("/account/two-factor", data={"setup": "authenticator"})
    html = page(setup)
    assert html.h1.get_text(strip=True) == "Set up your authenticator app"
    qr = html.find("img", id="qrcode")
    assert qr["src"].startswith("data:image/svg+xml;base64,")
    assert qr["alt"]
    policy = setup.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert re.search(r"img-src [^;]*data:", policy)
    code_box = html.find("input", id="code")
    assert code_box["autocomplete"] == "one-time-code"
    assert code_box["inputmode"] == "numeric"

    # What a person types into their app from the page: the key, not the QR code.
    key = html.find(id="authenticator-key").get_text(strip=True).replace("-", "")
    app = pyotp.TOTP(key)
    done = client.post("/sign-in/code", data={"code": app.now()}, follow_redirects=True)
    assert done.request.path == "/account"
    assert "Two-factor authentication is on" in page(done).get_text()
    assert _fresh(viewer).tf_primary_method == "authenticator"
    assert "two_factor.set_up" in _actions(viewer)

    client.post("/sign-out")
    asked = _password_step(client, viewer)
    assert asked.request.path == "/sign-in/code"
    assert not _signed_in(client)
    # The code of the next time step: this one was used to finish setting up.
    code = app.at(time.time() + app.interval)
    home = client.post("/sign-in/code", data={"code": code}, follow_redirects=True)
    assert home.request.path == "/"
    assert _signed_in(client)
    assert "two_factor.code_accepted" in _actions(viewer)


def test_a_wrong_code_is_refused_with_a_message(client, viewer):
    factories.set_up_two_factor(viewer)
    _password_step(client, viewer)
    right = authenticator_code(viewer.email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    refused = client.post("/sign-in/code", data={"code": wrong})
    assert refused.status_code == 200
    message = "The code is not correct or has expired: enter the code your app shows now"
    assert _errors(refused) == [message]
    assert message in _inline_error(refused)
    assert page(refused).title.get_text().startswith("Error:")
    assert not _signed_in(client)
    assert "two_factor.code_refused" in _actions(viewer)

    empty = client.post("/sign-in/code", data={"code": ""})
    assert _errors(empty) == ["Enter the 6-digit code from your authenticator app"]
    letters = client.post("/sign-in/code", data={"code": "abcdef"})
    assert _errors(letters) == [message]


def test_a_code_works_only_once(client, viewer):
    factories.set_up_two_factor(viewer)
    _password_step(client, viewer)
    code = authenticator_code(viewer.email)
    client.post("/sign-in/code", data={"code": code})
    assert _signed_in(client)
    client.post("/sign-out")

    _password_step(client, viewer)
    again = client.post("/sign-in/code", data={"code": code})
    assert _errors(again)
    assert not _signed_in(client)


def test_a_wrong_code_while_setting_up_shows_the_qr_code_again(client, viewer):
    sign_in(client, viewer.email)
    client.post("/account/two-factor", data={"setup": "authenticator"})
    refused = client.post("/sign-in/code", data={"code": "12"})
    html = page(refused)
    assert html.h1.get_text(strip=True) == "Set up your authenticator app"
    assert html.find("img", id="qrcode")
    assert _errors(refused)
    assert _fresh(viewer).tf_primary_method is None


def test_a_recovery_code_signs_in_once(client, viewer):
    factories.set_up_two_factor(viewer)
    sign_in(client, viewer.email)
    made = client.post("/account/recovery-codes", data={"generate_new_codes": "1"})
    codes = [item.get_text(strip=True) for item in page(made).select("#recovery-codes li")]
    assert len(codes) == 5
    stored = _fresh(viewer).mf_recovery_codes or []
    assert len(stored) == 5 and not set(codes) & set(stored)  # hashed at rest
    client.post("/sign-out")

    asked = _password_step(client, viewer)
    assert page(asked).find("a", string="Sign in with a recovery code")
    # As a person might type it from a printout.
    typed = codes[0].replace("-", " ").upper()
    signed_in = client.post("/sign-in/recovery-code", data={"code": typed}, follow_redirects=True)
    assert signed_in.request.path == "/"
    assert "You have 4 left" in page(signed_in).get_text()
    client.post("/sign-out")

    _password_step(client, viewer)
    again = client.post("/sign-in/recovery-code", data={"code": codes[0]})
    assert _errors(again) == ["The recovery code is not correct or has already been used"]
    assert not _signed_in(client)
    assert _errors(client.post("/sign-in/recovery-code", data={"code": ""})) == [
        "Enter a recovery code"
    ]
    actions = _actions(viewer)
    for action in (
        "two_factor.recovery_codes_generated",
        "two_factor.recovery_code_used",
        "two_factor.recovery_code_refused",
    ):
        assert action in actions


def test_the_rescue_page_sends_people_to_recovery_codes(client, viewer):
    factories.set_up_two_factor(viewer)
    _password_step(client, viewer)
    response = client.post("/sign-in/problem-with-code", data={"help_setup": "help"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/recovery-code")


@pytest.mark.parametrize("who", ["approver", "administrator"])
def test_approvers_and_administrators_must_set_it_up_before_anything_else(client, who):
    body = factories.organisation(name="Home Office")
    if who == "approver":
        person = factories.member(of=body, role=MembershipRole.APPROVER, two_factor=False)
    else:
        person = factories.user(admin=True, two_factor=False)

    landed = sign_in(client, person.email)
    assert landed.request.path == "/account/two-factor"
    assert "must set up two-factor authentication" in page(landed).get_text()
    assert not page(landed).select(".govuk-back-link")
    for path in ["/", "/organisations/home-office", "/account", "/account/recovery-codes"]:
        refused = client.get(path)
        assert refused.status_code == 302, path
        assert refused.headers["Location"].endswith("/account/two-factor")
    posted = client.post("/account/recovery-codes")
    assert posted.headers["Location"].endswith("/account/two-factor")
    assert client.get("/healthz").status_code == 200

    client.post("/account/two-factor", data={"setup": "authenticator"})
    done = client.post(
        "/sign-in/code", data={"code": _setup_code(client, person)}, follow_redirects=True
    )
    assert done.request.path == "/account"
    assert client.get("/").status_code == 200

    client.post("/sign-out")
    assert client.get("/account/two-factor").status_code == 302  # signed out


def _setup_code(client, person: User) -> str:  # type: ignore[no-untyped-def]
    """The first code of an app being set up: its secret is in the session until confirmed."""
    from maturity.extensions import security

    with client.session_transaction() as session:
        secret = session["tf_totp_secret"]
    return pyotp.TOTP(security.totp_factory.get_totp_b32_key(secret)).now()


def test_a_viewer_is_offered_it_but_not_made_to(client, viewer):
    landed = sign_in(client, viewer.email)
    assert landed.request.path == "/"
    assert client.get("/account").status_code == 200
    assert client.get("/organisations/home-office").status_code == 200


def test_an_approver_cannot_turn_it_off_but_a_viewer_can(client, viewer):
    body = factories.organisation(name="Cabinet Office")
    approver = factories.member(of=body, role=MembershipRole.APPROVER)
    sign_in(client, approver.email)
    settings = page(client.get("/account/two-factor"))
    assert not settings.find("input", attrs={"value": "disable"})
    client.post("/account/two-factor", data={"setup": "disable"})
    assert _fresh(approver).tf_primary_method == "authenticator"
    client.post("/sign-out")

    factories.set_up_two_factor(viewer)
    sign_in(client, viewer.email)
    client.post("/account/recovery-codes", data={"generate_new_codes": "1"})
    assert page(client.get("/account/two-factor")).find("input", attrs={"value": "disable"})
    off = client.post("/account/two-factor", data={"setup": "disable"}, follow_redirects=True)
    assert "Two-factor authentication is off" in page(off).get_text()
    person = _fresh(viewer)
    assert person.tf_primary_method is None and not person.mf_recovery_codes
    assert "two_factor.removed" in _actions(viewer)


def test_every_page_flask_security_can_show_is_one_of_ours(app):
    names = [
        value
        for key, value in app.config.items()
        if key.startswith("SECURITY_") and key.endswith("_TEMPLATE") and "EMAIL" not in key
    ]
    reachable = {
        "SECURITY_LOGIN_USER_TEMPLATE",
        "SECURITY_TWO_FACTOR_SETUP_TEMPLATE",
        "SECURITY_TWO_FACTOR_VERIFY_CODE_TEMPLATE",
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES_TEMPLATE",
        "SECURITY_MULTI_FACTOR_RECOVERY_TEMPLATE",
        "SECURITY_VERIFY_TEMPLATE",
        "SECURITY_CHANGE_PASSWORD_TEMPLATE",
        "SECURITY_RESET_PASSWORD_TEMPLATE",
    }
    assert names
    for key in reachable:
        template = app.jinja_env.get_template(app.config[key])
        assert Path(template.filename).is_relative_to(TEMPLATES), key


def test_changing_it_a_while_after_signing_in_asks_for_the_password_again(client, viewer):
    sign_in(client, viewer.email)
    with client.session_transaction() as session:
        session["fs_paa"] -= 3600
        session.pop("fs_gexp", None)
    asked = client.get("/account/two-factor")
    assert asked.status_code == 302
    assert "/account/confirm-password" in asked.headers["Location"]

    confirm = client.get(asked.headers["Location"])
    assert page(confirm).h1.get_text(strip=True) == "Confirm it is you"
    form = page(confirm).find("form", action=re.compile("confirm-password"))
    back = client.post(form["action"], data={"password": PASSWORD})
    assert back.headers["Location"].endswith("/account/two-factor")
    assert client.get("/account/two-factor").status_code == 200


def test_an_administrator_can_turn_it_off_for_someone_who_lost_their_phone(client, viewer):
    from maturity.security import two_factor

    factories.set_up_two_factor(viewer)
    admin = factories.user(admin=True)
    two_factor.turn_off(
        user=viewer,
        actor=admin,
        identity_check="video",
        details="Video call, staff pass checked",
        remote_address="192.0.2.1",
    )
    assert sign_in(client, viewer.email).request.path == "/"
    assert "two_factor.turned_off_by_administrator" in _actions(admin)


def test_confirming_it_is_you_needs_a_code_as_well_as_the_password(client, viewer):
    """Full re-authentication before a change to how someone signs in (ASVS 7.5.1)."""
    factories.set_up_two_factor(viewer)
    sign_in(client, viewer.email)
    with client.session_transaction() as session:
        session["fs_paa"] -= 3600
        session.pop("fs_gexp", None)
    asked = client.get("/account/recovery-codes")
    assert "/account/confirm-password" in asked.headers["Location"]
    html = page(client.get(asked.headers["Location"]))
    assert html.find("input", id="code")["autocomplete"] == "one-time-code"
    form = html.find("form", action=re.compile("confirm-password"))

    without = client.post(form["action"], data={"password": PASSWORD})
    assert without.status_code == 200
    assert _inline_error(without) == "Error: Enter the 6-digit code from your authenticator app"
    wrong = client.post(form["action"], data={"password": PASSWORD, "code": "000000"})
    assert wrong.status_code == 200 and _errors(wrong)
    wrong_password = client.post(
        form["action"],
        data={"password": "not my password", "code": authenticator_code(viewer.email)},
    )
    assert wrong_password.status_code == 200
    assert client.get("/account/recovery-codes").status_code == 302

    right = client.post(
        form["action"], data={"password": PASSWORD, "code": authenticator_code(viewer.email)}
    )
    assert right.headers["Location"].endswith("/account/recovery-codes")
    assert client.get("/account/recovery-codes").status_code == 200
    assert "two_factor.code_refused" in _actions(viewer)
