"""The ``jira`` and ``linear`` layouts: a tracker's CSV export read as it comes.

Each issue becomes a node (ref = its key). Its parent issue becomes a ``supports`` link, and
so does each label ``goal:REF``; an issue with neither arrives unlinked, and so shows up as
an orphan, which is the point. Columns the layout does not use are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.tables.read import Row, Table
from service.tables.translation import Directory, Options, Translation, iso_date, split_refs

__all__ = ["JIRA", "LINEAR", "Tracker", "translate"]

GOAL_LABEL = "goal:"
CANCELLING_RESOLUTIONS = frozenset(
    {"won't do", "won't fix", "duplicate", "cannot reproduce", "cancelled", "canceled"}
)
MAX_TITLE = 200


@dataclass(frozen=True)
class Tracker:
    """Where a tracker's export keeps each field, and how it words statuses and dates."""

    name: str
    key: str
    title: str
    parents: tuple[str, ...]  # columns naming the parent by key
    parent_ids: tuple[str, ...]  # columns naming the parent by the tracker's own id
    issue_id: str | None
    kind: str | None
    status: str
    due: str
    assignee: str
    labels: str
    label_separator: str | None  # None: one label a cell, in repeated columns
    done: frozenset[str]
    cancelled: frozenset[str]
    kinds: dict[str, str]
    date_formats: tuple[str, ...]
    resolution: str | None = None  # "Won't Do" or "Duplicate" there cancels a closed item
    category: str | None = None  # a status of category Done is done, whatever its name


JIRA = Tracker(
    name="jira",
    key="Issue key",
    title="Summary",
    parents=("Parent key", "Parent", "Custom field (Epic Link)"),
    parent_ids=("Parent id", "Parent"),
    issue_id="Issue id",
    kind="Issue Type",
    status="Status",
    due="Due date",
    assignee="Assignee",
    labels="Labels",
    label_separator=None,
    done=frozenset({"done", "closed", "resolved"}),
    cancelled=frozenset({"won't do", "cancelled", "canceled"}),
    kinds={"initiative": "strategy"},
    date_formats=(
        "%d/%b/%y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%y",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%Y",
    ),
    resolution="Resolution",
    category="Status Category",
)
LINEAR = Tracker(
    name="linear",
    key="ID",
    title="Title",
    parents=("Parent issue",),
    parent_ids=(),
    issue_id=None,
    kind=None,
    status="Status",
    due="Due Date",
    assignee="Assignee",
    labels="Labels",
    label_separator=",",
    done=frozenset({"done"}),
    cancelled=frozenset({"canceled", "cancelled", "duplicate"}),
    kinds={},
    date_formats=("%a %b %d %Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
)


def translate(
    tracker: Tracker, table: Table, directory: Directory, options: Options
) -> Translation:
    """The import document a tracker's export stands for."""
    out = Translation()
    for name in (tracker.key, tracker.title):
        if not table.columns(name):
            out.cell_problem(
                table.header_row,
                name,
                "missing_column",
                f"A {tracker.name} export has a column {name!r}.",
            )
    if out.problems:
        return out
    reader = _Export(tracker, table, directory, options, out)
    for row in table.rows:
        reader.row(row)
    return out


class _Export:
    def __init__(self, tracker, table, directory, options, out):
        self.tracker, self.table, self.directory, self.out = tracker, table, directory, out
        self.kinds = {**tracker.kinds, **options.kinds}
        formats = (options.date_format,) if options.date_format else ()
        self.formats = formats + tracker.date_formats
        keys = self._first(tracker.key)
        ids = self._first(tracker.issue_id) if tracker.issue_id else None
        self.by_id = (
            {row.cells[ids]: row.cells[keys] for row in table.rows if row.cells[ids]}
            if ids is not None
            else {}
        )

    def _first(self, name: str) -> int | None:
        found = self.table.columns(name)
        return found[0] if found else None

    def cell(self, row: Row, name: str | None) -> str:
        index = self._first(name) if name else None
        return self.out.cell(row, index, name)

    def row(self, row: Row) -> None:
        t = self.tracker
        ref = self.cell(row, t.key)
        issue_type = self.cell(row, t.kind)
        kind = self.kinds.get(issue_type.lower(), "work")
        item = {"ref": ref, "title": self.title(row), "kind": kind}
        columns = {"ref": t.key, "title": t.title, "kind": t.kind or t.key}
        item["status"] = self.status(row)
        columns["status"] = t.status
        if self.table.columns(t.due):
            due = self.cell(row, t.due)
            item["due_date"] = iso_date(due, self.formats) if due else None
            columns["due_date"] = t.due
        if self.table.columns(t.assignee):
            owner = self.owner(row)
            if owner != "":  # "": an assignee nobody here matches; the stored owner stays
                item["owner"] = owner
                columns["owner"] = t.assignee
        self.out.add("nodes", item, row, columns)
        for target, column in self.parents(row):
            link = {"type": "supports", "source": ref, "target": target}
            self.out.add("links", link, row, {"source": t.key, "target": column})

    def title(self, row: Row) -> str:
        """The summary, cut to the length a title may have (trackers allow longer ones)."""
        title = self.cell(row, self.tracker.title)
        if len(title) <= MAX_TITLE:
            return title
        self.out.cell_warning(
            row.number,
            self.tracker.title,
            "title_shortened",
            f"The title has {len(title)} characters; its first {MAX_TITLE - 1} are kept.",
        )
        return title[: MAX_TITLE - 1] + "\u2026"

    def status(self, row: Row) -> str:
        t = self.tracker
        status = self.cell(row, t.status).lower()
        category = self.cell(row, t.category).lower()
        closed = status in t.done or category == "done"
        if status in t.cancelled or (
            closed and self.cell(row, t.resolution).lower() in CANCELLING_RESOLUTIONS
        ):
            return "cancelled"
        return "done" if closed else "active"

    def parents(self, row: Row):
        """Each parent's key with the column it came from: parent columns hold a key, or
        (Jira) the parent's issue id, matched to the ``Issue id`` of a row of this file."""
        t, found = self.tracker, {}
        for column in dict.fromkeys(t.parents + t.parent_ids):
            value = self.cell(row, column)
            if not value:
                continue
            if value in self.by_id:
                found.setdefault(self.by_id[value], column)
            elif t.issue_id and value.isdigit():
                self.out.cell_warning(
                    row.number,
                    column,
                    "unknown_parent",
                    f"No issue with id {value} is in this file; export the parent with it.",
                )
            elif column in t.parents:
                found.setdefault(value, column)
        for index in self.table.columns(t.labels):
            cell = row.cells[index]
            labels = split_refs(cell, t.label_separator) if t.label_separator else [cell]
            for label in labels:
                if label.lower().startswith(GOAL_LABEL) and label[len(GOAL_LABEL) :].strip():
                    found.setdefault(label[len(GOAL_LABEL) :].strip(), t.labels)
        return found.items()

    def owner(self, row: Row) -> str | None:
        """The assignee's ref; None when unassigned, "" when nobody here matches."""
        name = self.cell(row, self.tracker.assignee)
        if not name:
            return None
        d = self.directory
        ref = d.person_by_email.get(name.lower()) or d.person_by_name.get(name.lower())
        if ref is None:
            self.out.cell_warning(
                row.number,
                self.tracker.assignee,
                "unmatched_assignee",
                f"No person with the email or name {name!r}; the item keeps its owner.",
            )
            return ""
        return ref
