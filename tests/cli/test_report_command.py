"""flask report ORGANISATION --out FILE.pdf [--from PERIOD] [--to PERIOD]."""

from __future__ import annotations

import io

from pypdf import PdfReader

from maturity.data import frameworks
from tests import factories


def with_history(name: str = "National Crime Agency"):
    body = factories.organisation(name=name)
    keys = [domain.key for domain in frameworks.current().domains]
    for level, period in enumerate(("2016", "2017", "2018"), start=1):
        factories.assessment(of=body, period=period, levels={k: level for k in keys})
    return body


def test_the_report_is_written_for_a_slug(app, tmp_path):
    body = with_history()
    out = tmp_path / "nca.pdf"
    result = app.test_cli_runner().invoke(args=["report", body.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert (
        reader.metadata.title
        == "Maturity of performance measurement: National Crime Agency, 2016 to 2018"
    )
    assert "National Crime Agency's maturity rose in all" in reader.pages[0].extract_text()


def test_from_and_to_narrow_the_periods(app, tmp_path):
    body = with_history()
    out = tmp_path / "nca.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", body.name, "--out", str(out), "--from", "2017", "--to", "2017"]
    )
    assert result.exit_code == 0, result.output
    first_page = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "National Crime Agency's maturity was assessed in 2017." in " ".join(first_page.split())
    assert "2016" not in first_page
    assert "2018" not in first_page


def test_an_unknown_organisation_is_an_error(app, tmp_path):
    out = tmp_path / "nobody.pdf"
    result = app.test_cli_runner().invoke(args=["report", "nobody", "--out", str(out)])
    assert result.exit_code != 0
    assert "No organisation has the name or slug 'nobody'" in result.output
    assert not out.exists()


def test_a_bad_period_is_an_error_and_writes_nothing(app, tmp_path):
    body = with_history()
    out = tmp_path / "nca.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", body.slug, "--out", str(out), "--to", "2018-20"]
    )
    assert result.exit_code != 0
    assert "The last period ('2018-20') is not valid" in result.output
    assert not out.exists()


def test_out_is_required(app):
    result = app.test_cli_runner().invoke(args=["report", "anything"])
    assert result.exit_code != 0
    assert "--out" in result.output
