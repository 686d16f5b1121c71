"""The query behind suspect links (DOMAIN.md 7), on the models alone.

Kept apart from ``review`` so that the graph store, and the commands that build a graph
without the web service, load no more than SQLAlchemy and the models for it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from models import Link, Node


def suspect_statement(args: dict[str, Any] | None = None, *columns) -> Select:
    """Supports links whose target's fingerprint moved since the link's last review."""
    args = args or {}
    source, target = aliased(Node), aliased(Node)
    statement = (
        select(*(columns or (Link,)))
        .select_from(Link)
        .join(source, Link.source_id == source.id)
        .join(target, Link.target_id == target.id)
        .where(Link.type == "supports", Link.reviewed_fingerprint != target.fingerprint)
        .order_by(Link.id)
    )
    if args.get("owner_id") is not None:
        statement = statement.where(source.owner_id == args["owner_id"])
    if args.get("team_id") is not None:
        statement = statement.where(source.team_id == args["team_id"])
    return statement
