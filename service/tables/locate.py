"""The import's answers traced back to cells: ``{"row", "column", "code", "detail"}``.

The import names what is wrong by entity index and field (``nodes.3.title``) when a value
is malformed, and by refs when a rule is broken (a link's two ends, a cycle's nodes). A
:class:`Locator` knows which row and column each item and field came from.
"""

from __future__ import annotations

from functools import cached_property
from itertools import pairwise
from typing import Any

from service.tables.translation import Origin, Translation

__all__ = ["Locator"]

# Where a rule about one node or key result points when no cell names the other refs.
CODE_COLUMNS = {
    "duplicate_ref": "ref",
    "date_order": "due_date",
    "empty_span": "target_value",
    "direction_mismatch": "direction",
    "key_results_on_goals_only": "goal",
    "standalone_reason_required": "standalone_reason",
    # A stored link broken by the node's new kind: the kind is what changed.
    "level": "kind",
    "mission_parent": "kind",
    "kind_change": "kind",
}
# Which entities a ref is looked up in, in this order.
BY_REF = ("nodes", "key_results", "teams", "people", "periods")


class Locator:
    """Finds the row and column behind a problem. Its indexes by link and by ref are built
    on the first broken rule it is asked about: a sheet that breaks none pays nothing."""

    def __init__(self, translation: Translation):
        self.origins = translation.origins
        self.documents = translation.document

    @cached_property
    def links(self) -> dict[tuple[str, str], list[Origin]]:
        found: dict[tuple[str, str], list[Origin]] = {}
        for item, origin in zip(self.documents["links"], self.origins["links"], strict=True):
            found.setdefault((item["source"], item["target"]), []).append(origin)
        return found

    @cached_property
    def rows(self) -> dict[str, dict[str, list[tuple[dict, Origin]]]]:
        found: dict[str, dict[str, list[tuple[dict, Origin]]]] = {}
        for entity in BY_REF:
            rows: dict[str, list[tuple[dict, Origin]]] = {}
            for item, origin in zip(self.documents[entity], self.origins[entity], strict=True):
                rows.setdefault(item.get("ref", ""), []).append((item, origin))
            found[entity] = rows
        return found

    def field_error(self, key: str, messages: Any) -> dict[str, Any]:
        """A problem for one malformed value, from a key such as ``nodes.3.title``."""
        entity, _, rest = key.partition(".")
        index, _, name = rest.partition(".")
        detail = "; ".join(_messages(messages))
        origins = self.origins.get(entity)
        if origins is None or not index.isdigit() or int(index) >= len(origins):
            return {"row": 1, "column": None, "code": "invalid_value", "detail": detail}
        origin = origins[int(index)]
        column = origin.columns.get(name, name or None)
        return {
            "row": origin.row.number,
            "column": column,
            "code": "invalid_value",
            "detail": detail,
        }

    def violation(self, violation: dict[str, Any]) -> dict[str, Any]:
        """A problem for one broken rule, at the cell that made it."""
        code, refs = violation["code"], violation.get("refs", [])
        found = self._link(code, refs) or self._item(code, refs, violation.get("field"))
        row, column = found if found else (1, None)
        return {"row": row, "column": column, "code": code, "detail": violation["detail"]}

    def _link(self, code: str, refs: list[str]):
        if len(refs) == 1:  # a node linked to itself
            refs = [refs[0], refs[0]]
        pairs = list(pairwise(refs)) + ([(refs[-1], refs[0])] if len(refs) > 2 else [])
        for pair in pairs:
            origins = self.links.get(pair)
            if origins:
                origin = origins[-1] if code == "duplicate" else origins[0]
                return origin.row.number, origin.columns["target"]
        return None

    def _item(self, code: str, refs: list[str], field: str | None = None):
        for ref in refs:
            for entity in BY_REF:
                matches = self.rows[entity].get(ref)
                if not matches:
                    continue
                item, origin = matches[-1] if code == "duplicate_ref" else matches[0]
                others = set(refs) - {ref}
                for name, column in origin.columns.items():
                    if name != "ref" and item.get(name) in others:
                        return origin.row.number, column
                default = CODE_COLUMNS.get(code) or field or "ref"
                return origin.row.number, origin.columns.get(default, default)
        return None


def _messages(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _messages(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in _messages(value)]
    return [str(messages)]
