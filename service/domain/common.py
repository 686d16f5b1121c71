"""Pieces every domain operation uses: lookups, preconditions, paging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.auth.policy import can_see
from service.domain.errors import MAX_ID, DomainError, NotFound, PreconditionFailed

T = TypeVar("T")

ENTITY_NAMES = {
    "Node": "Node",
    "Link": "Link",
    "Team": "Team",
    "Person": "Person",
    "Period": "Period",
    "KeyResult": "Key result",
}


def get_or_404(session: Session, model: type[T], entity_id: int) -> T:
    """Load one entity or raise a 404 problem."""
    valid = 0 < entity_id <= MAX_ID
    entity = session.get(model, entity_id) if valid else None
    if entity is None:
        raise NotFound(ENTITY_NAMES.get(model.__name__, model.__name__), entity_id)
    return entity


def etag(entity: Any) -> str:
    """The strong ETag of an entity's current version."""
    return f'"{entity.version}"'


def check_if_match(entity: Any, if_match: Any) -> None:
    """Refuse (412) a change made against an older version than the stored one.

    ``if_match`` is werkzeug's parsed ``If-Match`` header; an absent header asks for nothing.
    """
    if if_match is None or (not if_match and not if_match.star_tag):
        return
    if not if_match.contains(etag(entity).strip('"')):
        raise PreconditionFailed(
            f"The resource is at version {entity.version}; the request was made against another."
        )


def require_existing(session: Session, references: Iterable[tuple[str, type, int | None]]) -> None:
    """Refuse (422) references to entities that do not exist, naming each field."""
    missing = {
        field: [f"No {ENTITY_NAMES.get(model.__name__, model.__name__).lower()} has id {value}."]
        for field, model, value in references
        if value is not None and session.get(model, value) is None
    }
    if missing:
        raise DomainError(
            "unknown_reference",
            "The request refers to entities that do not exist: " + ", ".join(sorted(missing)) + ".",
            errors=missing,
        )


def shown_ids(session: Session, principal: Any, node_ids: Iterable[int]) -> list[int]:
    """The ids among ``node_ids`` of nodes the caller may see: what an answer may name."""
    from models import Node

    return [i for i in node_ids if can_see(principal, session.get(Node, i))]


def page(session: Session, statement: Select, limit: int, offset: int) -> dict[str, Any]:
    """One page of ``statement`` plus the total count of its rows."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = session.scalars(statement.limit(limit).offset(offset)).all()
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def title_search(column, text: str):
    """Case-insensitive containment, with LIKE wildcards in ``text`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
