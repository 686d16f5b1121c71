"""What a node's children align to, reduced to one hash (DOMAIN.md section 7)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import KeyResult, Node


def fingerprint(title: str, description: str | None, key_results: Iterable[Any] = ()) -> str:
    """SHA-256 over a canonical JSON of title, description and key-result targets.

    The JSON is that of ``json.dumps({"title", "description", "key_results"},
    sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, put together from its
    parts: a bulk import fingerprints every node, and the general encoder cost three times
    as much (``tests/test_fingerprint.py`` holds the two equal).
    """
    targets = sorted([kr.metric, kr.direction, float(kr.target_value)] for kr in key_results)
    canonical = (
        '{"description":'
        + _string(description or "")
        + ',"key_results":'
        + (_TARGETS(targets) if targets else "[]")
        + ',"title":'
        + _string(title)
        + "}"
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


_string = json.encoder.encode_basestring  # the string encoder of ensure_ascii=False
_TARGETS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def fingerprint_image(title: str, description: str | None, key_results: Iterable[Any] = ()) -> dict:
    """The parts of a node its fingerprint covers, to show a reviewer what changed."""
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
    }


def node_fingerprint(session: Session, node: Node) -> str:
    """The fingerprint of a stored node, its key results included."""
    with session.no_autoflush:  # one flush per change keeps the version step at one
        key_results = session.scalars(select(KeyResult).where(KeyResult.node_id == node.id)).all()
    return fingerprint(node.title, node.description, key_results)
