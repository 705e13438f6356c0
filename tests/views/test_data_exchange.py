"""Ratings in and out through the web: CSV and Excel downloads, CSV import with preview."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from maturity.domain.csv_format import HEADER
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, Rating
from tests import factories
from tests.conftest import link, page, sign_in

ROWS = [
    "Home Office,2014,developing-a-framework,1,,",
    "Home Office,2014,reporting-performance-information,2,4,Reports are produced",
    'home-office,2014,using-the-framework,Functioning,,"Said ""monitored""\nacross lines"',
]


def csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


@pytest.fixture
def home_office():
    return factories.organisation(name="Home Office")


@pytest.fixture
def assessor(client, home_office):
    person = factories.member(of=home_office, role=MembershipRole.ASSESSOR)
    sign_in(client, person.email)
    return person


def upload(client, data: bytes, slug: str = "home-office"):
    return client.post(
        f"/organisations/{slug}/import",
        data={"file": (io.BytesIO(data), "ratings.csv")},
        content_type="multipart/form-data",
    )


def confirm(client, preview_response, slug: str = "home-office", **changes: str):
    html = page(preview_response)
    form = {
        name: html.find("input", attrs={"name": name})["value"]
        for name in ("upload", "fingerprint")
    }
    form.update(changes)
    return client.post(f"/organisations/{slug}/import/confirm", data=form)


def answered() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Rating.id)).where(Rating.level.is_not(None)))


def test_the_organisation_page_links_to_import_and_downloads(client, home_office, assessor):
    html = page(client.get("/organisations/home-office"))
    assert link(html, "Import ratings from CSV")["href"] == "/organisations/home-office/import"
    assert link(html, "Download ratings as CSV")["href"] == "/organisations/home-office/ratings.csv"
    assert link(html, "Download ratings as Excel")["href"].endswith("/ratings.xlsx")


def test_a_viewer_sees_downloads_but_no_import(client, home_office):
    viewer = factories.member(of=home_office, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    html = page(client.get("/organisations/home-office"))
    assert link(html, "Import ratings from CSV") is None
    assert link(html, "Download ratings as CSV") is not None
    assert client.get("/organisations/home-office/import").status_code == 403


def test_upload_previews_then_confirm_imports(client, home_office, assessor):
    factories.assessment(
        of=home_office,
        period="2014",
        status=AssessmentStatus.DRAFT,
        levels={"developing-a-framework": 1, "reporting-performance-information": 1},
    )
    # The file agrees with the draft on one row and differs on two.
    before = answered()
    response = upload(client, csv(*ROWS))
    assert response.status_code == 200
    html = page(response)
    assert html.find("h1").get_text(strip=True) == "Check what the import will change"
    counts = html.find(id="counts").get_text(" ", strip=True)
    assert "1 unchanged" in counts and "2 changed" in counts and "0 new" in counts
    cells = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in html.find(id="preview").find("tbody").find_all("tr")
    ]
    assert cells[1][3].startswith("Changed")
    assert cells[1][4] == "1 Existing"
    assert cells[1][5] == "2 Functioning, ambition 4 Challenging"
    # Nothing is written by the preview.
    assert answered() == before
    draft = db.session.scalars(select(Assessment)).one()
    assert {r.domain.key: r.level for r in draft.ratings}["reporting-performance-information"] == 1

    response = confirm(client, response)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/home-office")
    db.session.expire_all()
    levels = {r.domain.key: r.level for r in db.session.scalars(select(Assessment)).one().ratings}
    assert levels == {
        "developing-a-framework": 1,
        "reporting-performance-information": 2,
        "using-the-framework": 2,
    }
    assert "Imported 3 ratings" in page(client.get("/organisations/home-office")).get_text()


def test_new_rows_are_marked_new(client, home_office, assessor):
    html = page(upload(client, csv(*ROWS)))
    assert "3 new" in html.find(id="counts").get_text(" ", strip=True)
    assert answered() == 0


def test_errors_are_listed_by_line_and_nothing_is_written(client, home_office, assessor):
    response = upload(
        client,
        csv(
            ROWS[0],
            "Home Office,2014,reporting-performance-information,9,,",
            "Other Body,2014,using-the-framework,1,,",
        ),
    )
    assert response.status_code == 200
    summary = page(response).find(class_="govuk-error-summary")
    items = [li.get_text(" ", strip=True) for li in summary.find_all("li")]
    assert items[0].startswith("line 3: level 9 is out of range")
    assert items[1].startswith("line 4: the organisation 'Other Body' is not Home Office")
    assert len(items) == 2
    assert answered() == 0


def test_rows_for_another_existing_organisation_are_refused(client, home_office, assessor):
    factories.organisation(name="Other Body")
    response = upload(client, csv(ROWS[0], "Other Body,2014,using-the-framework,1,,"))
    items = page(response).find(class_="govuk-error-summary").find_all("li")
    # Said the same way whether or not the other body exists: nothing leaks.
    assert [li.get_text(" ", strip=True) for li in items] == [
        "line 3: the organisation 'Other Body' is not Home Office: "
        "this page imports ratings for Home Office only"
    ]
    assert answered() == 0


def test_no_file_or_a_file_too_big_is_an_error(client, home_office, assessor):
    response = client.post("/organisations/home-office/import", data={})
    assert "Select a CSV file" in page(response).find(class_="govuk-error-summary").get_text()
    big = csv(*ROWS) + b"#" * (5 * 1024 * 1024)
    response = upload(client, big)
    assert "smaller than 5 MB" in page(response).find(class_="govuk-error-summary").get_text()


def test_a_file_that_is_not_utf8_is_an_error(client, home_office, assessor):
    response = upload(client, csv(ROWS[0]).replace(b"Home", b"H\xe9me"))
    assert "line 2: the file is not UTF-8" in page(response).get_text()


def test_a_tampered_upload_is_refused(client, home_office, assessor):
    preview = upload(client, csv(*ROWS))
    token = page(preview).find("input", attrs={"name": "upload"})["value"]
    response = confirm(client, preview, upload=token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/home-office/import")
    assert answered() == 0


def test_a_signed_upload_for_another_organisation_is_refused(client, home_office, assessor):
    other = factories.organisation(name="Other Body")
    factories.member(of=other, role=MembershipRole.ASSESSOR, email=None)
    from maturity.data import organisations

    organisations.grant(user=assessor, organisation=other, role=MembershipRole.ASSESSOR)
    preview = upload(client, csv(*ROWS))
    response = confirm(client, preview, slug="other-body")
    assert response.headers["Location"].endswith("/organisations/other-body/import")
    assert answered() == 0


def test_confirm_shows_a_fresh_preview_when_the_ratings_changed(client, home_office, assessor):
    preview = upload(client, csv(*ROWS))
    factories.assessment(of=home_office, period="2014", status=AssessmentStatus.DRAFT)
    response = confirm(client, preview)
    assert response.status_code == 200
    html = page(response)
    assert "changed after you previewed" in html.get_text()
    assert "2 changed" in html.find(id="counts").get_text(" ", strip=True)
    assert answered() == 3  # the factory's ratings, not the file's
    response = confirm(client, response)
    assert response.status_code == 302


def test_confirm_refuses_locked_assessments_all_or_nothing(client, home_office, assessor):
    preview = upload(client, csv(*ROWS, "Home Office,2015,using-the-framework,1,,"))
    factories.assessment(
        of=home_office,
        period="2015",
        status=AssessmentStatus.APPROVED,
        levels={"using-the-framework": 3},
    )
    response = confirm(client, preview)
    assert response.status_code == 200
    text = page(response).find(class_="govuk-error-summary").get_text(" ", strip=True)
    assert re.search(r"line 6: the 2015 assessment of Home Office has been approved", text)
    assert answered() == 3  # only the approved assessment's


def test_csv_download_is_the_export_csv_bytes(app, client, home_office, assessor):
    upload_response = upload(client, csv(*ROWS))
    confirm(client, upload_response)
    response = client.get("/organisations/home-office/ratings.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    result = app.test_cli_runner().invoke(args=["export-csv", "home-office"])
    assert response.get_data() == result.output.encode()
    assert response.get_data().decode().splitlines()[0] == HEADER


def test_xlsx_download_has_ratings_and_definitions(client, home_office, assessor):
    confirm(client, upload(client, csv(*ROWS, "Home Office,2015,using-the-framework,1,,=SUM(A1)")))
    response = client.get("/organisations/home-office/ratings.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Ratings", "Definitions"]
    rows = list(book["Ratings"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.split(","))
    assert rows[1] == ("Home Office", "2014", "developing-a-framework", 1, None, None)
    assert rows[3][5] == 'Said "monitored"\nacross lines'
    assert rows[4][5] == "'=SUM(A1)"  # text with the apostrophe, as in the CSV; never a formula
    assert book["Ratings"].cell(row=5, column=6).data_type == "s"
    definitions = list(book["Definitions"].iter_rows(values_only=True))
    assert definitions[0][:3] == ("Level", "Level name", "Developing a framework")
    assert [row[0] for row in definitions[1:]] == [1, 2, 3, 4, 5]
    assert definitions[1][1] == "Existing"
    assert all(cell for row in definitions[1:] for cell in row)


def test_downloads_need_a_role(client, home_office):
    outsider = factories.member(of=factories.organisation(name="Elsewhere"))
    sign_in(client, outsider.email)
    assert client.get("/organisations/home-office/ratings.csv").status_code == 404
    assert client.get("/organisations/home-office/ratings.xlsx").status_code == 404


def test_a_large_file_goes_through_preview_and_confirm_with_csrf_on(app, client, home_office):
    import random

    person = factories.member(of=home_office, role=MembershipRole.ASSESSOR)
    sign_in(client, person.email)
    rng = random.Random(5)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8)) for _ in range(4000)]
    # Each evidence just under the 10,000 characters a rating keeps (1,100 words of 8 letters).
    rows = [
        f"Home Office,{year},{domain},{year % 6},,{' '.join(rng.choices(words, k=1100))}"
        for year in range(1990, 2060)
        for domain in ("developing-a-framework", "using-the-framework")
    ]
    data = csv(*rows)
    assert 1_000_000 < len(data) < 5 * 1024 * 1024
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = page(client.get("/organisations/home-office/import")).find(
            "input", attrs={"name": "csrf_token"}
        )["value"]
        preview = client.post(
            "/organisations/home-office/import",
            data={"csrf_token": token, "file": (io.BytesIO(data), "ratings.csv")},
            content_type="multipart/form-data",
        )
        assert "140 new" in page(preview).find(id="counts").get_text(" ", strip=True)
        html = page(preview)
        response = confirm(
            client, preview, csrf_token=html.find("input", attrs={"name": "csrf_token"})["value"]
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302, response.status_code
    assert answered() == 140


def test_confirm_without_the_csrf_token_is_refused(app, client, home_office, assessor):
    preview = upload(client, csv(*ROWS))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = confirm(client, preview)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (302, 400)
    assert answered() == 0
