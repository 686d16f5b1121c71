"""The ``csv`` export: the graph in the ``okr`` spreadsheet layout (DOMAIN.md 16 and 17).

No id column: each row is keyed by its ``ref``, and a node without one is written as
``node-<id>`` (a key result without one as ``key-result-<id>``), so the file imports back
with the ``okr`` layout and exports again byte for byte. A hidden node is a row with only
its placeholder ref and kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["OKR_COLUMNS", "node_ref", "to_okr_csv"]

OKR_COLUMNS = (
    "ref",
    "kind",
    "title",
    "parents",
    "serves",
    "status",
    "team",
    "owner",
    "period",
    "start_date",
    "due_date",
    "description",
    "visibility",
    "user_outcome",
    "business_outcome",
    "target_group",
    "measure",
    "budget",
    "spent",
    "segment",
    "need_type",
    "metric",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "weight",
)
_FIRST_KR_COLUMN = OKR_COLUMNS.index("metric")
NODE_FIELDS = OKR_COLUMNS[OKR_COLUMNS.index("status") : _FIRST_KR_COLUMN]
KEY_RESULT_FIELDS = ("title", *OKR_COLUMNS[_FIRST_KR_COLUMN:])


def node_ref(node: Mapping[str, Any]) -> str:
    """The ref a node is written with: its own, or ``node-<id>`` (always, when hidden).

    Examples
    --------
    >>> node_ref({"id": 7, "ref": "JIRA-1"}), node_ref({"id": 7, "ref": None})
    ('JIRA-1', 'node-7')
    >>> node_ref({"id": 7, "kind": "goal", "redacted": True})
    'node-7'
    """
    if node.get("redacted") or not node.get("ref"):
        return f"node-{node['id']}"
    return node["ref"]


def to_okr_csv(
    nodes: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    key_results: Iterable[Mapping[str, Any]] = (),
) -> str:
    """Nodes (by id), then key results (by id), as ``okr`` rows with a header.

    ``nodes`` hold the columns by name (``team``, ``owner`` and ``period`` already as the
    name or ref to write); ``links`` give each node's ``parents`` (supports targets) and
    ``serves`` (serves targets), in link id order.

    Examples
    --------
    >>> nodes = [
    ...     {"id": 1, "ref": "M", "kind": "mission", "title": "Win", "status": "active"},
    ...     {"id": 2, "ref": None, "kind": "goal", "title": "Grow, fast", "status": "draft"},
    ... ]
    >>> links = [{"id": 3, "type": "supports", "source_id": 2, "target_id": 1}]
    >>> print(to_okr_csv(nodes, links).splitlines()[2])
    node-2,goal,"Grow, fast",M,,draft,,,,,,,,,,,,,,,,,,,,,,
    """
    nodes = sorted(nodes, key=lambda node: node["id"])
    refs = {node["id"]: node_ref(node) for node in nodes}
    targets: dict[tuple[int, str], list[str]] = {}
    for link in sorted(links, key=lambda link: link["id"]):
        if link["target_id"] in refs and link["type"] in ("supports", "serves"):
            key = (link["source_id"], link["type"])
            targets.setdefault(key, []).append(refs[link["target_id"]])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OKR_COLUMNS)
    for node in nodes:
        row = {"ref": refs[node["id"]], "kind": node["kind"]}
        if not node.get("redacted"):
            row["title"] = node.get("title")
            row["parents"] = ";".join(targets.get((node["id"], "supports"), ()))
            row["serves"] = ";".join(targets.get((node["id"], "serves"), ()))
            row.update((name, node.get(name)) for name in NODE_FIELDS)
        writer.writerow([_cell(row.get(column)) for column in OKR_COLUMNS])
    for kr in sorted(key_results, key=lambda kr: kr["id"]):
        if kr["node_id"] not in refs:
            continue
        row = {
            "ref": kr.get("ref") or f"key-result-{kr['id']}",
            "kind": "key_result",
            "parents": refs[kr["node_id"]],
            **{name: kr.get(name) for name in KEY_RESULT_FIELDS},
        }
        writer.writerow([_cell(row.get(column)) for column in OKR_COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    """One cell's text: numbers without a needless ``.0``, dates in ISO 8601.

    Examples
    --------
    >>> [_cell(v) for v in (None, 3.0, 0.25, True, dt.date(2026, 12, 1), "x")]
    ['', '3', '0.25', 'true', '2026-12-01', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
