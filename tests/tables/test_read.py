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


def test_cr_only_line_ends_and_a_leading_blank_line_are_read():
    table = read_table(b"\r\nref;kind;title\rM1;mission;Help, travel, ease\r", xlsx=False)
    assert table.header == ["ref", "kind", "title"]
    assert table.header_row == 2
    assert table.rows[0].cells == ["M1", "mission", "Help, travel, ease"]


def test_utf16_text_with_its_bom_is_read():
    table = read_table("ref\ttitle\r\nM1\tMission\r\n".encode("utf-16"), xlsx=False)
    assert table.header == ["ref", "title"] and table.rows[0].cells == ["M1", "Mission"]


def test_text_that_is_not_utf8_names_its_line():
    with pytest.raises(TableError) as error:
        read_table(b"ref,title\nM1,Caf\xe9\n", xlsx=False)
    assert "Line 2" in error.value.detail


def _patched(body: bytes, member: str, old: bytes, new: bytes) -> bytes:
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(body)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename == member else data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("member", "old", "new"),
    [
        ("xl/workbook.xml", b"<sheets>", b"<sheets"),
        ("xl/worksheets/sheet1.xml", b'r="B2"', b'r="ZZZZZ2"'),
        ("xl/worksheets/sheet1.xml", b"<v>3</v>", b"<v>abc</v>"),
        ("xl/worksheets/sheet1.xml", b"<v>3</v>", b"<v>" + b"9" * 5000 + b"</v>"),
    ],
    ids=["broken-xml", "bad-cell-ref", "not-a-number", "huge-number"],
)
def test_a_damaged_workbook_is_unreadable_not_an_error(member, old, new):
    body = _patched(_xlsx([["ref", "n"], ["a", 3]]), member, old, new)
    with pytest.raises(TableError) as error:
        read_table(body, xlsx=True)
    assert error.value.code == "unreadable_table"


def test_a_declared_size_is_not_trusted():
    body = _xlsx([["ref", "title"], ["a", "b"]])
    body = _patched(body, "xl/worksheets/sheet1.xml", b'ref="A1:B2"', b'ref="A1:XFD200000"')
    table = read_table(body, xlsx=True)
    assert [row.cells for row in table.rows] == [["a", "b"]]
