"""Arbitrary input to every form: never a 500, and a refused form writes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import page, sign_in

VALUES = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["", " ", "0", "-1", "6", "99999999999999999999", "2018-19", "\x00", "é" * 5000]
    ),
    st.just("x" * 100_001),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
)
FORMS = [
    "/admin/organisations/new",
    "/admin/organisations/{home_office}/parent",
    "/admin/people/invite",
    "/organisations/home-office/assessments/new",
    "/organisations/home-office/assessments/{draft}/domains/developing-a-framework",
    "/account/password",
]


def _rows() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "audit_event"  # refusals may be audited
    }


def _fields(html) -> list[str]:  # type: ignore[no-untyped-def]
    form = html.select_one("main form[method=post]")
    names = {
        element["name"]
        for element in form.select("input[name], textarea[name], select[name]")
        if element["name"] != "csrf_token"
    }
    return sorted(names)


@pytest.fixture
def setting(app, client):  # type: ignore[no-untyped-def]
    body = factories.organisation(name="Home Office")
    draft = factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    admin = factories.user(admin=True)
    sign_in(client, admin.email)
    return {"draft": draft.id, "home_office": body.id}


@pytest.mark.parametrize("path", [*FORMS, "/sign-in"])
def test_any_input_to_any_form_is_answered_without_a_crash(app, client, setting, path):
    url = path.format(**setting)
    if path == "/sign-in":
        client = app.test_client()
    fields = _fields(page(client.get(url)))
    assert fields, f"no form fields found at {url}"

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: VALUES for name in fields}))
    def post(data: dict[str, str]) -> None:
        before = _rows()
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        refused = response.status_code >= 400 or (
            response.status_code == 200 and page(response).select_one(".govuk-error-summary")
        )
        if refused:
            assert _rows() == before, (url, data)

    post()
