"""demo: illustrative Figure 8-shaped data and people to sign in as."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from maturity.cli.demo import DEMO_PASSWORD, ILLUSTRATIVE
from maturity.data import assessments, frameworks, organisations
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Organisation, Rating, User
from tests import factories
from tests.conftest import sign_in

EMAILS = ("admin@example.org", "assessor@example.org", "approver@example.org", "viewer@example.org")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def counts() -> tuple[int, int, int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Organisation.id))),
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Assessment.id))),
        db.session.scalar(select(func.count(Rating.id))),
    )


def test_demo_prints_the_sign_in_details(runner):
    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/sign-in" in result.stdout
    assert DEMO_PASSWORD in result.stdout
    assert len(DEMO_PASSWORD) >= 12
    for email in EMAILS:
        assert email in result.stdout
    assert "illustrative" in result.stdout.lower()


def test_demo_loads_the_organisations_and_people_in_their_roles(runner):
    runner.invoke(args=["demo"])

    home_office = organisations.find(reference="Home Office")
    nca = organisations.find(reference="national-crime-agency")
    assert nca.parent_id == home_office.id
    roles = {
        email: organisations.role_of(
            user=db.session.scalar(select(User).where(User.email == email)),
            organisation=home_office,
        )
        for email in EMAILS[1:]
    }
    assert roles == {
        "assessor@example.org": MembershipRole.ASSESSOR,
        "approver@example.org": MembershipRole.APPROVER,
        "viewer@example.org": MembershipRole.VIEWER,
    }
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin.is_admin


def test_the_history_is_approved_2014_to_2018_and_leaves_2019_to_do(runner):
    runner.invoke(args=["demo"])

    for name in ("Home Office", "National Crime Agency"):
        made = assessments.for_organisation(organisation=organisations.find(reference=name))
        assert [a.period for a in made] == ["2014", "2015", "2016", "2017", "2018"]
        assert {a.status for a in made} == {AssessmentStatus.APPROVED}


def test_the_history_is_slow_progress_short_of_integration_with_a_modest_ambition(runner):
    runner.invoke(args=["demo"])
    framework = frameworks.current()
    progress = assessments.progress(
        organisation=organisations.find(reference="home-office"), framework=framework
    )

    for domain in progress.domains:
        levels = [progress.level(period, domain.key) for period in progress.periods]
        assert levels == sorted(levels), "progress never goes backwards in the demo"
        assert levels[-1] - levels[0] <= 2, "progress has been slow"
        assert progress.ambition[domain.key] > levels[-1]
    challenging = [level.number for level in framework.levels if level.name == "Challenging"]
    assert max(progress.values.values()) < challenging[0], "not yet integrated"
    assert max(progress.ambition.values()) < framework.top_level, "note 2: not optimising"


def test_every_rating_says_it_is_illustrative(runner):
    runner.invoke(args=["demo"])

    ratings = db.session.scalars(select(Rating)).all()
    assert ratings
    assert all(rating.evidence.startswith(ILLUSTRATIVE) for rating in ratings)
    assert "not published" in ILLUSTRATIVE
    assert all(
        rating.reason_for_change.startswith(ILLUSTRATIVE)
        for rating in ratings
        if rating.reason_for_change
    )


def test_demo_then_demo_if_empty_does_not_duplicate(runner):
    runner.invoke(args=["demo"])
    after_first = counts()

    again = runner.invoke(args=["demo", "--if-empty"])

    assert again.exit_code == 0, again.output
    assert counts() == after_first
    assert "already loaded" in again.stdout
    assert DEMO_PASSWORD in again.stdout
    assert "assessor@example.org" in again.stdout


def test_demo_twice_does_not_duplicate(runner):
    runner.invoke(args=["demo"])
    after_first = counts()

    again = runner.invoke(args=["demo"])

    assert again.exit_code == 0, again.output
    assert counts() == after_first


def test_if_empty_loads_into_an_empty_database(runner):
    result = runner.invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert counts()[2] == 10


def test_if_empty_leaves_a_database_with_real_people_alone(runner):
    factories.user(email="someone@example.gov.uk")
    before = counts()

    result = runner.invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0
    assert counts() == before
    assert DEMO_PASSWORD not in result.stdout
    assert "not loaded" in result.stdout


def test_a_demo_person_can_sign_in_with_the_printed_password(runner, client):
    runner.invoke(args=["demo"])

    response = sign_in(client, "assessor@example.org", DEMO_PASSWORD)

    assert response.status_code == 200
    assert "Home Office" in response.get_data(as_text=True)


def test_the_demo_organisations_page_and_report_say_the_data_is_illustrative(app, client):
    import io

    from pypdf import PdfReader

    from maturity.data import organisations
    from maturity.reports import pdf
    from tests.conftest import page, sign_in

    app.test_cli_runner().invoke(args=["demo"])
    home_office = organisations.find(reference="home-office")
    sign_in(client, "viewer@example.org", "demo-password-2018")
    warning = page(client.get("/organisations/home-office")).select_one(".app-illustrative")
    assert warning is not None and "Illustrative demo data" in warning.get_text()
    report = pdf.organisation_report(organisation=home_office, first=None, last=None)
    first_page = PdfReader(io.BytesIO(report.content)).pages[0].extract_text()
    assert "Illustrative demo data" in first_page


def test_demo_refuses_a_database_where_real_people_have_accounts(app):
    from maturity.data import users
    from tests import factories

    factories.user(email="real.person@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "accounts have a published password" in result.output
    assert users.emails() == ["real.person@example.org"]
    forced = runner.invoke(args=["demo", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "admin@example.org" in users.emails()


def test_the_assessor_answers_and_submits_and_the_approver_signs_off(runner):
    """Separation of duties holds in the demo's history: the approver edited nothing."""
    from maturity.data import decisions, duties

    runner.invoke(args=["demo"])
    assessor = db.session.scalar(select(User).where(User.email == "assessor@example.org"))
    approver = db.session.scalar(select(User).where(User.email == "approver@example.org"))
    for name in ("Home Office", "National Crime Agency"):
        for made in assessments.for_organisation(organisation=organisations.find(reference=name)):
            assert duties.editors(assessment=made) == {assessor.id}
            assert (made.submitted_by, made.approved_by) == (assessor, approver)
            trail = decisions.for_assessment(assessment=made)
            assert [(d.label, d.by) for d in trail] == [
                ("Submitted", "Demo Assessor"),
                ("Approved", "Demo Approver"),
            ]
            assert [d.at for d in trail] == [made.submitted_at, made.approved_at]


def test_the_latest_period_has_an_action_done_and_one_overdue(runner):
    from maturity.data import actions

    runner.invoke(args=["demo"])
    body = organisations.find(reference="home-office")
    found = actions.current(
        assessments=assessments.for_organisation(organisation=body),
        framework=frameworks.current(),
    )
    assert found.assessment.period == "2018"
    assert (found.done, len(found.open), found.overdue) == (1, 1, 1)
