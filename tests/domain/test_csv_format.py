"""The CSV contract of PRODUCT.md, read and written without Flask or a database."""

from __future__ import annotations

import pytest

from maturity.domain.csv_format import HEADER, LineError, Record, Shape, merge, parse, to_csv

NAO = Shape(
    levels=("Existing", "Functioning", "Enabling", "Challenging", "Optimising"),
    domains=(
        ("developing-a-framework", "Developing a framework"),
        ("reporting-performance-information", "Reporting performance information"),
        ("using-the-framework", "Using the framework"),
    ),
)
# Another shape, so nothing can pass by assuming three domains and five levels.
SMALL = Shape(levels=("Low", "High"), domains=(("people", "People"),))


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def messages(text: str | bytes, shape: Shape = NAO) -> list[str]:
    return [str(error) for error in parse(text, shape).errors]


def test_a_good_file_becomes_records_with_their_line_numbers():
    parsed = parse(
        csv(
            "Home Office,2018,developing-a-framework,2,4,Some evidence",
            "home-office,2018-19,Using the framework,Enabling,,",
        ),
        NAO,
    )
    assert parsed.errors == ()
    assert parsed.records == (
        Record("Home Office", "2018", "developing-a-framework", 2, 4, "Some evidence", line=2),
        Record("home-office", "2018-19", "using-the-framework", 3, None, "", line=3),
    )


@pytest.mark.parametrize("text", ["ENABLING", "enabling", " Enabling ", "3"])
def test_levels_are_numbers_or_names_in_any_case(text):
    (record,) = parse(csv(f"Body,2018,developing-a-framework,{text},{text},"), NAO).records
    assert (record.level, record.ambition) == (3, 3)


@pytest.mark.parametrize(
    "text", ["USING-THE-FRAMEWORK", "using the framework", "Using The Framework"]
)
def test_domains_are_keys_or_names_in_any_case(text):
    (record,) = parse(csv(f"Body,2018,{text},1,,"), NAO).records
    assert record.domain == "using-the-framework"


def test_level_zero_means_not_yet_at_the_first_level():
    (record,) = parse(csv("Body,2018,people,0,,"), SMALL).records
    assert record.level == 0


def test_the_range_of_levels_comes_from_the_shape():
    assert messages(csv("Body,2018,people,High,,"), SMALL) == []
    assert messages(csv("Body,2018,people,3,,"), SMALL) == [
        "line 2: level 3 is out of range: use 0 to 2 or a level name (Low, High)"
    ]
    assert messages(csv("Body,2018,people,Enabling,,"), SMALL)[0].startswith(
        "line 2: level 'Enabling' is not a level name"
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Body,2018,finance,1,,", "line 3: domain 'finance' is not in this framework"),
        ("Body,2018,developing-a-framework,7,,", "line 3: level 7 is out of range: use 0 to 5"),
        ("Body,2018,developing-a-framework,-1,,", "line 3: level -1 is out of range"),
        ("Body,2018,developing-a-framework,Great,,", "line 3: level 'Great' is not a level name"),
        ("Body,2018,developing-a-framework,,,", "line 3: enter the level"),
        ("Body,2018,developing-a-framework,1,9,", "line 3: ambition 9 is out of range"),
        # Too many digits to be a level, and more than int() converts: out of range, shortened.
        (
            f"Body,2018,developing-a-framework,{'9' * 5000},,",
            "line 3: level 999999999… is out of range",
        ),
        (
            f"Body,2018,developing-a-framework,1,{'9' * 5000},",
            "line 3: ambition 999999999… is out of range",
        ),
        (
            f"Body,2018,developing-a-framework,1,,{'e' * 10_001}",
            "line 3: evidence must be 10,000 characters or less",
        ),
        ('Body,2018,developing-a-framework,1,,"closed"then', "line 3: the file cannot be read"),
        ("Body,18,developing-a-framework,1,,", "line 3: period '18' is not valid"),
        ("Body,2018-20,developing-a-framework,1,,", "line 3: period '2018-20' is not valid"),
        (",2018,developing-a-framework,1,,", "line 3: enter the organisation"),
        ("Body,2018,developing-a-framework,1", "line 3: expected 6 fields"),
        ("Body,2018,developing-a-framework,1,,a,b", "line 3: expected 6 fields"),
    ],
)
def test_each_kind_of_bad_row_is_reported_at_its_line(row, expected):
    result = messages(csv("Body,2018,using-the-framework,1,,", row))
    assert len(result) == 1
    assert result[0].startswith(expected)


def test_every_bad_row_is_reported_and_good_rows_are_still_parsed():
    parsed = parse(
        csv(
            "Body,2018,finance,1,,",
            "Body,2018,developing-a-framework,1,,",
            "Body,2018,using-the-framework,8,,",
        ),
        NAO,
    )
    assert [e.line for e in parsed.errors] == [2, 4]
    assert [r.line for r in parsed.records] == [3]


def test_several_problems_on_one_row_are_one_line():
    (message,) = messages(csv("Body,1066,finance,9,,"))
    assert message.startswith("line 2: period '1066'")
    assert "domain 'finance'" in message
    assert "level 9" in message


def test_a_repeated_organisation_period_and_domain_is_a_duplicate():
    result = messages(
        csv(
            "Home Office,2018,developing-a-framework,1,,",
            "Home Office,2019,developing-a-framework,1,,",
            "home-office,2018,Developing a framework,2,,",
        )
    )
    assert result == [
        "line 4: duplicate of line 2: home-office already has a row for 2018 developing-a-framework"
    ]


def test_line_numbers_are_physical_lines_when_evidence_spans_several():
    text = csv(
        'Body,2018,developing-a-framework,1,,"First line\nsecond line\nthird"',
        "Body,2018,finance,1,,",
    )
    (message,) = messages(text)
    assert message.startswith("line 5: domain 'finance'")
    (record,) = parse(text, NAO).records
    assert record.evidence == "First line\nsecond line\nthird"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("organisation,period,domain,level,ambition", "missing column evidence"),
        (HEADER + ",notes", "extra column notes"),
        ("organisation,period,domain,level,ambition,evidence,evidence", "repeated column evidence"),
        ("org,period,domain,level,ambition,evidence", "missing column organisation and extra"),
    ],
)
def test_a_wrong_header_is_an_error_on_line_1(header, expected):
    result = messages(csv("Body,2018,developing-a-framework,1,,", header=header))
    assert len(result) == 1
    assert result[0].startswith("line 1: the header has ")
    assert expected in result[0]


def test_an_empty_file_says_what_the_header_should_be():
    assert messages("") == [
        f"line 1: the file has no header: the first line must be the header {HEADER}"
    ]


def test_header_names_are_read_in_any_case_and_order():
    text = "Evidence,Level,Domain,Period,Organisation,Ambition\nnone,2,people,2018,Body,\n"
    (record,) = parse(text, SMALL).records
    assert record == Record("Body", "2018", "people", 2, None, "none", line=2)


def test_utf8_with_a_byte_order_mark_and_windows_line_endings():
    data = "\ufeff".encode() + csv("Société,2018,people,1,,Évidence").replace("\n", "\r\n").encode()
    parsed = parse(data, SMALL)
    assert parsed.errors == ()
    assert parsed.records[0].organisation == "Société"
    assert parsed.records[0].evidence == "Évidence"


def test_text_that_is_not_utf8_is_reported_at_its_line():
    data = csv("Body,2018,people,1,,ok", "Body,2019,people,1,,caf").encode().rstrip() + b"\xe9\n"
    assert messages(data, SMALL) == ["line 3: the file is not UTF-8 text: save it as CSV UTF-8"]


def test_evidence_as_long_as_the_form_takes_is_read():
    (record,) = parse(csv(f"Body,2018,people,1,,{'e' * 10_000}"), SMALL).records
    assert len(record.evidence) == 10_000


def test_a_quote_never_closed_is_an_error_where_its_row_starts_not_the_rest_of_the_file():
    text = csv(
        "Body,2018,people,1,,ok",
        'Body,2019,people,1,,"He said ok',
        "Body,2020,people,1,,second",
        "Body,2021,people,1,,third",
    )
    parsed = parse(text, SMALL)
    assert [str(e) for e in parsed.errors] == [
        "line 3: a double quote opened in this row is never closed"
    ]


def test_a_nul_character_is_reported_at_its_line_and_nothing_is_read():
    parsed = parse(csv("Body,2018,people,1,,ok", "Body,2019,people,1,,a\x00b"), SMALL)
    assert parsed.records == ()
    assert [str(e) for e in parsed.errors] == [
        "line 3: the file contains a NUL character: save it as CSV UTF-8"
    ]


def test_blank_lines_and_rows_of_empty_fields_are_skipped_but_counted():
    text = csv("", ",,,,,", "Body,2018,finance,1,,")
    (message,) = messages(text)
    assert message.startswith("line 4: domain 'finance'")


def test_to_csv_writes_numbers_keys_and_empty_ambition_and_reads_back():
    records = (
        Record("Home Office", "2017", "developing-a-framework", 0, None, ""),
        Record("Home Office", "2018", "using-the-framework", 2, 4, 'Said "yes", then\nno'),
    )
    text = to_csv(records)
    assert text.splitlines()[:3] == [
        HEADER,
        "Home Office,2017,developing-a-framework,0,,",
        'Home Office,2018,using-the-framework,2,4,"Said ""yes"", then',
    ]
    back = parse(text, NAO)
    assert back.errors == ()
    assert [
        (r.organisation, r.period, r.domain, r.level, r.ambition, r.evidence) for r in back.records
    ] == [(r.organisation, r.period, r.domain, r.level, r.ambition, r.evidence) for r in records]


def test_merge_gives_one_error_per_line_in_order():
    merged = merge([LineError(5, "b"), LineError(2, "a"), LineError(5, "c")])
    assert [str(e) for e in merged] == ["line 2: a", "line 5: b; c"]
