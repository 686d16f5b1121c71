"""The ``okr`` layout: one row a node or key result, as people keep OKRs in a spreadsheet.

It is also the ``csv`` export's layout (DOMAIN.md sections 16 and 17), so an export imports
back as it was: ``COLUMNS`` is the export's header, in order.
"""

from __future__ import annotations

from functools import cache

from service.graph.export_table import OKR_COLUMNS
from service.schemas.imports import ImportDocumentSchema
from service.tables.read import Row, Table
from service.tables.translation import Directory, Options, Translation, iso_date, number, split_refs

__all__ = ["COLUMNS", "KEY_RESULT", "translate"]

KEY_RESULT = "key_result"
NODE_TEXT = (
    "title",
    "description",
    "user_outcome",
    "business_outcome",
    "target_group",
    "measure",
    "segment",
)
NODE_CODES = ("status", "visibility", "need_type")
DATES = ("start_date", "due_date")
NODE_NUMBERS = ("budget", "spent")
KR_TEXT = ("title", "metric", "unit")
KR_NUMBERS = ("start_value", "target_value", "current_value", "weight")
COLUMNS = OKR_COLUMNS  # the csv export's header: one list for both directions
REQUIRED = ("ref", "kind", "title")
KRS = "key_results"
# Each field of a node row comes from the column of its name: one map for every row
# (a problem about a field points at that column).
_NODE_COLUMNS = {
    name: name
    for name in ("ref", "kind", *NODE_TEXT, *NODE_CODES, *DATES, *NODE_NUMBERS, "team", "owner")
} | {"period": "period"}
# The links of a node row: the column, the link's type, and where each end was read from.
_LINK_COLUMNS = tuple(
    (column, link_type, {"source": "ref", "target": column})
    for column, link_type in (("parents", "supports"), ("serves", "serves"))
)


def _as_is(cell: str) -> str:
    return cell


@cache
def nullable(entity: str) -> frozenset[str]:
    """The fields of an import item that may be null (a blank cell clears them)."""
    schema = ImportDocumentSchema().fields[entity].inner.schema
    return frozenset(name for name, field in schema.fields.items() if field.allow_none)


def translate(table: Table, directory: Directory, options: Options) -> Translation:
    """The import document an ``okr`` sheet stands for."""
    out = Translation()
    at = _columns(table, out)
    if any(name not in at for name in REQUIRED):
        return out
    sheet = _Sheet(table, directory, options, out, at)
    for row in table.rows:
        sheet.row(row)
    return out


def _columns(table: Table, out: Translation) -> dict[str, int]:
    at: dict[str, int] = {}
    for index, title in enumerate(table.header):
        name = title.strip().lower().replace(" ", "_")
        if name in COLUMNS and name not in at:
            at[name] = index
        else:
            out.cell_warning(
                table.header_row, title, "unknown_column", f"Column {title!r} is not read; ignored."
            )
    for name in REQUIRED:
        if name not in at:
            out.cell_problem(
                table.header_row, name, "missing_column", f"The sheet needs a column {name!r}."
            )
    return at


class _Sheet:
    def __init__(self, table, directory, options, out, at):
        self.table, self.directory, self.out, self.at = table, directory, out, at
        self.formats = (options.date_format,) if options.date_format else ()
        self.new_teams: dict[str, str] = {}  # lowercased name -> ref
        self.new_people: dict[str, str] = {}  # lowercased email -> ref
        # For each node field the sheet has a column for: its name, the column's index, how
        # a cell is read, and whether a blank cell clears it (a missing column leaves the
        # field alone).
        clearable = nullable("nodes")
        readers = [
            *((name, _as_is) for name in NODE_TEXT),
            *((name, str.lower) for name in NODE_CODES),
            *((name, self._date) for name in DATES),
            *((name, number) for name in NODE_NUMBERS),
        ]
        self.plan = [
            (name, at[name], read, name in clearable) for name, read in readers if name in at
        ]

    def cell(self, row: Row, name: str) -> str:
        index = self.at.get(name)
        if index is None:
            return ""
        if row.formulas:  # a formula saved without its value is a problem of its cell
            return self.out.cell(row, index, name)
        return row.cells[index]

    def row(self, row: Row) -> None:
        kind = self.cell(row, "kind").lower().replace(" ", "_")
        if kind == KEY_RESULT:
            self.key_result(row)
        else:
            self.node(row, kind)

    def node(self, row: Row, kind: str) -> None:
        ref = self.cell(row, "ref")
        item: dict = {"ref": ref, "kind": kind}
        if row.formulas:  # each cell through ``cell``, which tells of formulas without values
            for name, _index, read, clearable in self.plan:
                value = self.cell(row, name)
                if value:
                    item[name] = read(value)
                elif clearable:
                    item[name] = None
        else:
            cells = row.cells
            for name, index, read, clearable in self.plan:
                value = cells[index]
                if value:
                    item[name] = read(value)
                elif clearable:
                    item[name] = None
        cell = self.cell
        self._put(item, None, "team", self.team(row, cell(row, "team")))
        self._put(item, None, "owner", self.owner(row, cell(row, "owner")))
        period = cell(row, "period")
        self._put(item, None, "period", self.directory.period_by_name.get(period.lower()) or period)
        add = self.out.add
        add("nodes", item, row, _NODE_COLUMNS)
        for column, link_type, origin in _LINK_COLUMNS:
            for target in split_refs(cell(row, column)):
                add("links", {"type": link_type, "source": ref, "target": target}, row, origin)

    def _date(self, cell: str) -> str:
        return iso_date(cell, self.formats)

    def key_result(self, row: Row) -> None:
        item: dict = {"ref": self.cell(row, "ref")}
        columns = {"ref": "ref", "goal": "parents"}
        goals = split_refs(self.cell(row, "parents"))
        if len(goals) != 1:
            self.out.cell_problem(
                row.number,
                "parents",
                "invalid_value",
                "A key result names exactly one goal in parents.",
            )
        item["goal"] = goals[0] if goals else ""
        for name in KR_TEXT:
            self._put(item, columns, name, self.cell(row, name), KRS)
        self._put(item, columns, "direction", self.cell(row, "direction").lower(), KRS)
        for name in KR_NUMBERS:
            value = self.cell(row, name)
            self._put(item, columns, name, value and number(value), KRS)
        self.out.add("key_results", item, row, columns)

    def team(self, row: Row, value: str) -> str:
        """The ref of the team a cell names (by ref or by name); a new name makes a team."""
        if not value or value in self.directory.team_refs:
            return value
        known = self.directory.team_by_name.get(value.lower()) or self.new_teams.get(value.lower())
        if known:
            return known
        self.new_teams[value.lower()] = value
        self.out.add("teams", {"ref": value, "name": value}, row, {"ref": "team", "name": "team"})
        return value

    def owner(self, row: Row, value: str) -> str:
        """The ref of the person a cell names (by ref or email); a new email makes a person."""
        if not value or value in self.directory.person_refs or "@" not in value:
            return value
        email = value.lower()
        known = self.directory.person_by_email.get(email) or self.new_people.get(email)
        if known:
            return known
        self.new_people[email] = value
        person = {"ref": value, "name": value.split("@", 1)[0], "email": value}
        self.out.add("people", person, row, {"ref": "owner", "name": "owner", "email": "owner"})
        return value

    def _put(
        self, item: dict, columns: dict | None, name: str, value, entity: str = "nodes"
    ) -> None:
        """Set a field from its cell (and its column in ``columns``, when given): a blank
        cell clears what may be cleared; a column the sheet does not have leaves the
        stored value alone."""
        if value == "" or value is None:
            if name not in self.at or name not in nullable(entity):
                return
            value = None
        item[name] = value
        if columns is not None:
            columns[name] = name
