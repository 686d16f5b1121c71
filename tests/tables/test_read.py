"""Reading tables: delimiters, BOMs, blank rows, repeated columns, xlsx values and formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from service.tables.read import TableError, read_table


def _xlsx(rows, formula_cell=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula_cell:
        sheet[formula_cell] = "=1+1"  # openpyxl saves no computed value with it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found_from_the_header(delimiter):
    body = (
        delimiter.join(["ref", "title", "kind"]).encode()
        + b"\n"
        + delimiter.join(["a", "b c", "work"]).encode()
    )
    table = read_table(body, xlsx=False)
    assert table.header == ["ref", "title", "kind"]
    assert table.rows[0].cells == ["a", "b c", "work"]


def test_a_byte_order_mark_is_not_part_of_the_first_column():
    table = read_table("\ufeffref;title\r\nA;B\r\n".encode(), xlsx=False)
    assert table.header == ["ref", "title"]


def test_rows_are_numbered_as_a_spreadsheet_numbers_them():
    table = read_table(b"ref,title\n\n a ,  b  \n,\nc,d\n", xlsx=False)
    assert [(row.number, row.cells) for row in table.rows] == [(3, ["a", "b"]), (5, ["c", "d"])]


def test_repeated_columns_are_kept():
    table = read_table(b"Issue key,Labels,Labels\nT-1,x,goal:G\n", xlsx=False)
    assert table.columns("labels") == [1, 2]


def test_ragged_rows_are_padded_and_noted():
    table = read_table(b"ref,title\na\nb,c,d\n", xlsx=False)
    assert [row.cells for row in table.rows] == [["a", ""], ["b", "c"]]
    assert table.ragged == [(3, 3)]


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"ref,title\n\xff\xfe\n",
        b"",
        b"  \n\n",
        b"PK\x03\x04junk",
    ],
    ids=["binary", "not-utf8", "empty", "blank", "broken-zip"],
)
def test_what_is_no_table_is_refused(body):
    with pytest.raises(TableError) as error:
        read_table(body, xlsx=False)
    assert error.value.code == "unreadable_table"


def test_a_lone_surrogate_cannot_arrive_through_utf8():
    with pytest.raises(TableError):
        read_table(b"ref,title\na,\xed\xa0\x80\n", xlsx=False)


def test_xlsx_reads_the_first_sheet_with_typed_cells():
    import datetime as dt

    body = _xlsx(
        [["ref", "due_date", "budget"], ["w", dt.datetime(2026, 5, 1), 1200.0], [None, None, None]]
    )
    table = read_table(body, xlsx=True)
    assert table.header == ["ref", "due_date", "budget"]
    assert [row.cells for row in table.rows] == [["w", "2026-05-01", "1200"]]


def test_a_formula_without_a_saved_value_is_marked():
    table = read_table(_xlsx([["ref", "budget"], ["w", None]], formula_cell="B2"), xlsx=True)
    assert table.rows[0].formulas == {1}
