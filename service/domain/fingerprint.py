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
    """SHA-256 over a canonical JSON of title, description and key-result targets."""
    targets = sorted([kr.metric, kr.direction, float(kr.target_value)] for kr in key_results)
    canonical = json.dumps(
        {"title": title, "description": description or "", "key_results": targets},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


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
