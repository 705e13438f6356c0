"""Every route by every kind of person, with the outcome each must get.

The routes come from the app's URL map: a new route without an entry here fails the test,
so nobody adds a page without saying who may open it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import sign_in

PERSONAS = ("anonymous", "viewer", "assessor", "approver", "admin", "outsider", "overseer")

# Outcomes: "ok" (2xx, or a redirect that is not to sign in), "sign-in" (sent to sign in),
# or a status code the person must get instead.
OK, SIGN_IN = "ok", "sign-in"


def _row(anonymous, viewer, assessor, approver, admin, outsider, overseer):  # type: ignore[no-untyped-def]
    return dict(
        zip(
            PERSONAS,
            (anonymous, viewer, assessor, approver, admin, outsider, overseer),
            strict=True,
        )
    )


PUBLIC = _row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = _row(SIGN_IN, OK, OK, OK, OK, OK, OK)
ORGANISATION_READ = _row(SIGN_IN, OK, OK, OK, OK, 404, OK)
ORGANISATION_WRITE = _row(SIGN_IN, 403, OK, OK, OK, 404, 403)
ORGANISATION_APPROVE = _row(SIGN_IN, 403, 403, OK, OK, 404, 403)
ADMIN = _row(404, 404, 404, 404, OK, 404, 404)
LINK = _row(410, 410, 410, 410, 410, 410, 410)  # a tampered invitation or reset link
# Flask-Security's two-factor steps belong to a sign-in in progress: outside one, a person
# is sent back to sign in (anonymous) or on to their home page (signed in).
SIGN_IN_STEP = _row(SIGN_IN, OK, OK, OK, OK, OK, OK)
# Shown once, straight after a password is set from a link; otherwise it sends to sign in.
PASSWORD_SET = _row(SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN)
SIGN_OUT = PASSWORD_SET
# The full portfolio of every organisation: administrators only; anyone else signed in is
# told it does not exist, like an organisation they hold no role in.
PORTFOLIO = _row(SIGN_IN, 404, 404, 404, OK, 404, 404)

EXPECTED: dict[str, dict[str, object]] = {
    "static": PUBLIC,
    "security.static": PUBLIC,
    "health.healthz": PUBLIC,
    "accessibility.statement": PUBLIC,
    "security.login": PUBLIC,
    "security.logout": SIGN_OUT,
    "security.verify": SIGNED_IN,
    "security.change_password": SIGNED_IN,
    "security.two_factor_setup": SIGNED_IN,
    "security.two_factor_setup_validate": SIGNED_IN,
    "security.mf_recovery_codes": SIGNED_IN,
    "security.two_factor_token_validation": SIGN_IN_STEP,
    "security.two_factor_rescue": PUBLIC,  # only ever redirects to the recovery-code step
    "security.mf_recovery": SIGN_IN_STEP,
    "security.tf_select": SIGN_IN_STEP,
    "home.index": SIGNED_IN,
    "account.account": SIGNED_IN,
    # A person's own sessions: ending all the others is theirs to do; a session that is not
    # one of theirs (or is this one) is not found.
    "account.end_other_sessions": SIGNED_IN,
    "account.end_session": _row(SIGN_IN, 404, 404, 404, 404, 404, 404),
    "organisations.show": ORGANISATION_READ,
    "reports.organisation_pdf": ORGANISATION_READ,
    # Figure 8 on its own, as the report: SVG and PNG drawn in the request (never by
    # WeasyPrint), the one-page PDF by the report workers.
    "figures.svg": ORGANISATION_READ,
    "figures.png": ORGANISATION_READ,
    "figures.one_page_pdf": ORGANISATION_READ,
    "progress.show": ORGANISATION_READ,
    "progress.compare": ORGANISATION_READ,
    "data_exchange.ratings_csv": ORGANISATION_READ,
    "data_exchange.ratings_xlsx": ORGANISATION_READ,
    "data_exchange.import_ratings": ORGANISATION_WRITE,
    "data_exchange.confirm_import": ORGANISATION_WRITE,
    "assessments.overview": ORGANISATION_READ,
    "assessments.submitted": ORGANISATION_READ,
    "assessments.new": ORGANISATION_WRITE,
    "assessments.domain": ORGANISATION_WRITE,
    "assessments.check": ORGANISATION_WRITE,
    "assessments.history": ORGANISATION_READ,
    "actions.new": ORGANISATION_WRITE,
    "actions.edit": ORGANISATION_WRITE,
    "review.show": ORGANISATION_APPROVE,
    "review.moderate": ORGANISATION_APPROVE,
    "review.approve": ORGANISATION_APPROVE,
    "review.approved": ORGANISATION_APPROVE,
    "review.send_back": ORGANISATION_APPROVE,
    "review.sent_back": ORGANISATION_APPROVE,
    "review.reopen": ORGANISATION_APPROVE,
    "invitations.invitation": LINK,
    "invitations.reset": LINK,
    "invitations.done": PASSWORD_SET,
    # A role in an organisation lets a person read every body below it (oversight).
    "oversight.show": ORGANISATION_READ,
    "oversight.show_csv": ORGANISATION_READ,
    "oversight.show_xlsx": ORGANISATION_READ,
    "oversight.show_pdf": ORGANISATION_READ,
    "oversight.portfolio": PORTFOLIO,
    # Reports built in the background: asked for and seen by whoever reads the oversight;
    # a job is named by a random token, so a made-up one is not found by anyone.
    "jobs.prepare_pdf": ORGANISATION_READ,
    "jobs.prepare_zip": ORGANISATION_READ,
    "jobs.index": ORGANISATION_READ,
    # The time-out warning's requests (assets/js/timeout.js): answers for a script, so
    # nobody signed in gets 401 rather than the sign-in page; "You have been signed out" is
    # for anyone (someone still signed in is sent home).
    "timeout.keep_alive": _row(401, OK, OK, OK, OK, OK, OK),
    "timeout.status": _row(401, OK, OK, OK, OK, OK, OK),
    "timeout.signed_out": PUBLIC,
    # Drafts of a domain's answers: kept by the page's script for whoever may edit them.
    # By then "assessments.check" has submitted the draft, so a draft of it is refused (409)
    # even for those allowed (tests/views/test_drafts.py keeps one of a draft).
    "drafts.keep": _row(401, 403, 409, 409, 409, 404, 403),
    "drafts.discard": ORGANISATION_WRITE,
    "jobs.show": _row(SIGN_IN, 404, 404, 404, 404, 404, 404),
    "jobs.status": _row(SIGN_IN, 404, 404, 404, 404, 404, 404),
    "jobs.download": _row(SIGN_IN, 404, 404, 404, 404, 404, 404),
}
ADMIN_PREFIX = "admin."
OVERRIDES = {"security.static": {"filename": "js/base64.js"}}


@dataclass
class World:
    people: dict[str, str]  # persona -> email
    values: dict[str, object]  # URL arguments


@pytest.fixture
def world() -> World:
    department = factories.organisation(name="Department")
    home_office = factories.organisation(name="Home Office", parent=department)
    other = factories.organisation(name="Other Body")
    draft = factories.assessment(of=home_office, period="2019", status=AssessmentStatus.DRAFT)
    action = factories.improvement_action(
        assessment=draft, domain_key=draft.ordered_ratings[0].domain.key
    )
    factories.assessment(of=home_office, period="2018", status=AssessmentStatus.SUBMITTED)
    people = {
        "viewer": factories.member(of=home_office, role=MembershipRole.VIEWER),
        "assessor": factories.member(of=home_office, role=MembershipRole.ASSESSOR),
        "approver": factories.member(of=home_office, role=MembershipRole.APPROVER),
        "admin": factories.user(admin=True),
        "outsider": factories.member(of=other, role=MembershipRole.APPROVER),
        "overseer": factories.member(of=department, role=MembershipRole.VIEWER),
    }
    values = {
        "slug": home_office.slug,
        "assessment_id": draft.id,
        "domain_key": draft.ordered_ratings[0].domain.key,
        "action_id": action.id,
        "user_id": people["viewer"].id,
        "organisation_id": home_office.id,
        "framework_id": draft.framework_id,
        "token": "not-a-real-token",
        "session_id": 999_999,
        "filename": "css/application.css",
    }
    return World({name: person.email for name, person in people.items()}, values)


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)


def _expected(endpoint: str) -> dict[str, object]:
    if endpoint.startswith(ADMIN_PREFIX):
        return ADMIN
    return EXPECTED[endpoint]


def test_every_route_has_an_entry(app):
    missing = [
        rule.endpoint
        for rule in _rules(app)
        if rule.endpoint not in EXPECTED and not rule.endpoint.startswith(ADMIN_PREFIX)
    ]
    assert missing == [], f"say who may open these routes in EXPECTED: {missing}"


def _outcome(response) -> object:  # type: ignore[no-untyped-def]
    if response.status_code in (301, 302, 303):
        path = response.headers["Location"].split("?")[0]
        return SIGN_IN if path.rstrip("/").endswith("/sign-in") else OK
    if 200 <= response.status_code < 300:
        return OK
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_gets_exactly_what_their_role_allows(
    app, world, persona, no_rendering_in_requests
):
    # With the renderer refused to web requests: a page or download that rendered a PDF
    # (or loaded WeasyPrint at all) would answer 500 here instead of its outcome.
    client = app.test_client()
    if persona != "anonymous":
        sign_in(client, world.people[persona])
    wrong: list[str] = []
    for rule in _rules(app):
        if rule.endpoint == "security.logout":
            continue  # checked last: it ends the session the other requests use
        with app.test_request_context():
            values = {**world.values, **OVERRIDES.get(rule.endpoint, {})}
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            got, want = _outcome(response), _expected(rule.endpoint)[persona]
            if got != want:
                wrong.append(f"{method} {url}: got {got}, want {want}")
    response = client.post("/sign-out")
    if _outcome(response) != _expected("security.logout")[persona]:
        wrong.append(f"POST /sign-out: got {_outcome(response)}")
    assert wrong == [], "\n".join(wrong)


def _rows() -> dict[str, int]:
    from sqlalchemy import func, select

    from maturity.extensions import db

    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


# A download whose file is not built yet queues its job (maturity/views/downloads.py):
# the workers' to-do list, not data; only these addresses may add to it.
QUEUES_A_RENDER = {"reports.organisation_pdf", "figures.one_page_pdf", "oversight.show_pdf"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_request_writes_anything(app, world, persona):
    client = app.test_client()
    if persona != "anonymous":
        sign_in(client, world.people[persona])
    before = _rows()
    for rule in _rules(app):
        if "GET" not in rule.methods:
            continue
        with app.test_request_context():
            values = {**world.values, **OVERRIDES.get(rule.endpoint, {})}
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
        jobs = _rows()["report_job"]
        client.get(url)
        if rule.endpoint not in QUEUES_A_RENDER:
            assert _rows()["report_job"] == jobs, f"GET {url} queued a report"
    after = _rows()
    after.pop("report_job")
    before.pop("report_job")
    assert after == before
