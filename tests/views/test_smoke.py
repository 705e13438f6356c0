from tests import factories
from tests.conftest import PASSWORD, page, sign_in


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


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from maturity.extensions import db

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_a_form_without_its_csrf_token_is_refused_with_a_message(app):
    body = factories.organisation(name="Home Office")
    person = factories.member(of=body)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        sign_in_page = page(client.get("/sign-in"))
        token = sign_in_page.select_one("input[name=csrf_token]")["value"]
        response = client.post(
            "/sign-in",
            data={"email": person.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        response = client.post(
            "/organisations/home-office/assessments/new", data={"period": "2019"}
        )
        assert response.status_code == 400
        assert "Your form could not be sent" in page(response).h1.get_text()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
