"""The portal's one writer of spreadsheets (CSV and XLSX): every export goes through it.

A text cell that begins like a formula is written with a leading apostrophe, so that Excel, LibreOffice and Google
Sheets show it as text and never evaluate it (CSV/formula injection: `=cmd|'/c calc'!A1` typed as a company name).
XLSX text cells are string cells as well, never formula cells, whatever the text. Numbers stay numbers. The import
readers call `restore`, so that an exported list imports back unchanged.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import IO

# OWASP's list, and the full-width forms, which Japanese Excel also takes as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
QUOTE = "'"
BOM = "\ufeff"  # Japanese Excel opens UTF-8 without garbling only with it; the importers accept it
NUMBERS = (int, float, Decimal)
# XML 1.0 cannot hold these (openpyxl refuses them): dropped from XLSX text rather than failing the export.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert(text: str) -> str:
    """`text`, with an apostrophe in front when a spreadsheet would read it as a formula."""
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The text that `inert` was given (a reader's undo of the writer)."""
    return text[1:] if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, NUMBERS) and not isinstance(value, bool)


def _csv_cell(value):
    if value is None:
        return ""
    return value if _is_number(value) else inert(str(value))


class CsvWriter:
    """`csv.writer` in the portal's dialect (Excel's, CRLF line ends) with every text cell made inert; None is
    an empty cell. With `bom`, the file starts with the byte-order mark."""

    def __init__(self, handle: IO[str], *, bom: bool = False):
        self._writer = csv.writer(handle, lineterminator="\r\n")
        if bom:
            handle.write(BOM)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([_csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(rows: Iterable[Iterable], *, bom: bool = True) -> bytes:
    """The rows (header first) as CSV in UTF-8, with the byte-order mark unless `bom` is False."""
    buffer = io.StringIO(newline="")
    CsvWriter(buffer, bom=bom).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_workbook(*, write_only: bool = False):
    """A workbook without sheets: add them with `create_sheet` and fill them with `xlsx_append`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    return workbook


def xlsx_append(sheet, values: Iterable) -> list:
    """Append one row to `sheet`: numbers, dates and times as Excel numbers, anything else as an inert string
    cell. Returns the row's cells, to style them (before appending, in a write-only sheet: style the sheet)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        if value is None or _is_number(value) or isinstance(value, date | time):
            cell.value = value
        else:
            cell.value = inert(_NOT_IN_XML.sub("", str(value)))
            cell.data_type = "s"  # a string cell: never a formula, whatever the text
        cells.append(cell)
    sheet.append(cells)
    return cells


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
