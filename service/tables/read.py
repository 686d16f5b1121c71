"""Spreadsheets as rows of text: CSV (UTF-8, with or without BOM; comma, semicolon or tab)
and ``.xlsx`` workbooks (the first sheet, read with openpyxl).

A :class:`Table` keeps every header cell, repeated ones included (Jira repeats ``Labels``
and ``Comment``), and numbers rows as a spreadsheet does: the header is row 1. Blank rows
are left out; cells are stripped of surrounding white space.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

__all__ = ["TABLE_MEDIA", "XLSX_MIMETYPE", "Row", "Table", "TableError", "read_table"]

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a table body may be sent as; as plain bytes, an xlsx workbook is known by its zip
# signature and anything else is read as CSV text.
TABLE_MEDIA = ("text/csv", XLSX_MIMETYPE, "application/octet-stream")
DELIMITERS = (",", ";", "\t")
MAX_COLUMNS = 1000
MAX_ROWS = 2_000_000
MAX_CELL_CHARS = 100_000


class TableError(ValueError):
    """The body is no readable table at all (400); ``code`` is part of the public API."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(slots=True)
class Row:
    """One row: its number in the sheet and its cells, aligned with the header."""

    number: int
    cells: list[str]
    # Columns whose cell held a formula without a value saved with it (xlsx only).
    formulas: set[int] = field(default_factory=set)


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    header_row: int = 1
    # Rows with more cells than the header has columns: (row number, cell count).
    ragged: list[tuple[int, int]] = field(default_factory=list)

    def columns(self, name: str) -> list[int]:
        """Indexes of every header cell called ``name`` (ignoring case and spaces around)."""
        wanted = name.strip().lower()
        return [i for i, title in enumerate(self.header) if title.lower() == wanted]


def read_table(body: bytes, xlsx: bool) -> Table:
    """Read a CSV or xlsx body into a :class:`Table`; raise :class:`TableError` if unreadable.

    >>> table = read_table(b"ref;title\\r\\n a ; Ship it \\r\\n\\r\\n", xlsx=False)
    >>> table.header, [(r.number, r.cells) for r in table.rows]
    (['ref', 'title'], [(2, ['a', 'Ship it'])])
    """
    if xlsx or body.startswith(b"PK\x03\x04"):
        return _table(_xlsx_rows(body))
    return _table(_csv_rows(body))


_NO_FORMULAS: frozenset[int] = frozenset()  # a CSV cell is never a formula
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(body: bytes) -> str:
    """The body as text: UTF-8 (with or without BOM), or UTF-16 with its BOM (Excel's
    "Unicode Text")."""
    encoding = "utf-16" if body[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in body:
        raise TableError("unreadable_table", "The file holds binary data, not CSV text.")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise TableError(
            "unreadable_table", f"Line {line} is not {encoding.upper()[:6]} text: save as UTF-8."
        ) from None
    if "\x00" in text or _SURROGATE.search(text):
        raise TableError("unreadable_table", "The file holds characters no text may hold.")
    return text


def _csv_rows(body: bytes):
    text = _text(body)
    if not text.strip():
        raise TableError("unreadable_table", "The file is empty.")
    header_line = next(line for line in io.StringIO(text, newline=None) if line.strip())
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        # Records, not lines, are numbered, as a spreadsheet numbers its rows.
        return [(number, cells, _NO_FORMULAS) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise TableError("unreadable_table", f"Line {reader.line_num}: {error}.") from None


def _xlsx_rows(body: bytes):
    from openpyxl import load_workbook  # only table imports pay for it

    # openpyxl raises whatever its parsers meet in a damaged file (zip, XML, numbers, shared
    # string indexes): any of it means the body is no workbook we can read.
    try:
        values = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(body), read_only=True, data_only=False)
        try:
            return _sheet_rows(values, formulas)
        finally:
            values.close()
            formulas.close()
    except TableError:
        raise
    except Exception as error:
        detail = f"The file is not an xlsx workbook we can read ({type(error).__name__})."
        raise TableError("unreadable_table", detail) from None


def _sheet_rows(values, formulas):
    if not values.worksheets:
        raise TableError("unreadable_table", "The workbook has no sheet.")
    sheet, raw = values.worksheets[0], formulas.worksheets[0]
    for each in (sheet, raw):  # the size a file declares is not to be trusted
        each.reset_dimensions()
    pairs = zip(
        sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1),
        raw.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1),
        strict=False,
    )
    rows = []
    for number, (cells, sources) in enumerate(pairs, start=1):
        if number > MAX_ROWS:
            raise TableError("unreadable_table", f"The sheet has more than {MAX_ROWS} rows.")
        text, missing = [], set()
        for index, (value, source) in enumerate(zip(cells, sources, strict=False)):
            if value is None and isinstance(source, str) and source.startswith("="):
                missing.add(index)
            text.append(_cell_text(value))
        rows.append((number, text, missing))
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows) -> Table:
    strip = str.strip
    stripped = ((n, list(map(strip, cells)), f) for n, cells, f in rows)
    rows = [row for row in stripped if any(row[1])]
    if not rows:
        raise TableError("unreadable_table", "The file has no header row.")
    header_row, header, _formulas = rows[0]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise TableError("unreadable_table", f"The file has more than {MAX_COLUMNS} columns.")
    table = Table(header=header, rows=[], header_row=header_row)
    for number, cells, formulas in rows[1:]:
        if cells and max(map(len, cells)) > MAX_CELL_CHARS:
            raise TableError(
                "unreadable_table", f"Row {number} has a cell over {MAX_CELL_CHARS} characters."
            )
        width = len(header)
        if len(cells) != width:
            if any(cells[width:]):
                table.ragged.append((number, len(cells)))
            cells = cells[:width] + [""] * (width - len(cells))
        table.rows.append(Row(number, cells, formulas))
    return table
