"""The CSV file of ratings (see PRODUCT.md): parsing and writing, with no Flask and no database.

A file is read against a framework *shape* (its level names and domains) so that nothing
here assumes how many levels or domains a framework has.

Cells that a spreadsheet could run as a formula are written with a leading apostrophe, which
parsing removes again (maturity/domain/spreadsheet_cells.py): a file written here reads back
exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from maturity.domain.assessment_rules import EVIDENCE_LIMIT
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.slugs import slugify
from maturity.domain.spreadsheet_cells import escape_text, unescape_text
from maturity.domain.whole_numbers import DIGITS

COLUMNS = ("organisation", "period", "domain", "level", "ambition", "evidence")
HEADER = ",".join(COLUMNS)
_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class Shape:
    """What a file is checked against: level names (level 1 first) and (key, name) domains."""

    levels: tuple[str, ...]
    domains: tuple[tuple[str, str], ...]

    @property
    def top_level(self) -> int:
        return len(self.levels)


@dataclass(frozen=True)
class Record:
    """One rating: an organisation's level in one domain for one period."""

    organisation: str
    period: str
    domain: str
    level: int
    ambition: int | None
    evidence: str
    line: int = 0


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Parsed:
    records: tuple[Record, ...]
    errors: tuple[LineError, ...]


def parse(data: bytes | str, shape: Shape) -> Parsed:
    """Every good row as a record and every bad one as an error, by physical line number."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        assert isinstance(data, bytes)
        line = data[: exc.start].count(b"\n") + 1
        return Parsed((), (LineError(line, "the file is not UTF-8 text: save it as CSV UTF-8"),))
    if (nul := text.find("\x00")) >= 0:
        # No database keeps it in text (PostgreSQL refuses it): the file is damaged.
        line = text.count("\n", 0, nul) + 1
        return Parsed(
            (), (LineError(line, "the file contains a NUL character: save it as CSV UTF-8"),)
        )
    # newline="" keeps line breaks inside quoted evidence, so line_num counts physical lines.
    # strict: a quote never closed is an error, not the rest of the file read as one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    errors: list[LineError] = []
    line = 1  # where the row being read starts
    try:
        header = next(reader, None)
        if header_error := _check_header(header):
            return Parsed((), (LineError(1, header_error),))
        assert header is not None
        positions = [[name.strip().lower() for name in header].index(c) for c in COLUMNS]
        seen: dict[tuple[str, str, str], int] = {}
        line = reader.line_num + 1
        for fields in reader:
            if any(field.strip() for field in fields):
                problems, record = _parse_row(fields, positions, shape, line)
                if record is not None:
                    key = (
                        slugify(record.organisation) or record.organisation,
                        record.period,
                        record.domain,
                    )
                    if key in seen:
                        problems.append(_duplicate(record, seen[key]))
                    else:
                        seen[key] = line
                        records.append(record)
                if problems:
                    errors.append(LineError(line, "; ".join(problems)))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            message = "a double quote opened in this row is never closed"
        else:
            message = f"the file cannot be read as CSV: {exc}"
        errors.append(LineError(line, message))
    return Parsed(tuple(records), tuple(errors))


def merge(errors: Iterable[LineError]) -> list[LineError]:
    """One error per line, in line order, so a person sees each bad row once."""
    by_line: dict[int, list[str]] = {}
    for error in errors:
        by_line.setdefault(error.line, []).append(error.message)
    return [LineError(line, "; ".join(by_line[line])) for line in sorted(by_line)]


def to_rows(records: Iterable[Record]) -> list[list[str]]:
    """Rows as import reads them back: levels as numbers, ambition empty when not set, and
    every cell safe to open in a spreadsheet (:func:`escape_text`)."""
    return [
        [
            escape_text(cell)
            for cell in (
                r.organisation,
                r.period,
                r.domain,
                str(r.level),
                "" if r.ambition is None else str(r.ambition),
                r.evidence,
            )
        ]
        for r in records
    ]


def to_csv(records: Iterable[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The writer quotes a cell holding the line terminator's "\n" but not a lone "\r", which
    # a reader takes for the end of a line: a row with one has every cell quoted.
    quoting_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for row in to_rows(records):
        (quoting_all if any("\r" in cell for cell in row) else writer).writerow(row)
    return out.getvalue()


def _check_header(header: list[str] | None) -> str | None:
    expected = f"the first line must be the header {HEADER}"
    if not header or not any(name.strip() for name in header):
        return f"the file has no header: {expected}"
    names = [name.strip().lower() for name in header]
    problems = []
    if missing := [c for c in COLUMNS if c not in names]:
        problems.append("missing " + _columns(missing))
    if extra := [n for n in names if n not in COLUMNS]:
        problems.append("extra " + _columns([n or "(blank)" for n in extra]))
    if repeated := sorted({n for n in names if n in COLUMNS and names.count(n) > 1}):
        problems.append("repeated " + _columns(repeated))
    if problems:
        return f"the header has {' and '.join(problems)}: {expected}"
    return None


def _columns(names: list[str]) -> str:
    return ("column " if len(names) == 1 else "columns ") + ", ".join(names)


def _parse_row(
    fields: list[str], positions: list[int], shape: Shape, line: int
) -> tuple[list[str], Record | None]:
    if len(fields) != len(COLUMNS):
        hint = (
            " (put evidence that contains a comma inside double quotes)"
            if len(fields) > len(COLUMNS)
            else ""
        )
        return [f"expected {len(COLUMNS)} fields ({HEADER}) but found {len(fields)}{hint}"], None
    # Stripped first: the apostrophe a download puts before a leading tab keeps it.
    organisation, period, domain, level, ambition, evidence = (
        unescape_text(fields[i].strip()) for i in positions
    )
    problems: list[str] = []
    if not organisation:
        problems.append("enter the organisation (its slug or exact name)")
    try:
        period = Period.parse(period).label
    except InvalidPeriod as exc:
        problems.append(f"period {period!r} is not valid: {_lower_first(str(exc))}")
    domain_key = _domain(domain, shape, problems)
    level_number = _level("level", level, shape, problems, required=True)
    ambition_number = _level("ambition", ambition, shape, problems, required=False)
    if len(evidence) > EVIDENCE_LIMIT:
        problems.append(f"evidence must be {EVIDENCE_LIMIT:,} characters or less")
    if problems or domain_key is None or level_number is None:
        return problems, None
    return problems, Record(
        organisation, period, domain_key, level_number, ambition_number, evidence, line
    )


def _domain(text: str, shape: Shape, problems: list[str]) -> str | None:
    wanted = text.casefold()
    for key, name in shape.domains:
        if wanted in (key.casefold(), name.casefold()):
            return key
    keys = ", ".join(key for key, _ in shape.domains)
    if not text:
        problems.append(f"enter the domain: one of {keys}")
    else:
        problems.append(f"domain {text!r} is not in this framework: use one of {keys} or a name")
    return None


def _level(
    column: str, text: str, shape: Shape, problems: list[str], *, required: bool
) -> int | None:
    choices = f"use 0 to {shape.top_level} or a level name ({', '.join(shape.levels)})"
    if not text:
        if required:
            problems.append(f"enter the {column}: {choices}")
        return None
    if _NUMBER.fullmatch(text):
        # Not converted when long: no level has so many digits, and int() refuses thousands.
        number = int(text) if len(text) <= DIGITS else None
        if number is not None and 0 <= number <= shape.top_level:
            return number
        shown = str(number) if number is not None else f"{text[:DIGITS]}…"
        problems.append(f"{column} {shown} is out of range: {choices}")
        return None
    wanted = text.casefold()
    for number, name in enumerate(shape.levels, start=1):
        if name.casefold() == wanted:
            return number
    problems.append(f"{column} {text!r} is not a level name: {choices}")
    return None


def _duplicate(record: Record, first_line: int) -> str:
    return (
        f"duplicate of line {first_line}: {record.organisation} already has a row "
        f"for {record.period} {record.domain}"
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
