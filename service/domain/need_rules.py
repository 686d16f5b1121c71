"""The rules of market needs (DOMAIN.md section 10), as pure functions.

Each returns a ``Problem`` (a stable code, a sentence, and the field at fault when there
is one) or ``None``. The API operations and the import planner both call them, so a rule
and its code live here only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from models.alignment import NEED_TYPES
from service.graph.codes import SERVING_KINDS

__all__ = ["NEED_FIELDS", "SERVING_KINDS", "Problem", "link_kind_problem", "need_fields_problem"]

NEED_FIELDS = ("segment", "need_type")
"""Fields only a need takes."""


class Problem(NamedTuple):
    code: str
    detail: str
    field: str | None = None


def need_fields_problem(data: Mapping[str, Any]) -> Problem | None:
    """A need must say its ``need_type``; no other kind takes ``segment`` or ``need_type``.

    >>> need_fields_problem({"kind": "need", "need_type": "functional"}) is None
    True
    >>> need_fields_problem({"kind": "need"}).code
    'need_type_required'
    >>> need_fields_problem({"kind": "goal", "segment": "Families"}).code
    'need_fields'
    """
    if data.get("kind") == "need":
        if data.get("need_type") not in NEED_TYPES:
            return Problem(
                "need_type_required",
                f"A need says whether it is {' or '.join(NEED_TYPES)} (need_type).",
                "need_type",
            )
        return None
    for name in NEED_FIELDS:
        if data.get(name) is not None:
            return Problem(
                "need_fields", f"Only needs take {name}; a {data.get('kind')} does not.", name
            )
    return None


def link_kind_problem(link_type: str, source_kind: str, target_kind: str) -> Problem | None:
    """Whether a link of ``link_type`` may join a ``source_kind`` to a ``target_kind``.

    Only ``serves`` links touch needs, and each joins a vision, strategy or goal to a need.
    The level rules of ``supports`` links are checked apart (they need no need).

    >>> link_kind_problem("serves", "vision", "need") is None
    True
    >>> link_kind_problem("serves", "work", "need").code
    'serves_kind'
    >>> link_kind_problem("supports", "need", "vision").code
    'need_link'
    """
    if link_type == "serves":
        if source_kind not in SERVING_KINDS or target_kind != "need":
            return Problem(
                "serves_kind",
                f"A serves link joins a vision, strategy or goal to a need, not a "
                f"{source_kind} to a {target_kind}.",
            )
        return None
    if "need" in (source_kind, target_kind):
        return Problem(
            "need_link",
            f"A need takes part in serves links only, not in {link_type} links.",
        )
    return None
