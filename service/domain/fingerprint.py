"""What a node's children align to, reduced to one hash (DOMAIN.md section 7)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CLARITY_FIELDS, KeyResult, Node

# The clarity fields (DOMAIN.md 13): what success changes, and for whom, is what children
# align to as much as the title is, so a change to them is one to review.
CLARITY = CLARITY_FIELDS


def stated_clarity(values: Any) -> dict[str, str]:
    """The clarity fields ``values`` (a mapping or a node) states: non-blank ones only."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name, None)
    found = {}
    for name in CLARITY:
        value = get(name)
        if value is not None and value.strip():
            found[name] = value
    return found


def fingerprint(
    title: str,
    description: str | None,
    key_results: Iterable[Any] = (),
    clarity: Mapping[str, str] | None = None,
) -> str:
    """SHA-256 over a canonical JSON of title, description, key-result targets and the
    clarity fields stated (``stated_clarity``).

    The JSON is that of ``json.dumps({"title", "description", "key_results", **clarity},
    sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, put together from its
    parts: a bulk import fingerprints every node, and the general encoder cost three times
    as much (``tests/test_fingerprint.py`` holds the two equal). A node that states no
    clarity field keeps the fingerprint it had before those fields existed.
    """
    targets = sorted([kr.metric, kr.direction, float(kr.target_value)] for kr in key_results)
    parts = [
        ("description", _string(description or "")),
        ("key_results", _TARGETS(targets) if targets else "[]"),
        ("title", _string(title)),
    ]
    if clarity:
        parts.extend((name, _string(value)) for name, value in clarity.items())
        parts.sort()
    canonical = "{" + ",".join(f'"{name}":{value}' for name, value in parts) + "}"
    return hashlib.sha256(canonical.encode()).hexdigest()


_string = json.encoder.encode_basestring  # the string encoder of ensure_ascii=False
_TARGETS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def fingerprint_image(
    title: str,
    description: str | None,
    key_results: Iterable[Any] = (),
    clarity: Mapping[str, str] | None = None,
) -> dict:
    """The parts of a node its fingerprint covers, to show a reviewer what changed.

    Every clarity field is named, null when not stated, so that clearing one shows too.
    """
    clarity = clarity or {}
    return {
        "title": title,
        "description": description,
        "key_results": sorted(
            (
                {"metric": kr.metric, "direction": kr.direction, "target_value": kr.target_value}
                for kr in key_results
            ),
            key=lambda item: (item["metric"], item["direction"], item["target_value"]),
        ),
        **{name: clarity.get(name) for name in CLARITY},
    }


def node_fingerprint(session: Session, node: Node) -> str:
    """The fingerprint of a stored node, its key results included."""
    with session.no_autoflush:  # one flush per change keeps the version step at one
        key_results = session.scalars(select(KeyResult).where(KeyResult.node_id == node.id)).all()
    return fingerprint(node.title, node.description, key_results, stated_clarity(node))
