"""build-reports on the command line: progress on standard error, the file at --out."""

from __future__ import annotations

import zipfile

from maturity.extensions import db
from maturity.models import JobKind, JobStatus, ReportJob


def test_build_reports_writes_a_zip_and_prints_progress(app, tree, tmp_path):
    out = tmp_path / "reports.zip"
    result = app.test_cli_runner().invoke(
        args=["build-reports", "Department", "--zip", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-3:] == ["0 of 2 bodies", "1 of 2 bodies", "2 of 2 bodies"]
    assert "Wrote" in result.stdout
    assert len(zipfile.ZipFile(out).namelist()) == 2
    job = db.session.scalars(
        db.select(ReportJob).where(ReportJob.kind == JobKind.REPORTS_ZIP)
    ).one()
    assert job.status == JobStatus.DONE and job.requested_by_id is None


def test_build_reports_writes_the_oversight_pdf(app, tree, tmp_path):
    out = tmp_path / "oversight.pdf"
    result = app.test_cli_runner().invoke(
        args=["build-reports", tree.department.slug, "--period", "2017", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "2 of 2 bodies" in result.stderr


def test_build_reports_says_why_it_cannot(app, tree, tmp_path):
    out = tmp_path / "x.zip"
    result = app.test_cli_runner().invoke(
        args=["build-reports", tree.bodies[0].slug, "--zip", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "Agency 1 does not oversee any other body" in result.output
    assert not out.exists()
    unknown = app.test_cli_runner().invoke(args=["build-reports", "nobody", "--out", str(out)])
    assert unknown.exit_code == 1


def test_build_reports_refuses_a_period_no_body_has(app, tree, tmp_path):
    out = tmp_path / "oversight.pdf"
    result = app.test_cli_runner().invoke(
        args=["build-reports", tree.department.slug, "--period", "1999", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert (
        "No body overseen by Department has an assessment for '1999'. Periods: 2017, 2018"
        in result.output
    )
    assert not out.exists()
    # Only the renders queued in the background when the test's data was made.
    jobs = db.session.scalars(db.select(ReportJob)).all()
    assert all(job.requested_by_id is None and job.parameters == {} for job in jobs)
