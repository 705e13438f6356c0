"""An organisation's ratings as an Excel workbook: a "Ratings" sheet in the CSV's columns
(so it reads back the same once saved as CSV) and a "Definitions" sheet of the framework.

Text cells are text: one a spreadsheet could run as a formula is written with a leading
apostrophe, as in the CSV (maturity/domain/spreadsheet_cells.py), and every text cell has
the string type, never openpyxl's formula type."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from maturity.domain import csv_format
from maturity.domain.csv_format import Record
from maturity.domain.spreadsheet_cells import escape_cell
from maturity.models import Framework

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*, records: Iterable[Record], framework: Framework) -> bytes:
    book = Workbook()
    ratings = book.active
    assert ratings is not None
    ratings.title = "Ratings"
    append_text_safe(ratings, csv_format.COLUMNS)
    for record in records:
        append_text_safe(
            ratings,
            [
                record.organisation,
                record.period,
                record.domain,
                record.level,
                record.ambition,
                record.evidence,
            ],
        )
    _header(ratings, widths=(30, 10, 36, 8, 10, 80))

    definitions = book.create_sheet("Definitions")
    domains = list(framework.domains)
    append_text_safe(definitions, ["Level", "Level name", *(domain.name for domain in domains)])
    text = {
        (domain.key, descriptor.level_number): descriptor.text
        for domain in domains
        for descriptor in domain.descriptors
    }
    for level in sorted(framework.levels, key=lambda level: level.number):
        append_text_safe(
            definitions,
            [level.number, level.name, *(text.get((d.key, level.number), "") for d in domains)],
        )
    _header(definitions, widths=(8, 16, *(60 for _ in domains)))
    for row in definitions.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _storable(value: object) -> object:
    # XML 1.0, which an XLSX is made of, cannot hold most control characters (openpyxl
    # refuses them); evidence imported from a CSV may contain one. Each is shown as the
    # replacement character, as a spreadsheet would show an unreadable one.
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def append_text_safe(sheet: Worksheet, values: Iterable[object]) -> None:
    """Append a row of a download: text escaped like the CSV's and typed as a string."""
    sheet.append([_storable(escape_cell(value)) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            # openpyxl takes any string beginning with "=" for a formula; none does after
            # escaping, and the type says "text" whatever it begins with.
            cell.data_type = "s"


def _header(sheet, *, widths: Iterable[int]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
