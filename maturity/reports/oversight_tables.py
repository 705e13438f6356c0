"""The oversight table as CSV and XLSX: the same rows as the page, one line per body.

Every text cell is written safe to open in a spreadsheet (maturity/domain/spreadsheet_cells.py):
a body's name beginning like a formula gets a leading apostrophe."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from maturity.domain.portfolio import PALETTE, Portfolio
from maturity.domain.spreadsheet_cells import escape_cell
from maturity.models import Framework
from maturity.reports.pdf import definitions
from maturity.reports.xlsx import append_text_safe

NO_ASSESSMENT = "No assessment"


def header(portfolio: Portfolio) -> list[str]:
    columns = ["organisation", "period"]
    for domain in portfolio.domains:
        columns += [f"{domain.name} level", f"{domain.name} level name"]
    return columns


def rows(portfolio: Portfolio) -> list[list[object]]:
    """One row per body: the level number and its name per domain; a body without an
    assessment for the period says so once and leaves the levels empty."""
    table: list[list[object]] = []
    for row in portfolio.rows:
        line: list[object] = [row.body.name, portfolio.period or ""]
        if not row.assessed:
            for _ in portfolio.domains:
                line += ["", f"{NO_ASSESSMENT} for {portfolio.period or 'any period'}"]
        else:
            for cell in row.cells:
                line += ["" if cell.level is None else cell.level, cell.name]
        table.append(line)
    return table


def csv_bytes(portfolio: Portfolio) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([escape_cell(value) for value in header(portfolio)])
    writer.writerows([escape_cell(value) for value in line] for line in rows(portfolio))
    return io.BytesIO(text.getvalue().encode("utf-8"))


def xlsx_bytes(portfolio: Portfolio, framework: Framework) -> io.BytesIO:
    """Two sheets: the table (cells filled with the page's colours, names written in), and
    the definitions (levels by domains descriptors)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Oversight"
    append_text_safe(sheet, header(portfolio))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line, row in zip(rows(portfolio), portfolio.rows, strict=True):
        append_text_safe(sheet, line)
        for index, cell in enumerate(row.cells):
            if cell.palette_index is None:
                continue
            fill, text = PALETTE[cell.palette_index]
            target = sheet.cell(row=sheet.max_row, column=4 + 2 * index)
            target.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            target.font = Font(color=text.lstrip("#"))
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "B2"
    notes = book.create_sheet("Definitions")
    append_text_safe(notes, ["level", "level name", *[d.name for d in framework.domains]])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for definition in definitions(framework):
        append_text_safe(notes, [definition.number, definition.name, *definition.descriptors])
    for row_cells in notes.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
