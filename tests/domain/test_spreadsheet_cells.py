"""Spreadsheet formula injection (issue 13): a download writes a cell that begins with "=",
"+", "-", "@", a tab or a carriage return with a leading apostrophe; an import removes exactly
one leading apostrophe where it precedes one of them; the CSV round trip stays exact."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from maturity.domain.csv_format import HEADER, Record, Shape, parse, to_csv
from maturity.domain.spreadsheet_cells import (
    FORMULA_STARTS,
    escape_cell,
    escape_text,
    unescape_text,
)

SHAPE = Shape(
    levels=("Existing", "Functioning", "Enabling", "Challenging", "Optimising"),
    domains=(("developing-a-framework", "Developing a framework"),),
)
# Text heavy in what matters here: apostrophes, formula starts, line breaks, quotes, commas,
# spaces, and any other character (unicode included).
TRICKY = st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", '"', ",", " "])
TEXT = st.lists(st.one_of(TRICKY, st.characters()), max_size=30).map("".join) | st.text()
# What the service can hold: no NUL character (PostgreSQL refuses it in text, every form
# field drops it, and an import refuses a file with one), so none is ever exported.
STORED = TEXT.map(lambda text: text.replace("\x00", ""))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_beginning_like_a_formula_gets_a_leading_apostrophe(start):
    assert escape_text(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize(
    "text",
    ["", "Reports are produced", "a=b", "2018-19", "1", "'", "'quoted'", "'a", " =1", "\n=1"],
)
def test_other_cells_are_written_as_they_are(text):
    assert escape_text(text) == text
    assert unescape_text(text) == text


def test_bulleted_evidence_gets_the_apostrophe_and_loses_it_again():
    evidence = "- the board sees the measures quarterly\n- targets are published"
    assert escape_text(evidence) == "'" + evidence
    assert unescape_text(escape_text(evidence)) == evidence


def test_text_already_beginning_with_an_apostrophe_before_a_formula_gets_one_more():
    assert escape_text("'=x") == "''=x"
    assert escape_text("''-x") == "'''-x"


def test_an_imported_cell_loses_exactly_one_apostrophe_before_a_formula():
    assert unescape_text("'=1+1") == "=1+1"  # text, stored as such: nothing runs it
    assert unescape_text("''=x") == "'=x"
    assert unescape_text("'\t@x") == "\t@x"
    assert unescape_text("'-") == "-"


def test_numbers_and_empty_cells_are_left_alone():
    assert escape_cell(3) == 3
    assert escape_cell(None) is None
    assert escape_cell(-1) == -1  # a number, never text a spreadsheet reads as a formula
    assert escape_cell("-1") == "'-1"


@given(TEXT)
@example("'")
@example("'=")
@example("''=x")
@example("\t")
@example("\r\n")
@example("-")
def test_unescaping_an_escaped_text_gives_it_back_exactly(text):
    written = escape_text(text)
    assert unescape_text(written) == text
    assert not written.startswith(FORMULA_STARTS)


def _stored(text: str) -> str:
    """Evidence as the service keeps it: the pages and the import strip surrounding spaces
    and line breaks (maturity/data/assessments.py, csv_format.parse), except that a leading
    tab or carriage return after a download's apostrophe is kept."""
    stripped = text.rstrip()
    return stripped if stripped[:1] in ("\t", "\r") else stripped.lstrip()


@given(evidence=STORED, organisation=STORED)
@example(evidence="- first\n- second", organisation='=HYPERLINK("http://x")')
@example(evidence="''=x", organisation="+44 Body")
@example(evidence="\t=cmd|' /C calc'!A0", organisation="@Body")
@example(evidence='"=1+1", quoted, and\r\nsplit', organisation="Body, Ltd")
@example(evidence="\r-\n", organisation="'")
def test_export_then_import_gives_back_exactly_the_text(evidence, organisation):
    evidence, organisation = _stored(evidence), _stored(organisation)
    organisation = organisation if organisation.strip() else "Body"  # it is required
    record = Record(organisation, "2018-19", "developing-a-framework", 3, None, evidence)

    written = to_csv([record])
    parsed = parse(written, SHAPE)

    assert parsed.errors == ()
    [back] = parsed.records
    assert (back.organisation, back.evidence) == (organisation, evidence)
    # Every cell of the file is safe to open in a spreadsheet.
    for row in csv.reader(io.StringIO(written, newline="")):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


def test_a_crafted_cell_is_imported_as_the_text_after_the_apostrophe():
    rows = [
        "Body,2018,developing-a-framework,1,,'=1+1",
        "Body,2019,developing-a-framework,1,,''=x",
        "'=Body,2020,developing-a-framework,3,,' -kept",
    ]
    parsed = parse("\n".join((HEADER, *rows)) + "\n", SHAPE)

    assert parsed.errors == ()
    assert [(r.organisation, r.level, r.evidence) for r in parsed.records] == [
        ("Body", 1, "=1+1"),
        ("Body", 1, "'=x"),
        ("=Body", 3, "' -kept"),
    ]
