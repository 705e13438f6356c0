"""An organisation's ratings as an Excel workbook: a "Ratings" sheet in the CSV's columns
(so it reads back the same once saved as CSV) and a "Definitions" sheet of the framework."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from maturity.domain import csv_format
from maturity.domain.csv_format import Record
from maturity.models import Framework

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*, records: Iterable[Record], framework: Framework) -> bytes:
    book = Workbook()
    ratings = book.active
    assert ratings is not None
    ratings.title = "Ratings"
    ratings.append(list(csv_format.COLUMNS))
    for record in records:
        ratings.append(
            [
                record.organisation,
                record.period,
                record.domain,
                record.level,
                record.ambition,
                record.evidence,
            ]
        )
    for row in ratings.iter_rows(min_row=2):
        for cell in row:
            # Text is text: evidence starting with "=" must not become a formula.
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    _header(ratings, widths=(30, 10, 36, 8, 10, 80))

    definitions = book.create_sheet("Definitions")
    domains = list(framework.domains)
    definitions.append(["Level", "Level name", *(domain.name for domain in domains)])
    text = {
        (domain.key, descriptor.level_number): descriptor.text
        for domain in domains
        for descriptor in domain.descriptors
    }
    for level in sorted(framework.levels, key=lambda level: level.number):
        definitions.append(
            [level.number, level.name, *(text.get((d.key, level.number), "") for d in domains)]
        )
    _header(definitions, widths=(8, 16, *(60 for _ in domains)))
    for row in definitions.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet, *, widths: Iterable[int]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
