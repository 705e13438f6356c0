from tests import factories
from tests.conftest import page, sign_in


def test_healthz_answers_with_the_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "reachable"}


def test_home_sends_anyone_not_signed_in_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_person_signs_in_and_sees_their_organisations(client):
    body = factories.organisation(name="Home Office")
    other = factories.organisation(name="Secret Body")
    person = factories.member(of=body)
    assert other.id
    response = sign_in(client, person.email)
    html = page(response)
    assert html.h1.get_text(strip=True) == "Your organisations"
    names = [a.get_text(strip=True) for a in html.select("main a.govuk-link")]
    assert names == ["Home Office"]


def test_a_wrong_password_is_refused_with_a_message_at_the_field(client):
    person = factories.user()
    response = sign_in(client, person.email, "not the password at all")
    html = page(response)
    assert html.select_one(".govuk-error-summary")
    assert (
        "Enter a correct email address and password"
        in html.select_one(".govuk-error-summary").get_text()
    )
