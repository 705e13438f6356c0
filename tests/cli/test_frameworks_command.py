"""`flask --app maturity frameworks load FILE` and `frameworks list`, run as a script would."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from maturity.extensions import db
from maturity.models import Framework

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "frameworks" / "example-framework.yaml"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def framework_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Framework)) or 0


def test_loading_the_example_then_listing_it(runner):
    result = runner.invoke(args=["frameworks", "load", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Loaded version 1 of example-data-maturity "
        "(Example framework: maturity of data management (illustrative))\n"
    )
    listing = runner.invoke(args=["frameworks", "list"])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == [
        "example-data-maturity\t1\tExample framework: maturity of data management "
        "(illustrative)\t0 assessments",
        "nao-performance-measurement\t1\tNAO maturity of performance measurement\t0 assessments",
    ]


def test_loading_the_same_file_twice_says_nothing_changed(runner):
    runner.invoke(args=["frameworks", "load", str(EXAMPLE)])
    before = framework_count()
    again = runner.invoke(args=["frameworks", "load", str(EXAMPLE)])
    assert again.exit_code == 0
    assert "already loaded with exactly this content: nothing changed" in again.output
    assert framework_count() == before


def test_changed_content_under_the_same_version_is_refused(runner, tmp_path):
    runner.invoke(args=["frameworks", "load", str(EXAMPLE)])
    changed = tmp_path / "changed.yaml"
    changed.write_text(EXAMPLE.read_text().replace("Skills and culture", "Skills"))
    result = runner.invoke(args=["frameworks", "load", str(changed)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{changed}: Version 1 of example-data-maturity is already loaded with different "
        "content; give the file a higher version\n"
    )
    bumped = tmp_path / "bumped.yaml"
    bumped.write_text(changed.read_text().replace("version: 1", "version: 2"))
    assert runner.invoke(args=["frameworks", "load", str(bumped)]).exit_code == 0


def test_every_problem_is_printed_with_its_line_and_nothing_loads(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = EXAMPLE.read_text().replace("key: skills", "key: using-data")
    text = text.replace("      - A few specialists handle data.\n", "")
    broken.write_text(text)
    lines = text.splitlines()
    key_line = lines.index("  - key: using-data", lines.index("  - key: using-data") + 1) + 1
    before = framework_count()
    result = runner.invoke(args=["frameworks", "load", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{broken}: line {key_line}, domains[4].key: 'using-data' is already the key of domains[3]",
        f"{broken}: line {key_line + 3}, domains[4].descriptors: 3 descriptors for 4 levels: "
        "give one for every level, lowest first",
        "Nothing was loaded: 2 problem(s) to fix.",
    ]
    assert framework_count() == before


def test_a_file_that_does_not_exist(runner, tmp_path):
    result = runner.invoke(args=["frameworks", "load", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "No such file or directory" in result.output
