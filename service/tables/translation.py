"""What a layout makes of a table: an import document, and where each part came from.

A layout turns rows into the JSON import's document (``service/schemas/imports.py``) and
checks nothing the import checks itself: every rule is the import's, and its answers are
traced back to the cell they came from (``service/tables/locate.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from service.tables.read import Row

__all__ = [
    "ENTITIES",
    "Directory",
    "Options",
    "Origin",
    "Translation",
    "iso_date",
    "number",
    "split_refs",
]

ENTITIES = ("teams", "people", "periods", "nodes", "links", "key_results")


@dataclass(frozen=True)
class Options:
    """How to read a table: a date format given once, and tracker issue types remapped."""

    date_format: str | None = None
    kinds: dict[str, str] = field(default_factory=dict)  # lowercased issue type -> node kind


@dataclass
class Directory:
    """Teams, people and periods already stored, by ref and by the names a sheet uses."""

    team_refs: set[str] = field(default_factory=set)
    team_by_name: dict[str, str] = field(default_factory=dict)  # lowercased name -> ref
    person_refs: set[str] = field(default_factory=set)
    person_by_email: dict[str, str] = field(default_factory=dict)
    person_by_name: dict[str, str] = field(default_factory=dict)
    period_refs: set[str] = field(default_factory=set)
    period_by_name: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Origin:
    """The row an item came from, and the column each of its fields was read from."""

    row: Row
    columns: dict[str, str]


@dataclass
class Translation:
    document: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in ENTITIES}
    )
    origins: dict[str, list[Origin]] = field(
        default_factory=lambda: {name: [] for name in ENTITIES}
    )
    problems: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def add(self, entity: str, item: dict[str, Any], row: Row, columns: dict[str, str]) -> None:
        self.document[entity].append(item)
        self.origins[entity].append(Origin(row, columns))

    def cell(self, row: Row, index: int | None, name: str | None) -> str:
        """The text of a row's cell at ``index`` ("" for a column the sheet lacks); a formula
        saved without its value is a problem of that cell."""
        if index is None:
            return ""
        if index in row.formulas:
            self.cell_problem(
                row.number,
                name,
                "invalid_value",
                "A formula with no saved value; save the sheet in Excel first.",
            )
        return row.cells[index]

    def cell_problem(self, row: int, column: str | None, code: str, detail: str) -> None:
        self.problems.append({"row": row, "column": column, "code": code, "detail": detail})

    def cell_warning(self, row: int, column: str | None, code: str, detail: str) -> None:
        self.warnings.append({"row": row, "column": column, "code": code, "detail": detail})


def split_refs(cell: str, separator: str = ";") -> list[str]:
    """The refs of a cell, in order, without blanks or repeats.

    >>> split_refs(" a; b ;;a ")
    ['a', 'b']
    """
    if separator not in cell:  # most cells: blank, or a single ref
        ref = cell.strip()
        return [ref] if ref else []
    refs = (part.strip() for part in cell.split(separator))
    return list(dict.fromkeys(ref for ref in refs if ref))


# A comma before one, two or four and more digits is a decimal comma; before exactly three
# it could be a thousands separator ("20,000"), so such a cell is left for the import to refuse.
_DECIMAL_COMMA = re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def number(cell: str) -> float | int | str:
    """A cell read as a JSON number when it is one (``1,5`` too); else the text, for the
    import to refuse with its own message.

    >>> number("12"), number("-0.5"), number("1,5"), number("20,000"), number("1_000")
    (12, -0.5, 1.5, '20,000', '1_000')
    """
    text = cell.replace("\u00a0", "").replace(" ", "")
    if _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if not _NUMBER.match(text) or len(text) > 400:
        return cell
    try:
        return int(text) if text.lstrip("-+").isdigit() and len(text) <= 20 else _finite(text)
    except ValueError:
        return cell


def _finite(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def iso_date(cell: str, formats: tuple[str, ...]) -> str:
    """A date cell as ISO 8601 when one of ``formats`` (or ISO itself) reads it; else the
    text, for the import to refuse.

    >>> iso_date("12/Mar/26 5:00 PM", ("%d/%b/%y %I:%M %p",)), iso_date("2026-03-12", ())
    ('2026-03-12', '2026-03-12')
    """
    plain = cell.split(" GMT", 1)[0]  # a JavaScript date: "Fri Mar 13 2026 00:00:00 GMT+0000"
    for fmt in formats:
        try:
            return dt.datetime.strptime(plain, fmt).date().isoformat()
        except ValueError:
            continue
    head = cell[:10]
    if len(head) < 10 or (len(cell) > 10 and cell[10] not in "T "):
        return cell
    try:
        dt.date.fromisoformat(head)
    except ValueError:
        return cell
    return head
