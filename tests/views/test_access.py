"""Nobody sees or changes an organisation's data without a role there."""

import pytest

from maturity.data import assessments
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import download, link, page, sign_in


@pytest.fixture
def two_bodies(client):
    mine = factories.organisation(name="Home Office")
    theirs = factories.organisation(name="Secret Agency")
    made = factories.assessment(of=theirs, period="2018", status=AssessmentStatus.DRAFT)
    person = factories.member(of=mine, role=MembershipRole.APPROVER)
    sign_in(client, person.email)
    return mine, theirs, made


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/secret-agency",
        "/organisations/secret-agency/report.pdf",
        "/organisations/secret-agency/assessments/new",
        "/organisations/secret-agency/assessments/{id}",
        "/organisations/secret-agency/assessments/{id}/check",
        "/organisations/secret-agency/assessments/{id}/domains/developing-a-framework",
    ],
)
def test_another_organisations_pages_are_not_found(client, two_bodies, path):
    _, _, made = two_bodies
    response = client.get(path.format(id=made.id))
    assert response.status_code == 404
    assert "Secret Agency" not in response.get_data(as_text=True)


def test_another_organisations_assessment_id_under_my_slug_is_not_found(client, two_bodies):
    _, _, made = two_bodies
    assert client.get(f"/organisations/home-office/assessments/{made.id}").status_code == 404
    response = client.post(
        f"/organisations/home-office/assessments/{made.id}/domains/developing-a-framework",
        data={"level": "3", "save_and_continue": "y"},
    )
    assert response.status_code == 404


def test_posting_to_another_organisation_changes_nothing(client, two_bodies):
    _, _, made = two_bodies
    response = client.post("/organisations/secret-agency/assessments/new", data={"period": "2019"})
    assert response.status_code == 404
    response = client.post(f"/organisations/secret-agency/assessments/{made.id}/check")
    assert response.status_code == 404
    db.session.expire_all()
    assert made.status == AssessmentStatus.DRAFT
    assert [a.period for a in assessments.for_organisation(organisation=made.organisation)] == [
        "2018"
    ]


def test_a_viewer_may_look_but_not_start_or_edit(client):
    body = factories.organisation(name="Home Office")
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT)
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    html = page(client.get("/organisations/home-office"))
    assert html.h1.get_text(strip=True) == "Home Office"
    assert link(html, "Start a new assessment") is None
    assert client.get("/organisations/home-office/assessments/new").status_code == 403
    domain_url = f"/organisations/home-office/assessments/{made.id}/domains/developing-a-framework"
    assert client.post(domain_url, data={"level": "2", "save_draft": "y"}).status_code == 403
    assert client.post(f"/organisations/home-office/assessments/{made.id}/check").status_code == 403


def test_signed_out_people_are_sent_to_sign_in_from_every_page(client):
    factories.organisation(name="Home Office")
    for path in ("/", "/organisations/home-office", "/organisations/home-office/report.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def test_sign_out_ends_the_session(client):
    body = factories.organisation(name="Home Office")
    person = factories.member(of=body)
    sign_in(client, person.email)
    assert client.get("/").status_code == 200
    client.post("/sign-out")
    assert client.get("/").status_code == 302


def test_people_of_an_overseeing_body_may_read_the_bodies_it_oversees(client):
    parent = factories.organisation(name="Home Office")
    child = factories.organisation(name="National Crime Agency", parent=parent)
    grandchild = factories.organisation(name="Regional Unit", parent=child)
    factories.organisation(name="Unrelated Body")
    made = factories.assessment(of=child, period="2018", status=AssessmentStatus.DRAFT)
    approver = factories.member(of=parent, role=MembershipRole.APPROVER)
    sign_in(client, approver.email)

    names = [a.get_text(strip=True) for a in page(client.get("/")).select("main li a")]
    assert names == ["Home Office", "National Crime Agency", "Regional Unit"]
    html = page(client.get("/organisations/national-crime-agency"))
    assert html.h1.get_text(strip=True) == "National Crime Agency"
    assert link(html, "Start a new assessment") is None
    assert download(client, "/organisations/regional-unit/report.pdf").status_code == 200
    assert grandchild.parent_id == child.id

    # Read only: no starting, editing or submitting there.
    assert client.get("/organisations/national-crime-agency/assessments/new").status_code == 403
    domain_url = (
        f"/organisations/national-crime-agency/assessments/{made.id}/domains/developing-a-framework"
    )
    assert client.post(domain_url, data={"level": "2", "save_draft": "y"}).status_code == 403
    assert client.get("/organisations/unrelated-body").status_code == 404


def test_oversight_does_not_reach_upwards(client):
    parent = factories.organisation(name="Home Office")
    child = factories.organisation(name="National Crime Agency", parent=parent)
    sign_in(client, factories.member(of=child, role=MembershipRole.APPROVER).email)
    assert client.get("/organisations/home-office").status_code == 404


def test_fields_a_form_does_not_offer_cannot_be_posted_into_the_record(client):
    body = factories.organisation(name="Home Office")
    made = factories.assessment(of=body, period="2018", status=AssessmentStatus.DRAFT)
    assessor = factories.member(of=body, role=MembershipRole.ASSESSOR)
    sign_in(client, assessor.email)
    url = f"/organisations/home-office/assessments/{made.id}/domains/developing-a-framework"
    client.post(
        url,
        data={
            "level": "2",
            "save_draft": "y",
            "status": "approved",
            "moderated_level": "5",
            "moderated_note": "self-approved",
            "review_comment": "fine",
            "approved_by_id": str(assessor.id),
            "organisation_id": "999",
        },
    )
    db.session.expire_all()
    rating = made.ordered_ratings[0]
    assert rating.level == 2
    assert (rating.moderated_level, rating.moderated_note, rating.review_comment) == (None, "", "")
    assert made.status == AssessmentStatus.DRAFT
    assert made.approved_by_id is None
    assert made.organisation_id == body.id
