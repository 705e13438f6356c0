"""Report downloads answer from what the workers built, named by the organisation's change
counter: a change means the next download waits for a new file, never the stale one."""

from __future__ import annotations

import io

from pypdf import PdfReader

from maturity.domain.roles import MembershipRole
from tests import factories
from tests.conftest import run_jobs, sign_in


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_change_makes_the_next_download_wait_for_a_new_file(client):
    body = factories.organisation(name="Changing body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    url = f"/organisations/{body.slug}/report.pdf"
    assert client.get(url).status_code == 202
    run_jobs()
    first = client.get(url)
    assert first.mimetype == "application/pdf" and "2019" not in _text(first.data)

    factories.assessment(of=body, period="2019")
    assert client.get(url).status_code == 202  # not the file built before the change
    run_jobs()
    second = client.get(url)
    assert second.mimetype == "application/pdf"
    assert "2019" in _text(second.data)


def test_a_framework_the_organisation_has_no_use_of_is_not_found(client):
    body = factories.organisation(name="One framework body")
    factories.assessment(of=body, period="2018")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    for address in ("report.pdf", "figure.pdf"):
        response = client.get(f"/organisations/{body.slug}/{address}?framework=no-such-thing")
        assert response.status_code == 404, address
