"""Restatements: "what did you hear?", a node said back in a person's own words (DOMAIN.md 13).

Any person may restate any node they can see, once: a second restatement replaces the
first. Each is listed beside the node's own statement, with who said it and when.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CLARITY_FIELDS, Node, Person, Restatement
from service.auth.policy import Forbidden, require_visible
from service.auth.principal import Principal
from service.domain.changes import Changes, snapshot
from service.domain.common import get_or_404
from service.domain.errors import DomainError, NotFound
from service.domain.rules import restatement_problem
from service.graph.clarity import agreement


def restate(changes: Changes, node_id: int, text: str) -> tuple[Restatement, bool]:
    """The caller's restatement of the node, new or replacing theirs; (row, created)."""
    changes.begin()
    session = changes.session
    node = get_or_404(session, Node, node_id)
    require_visible(changes.principal, node)
    person_id = changes.principal.person_id
    problem = restatement_problem(person_id)
    if problem is not None:
        raise problem.error()
    held = session.scalar(
        select(Restatement).where(
            Restatement.node_id == node_id, Restatement.person_id == person_id
        )
    )
    if held is None:
        held = Restatement(node_id=node_id, person_id=person_id, text=text)
        session.add(held)
        session.flush()
        changes.record("create", "restatement", held.id, None, snapshot(held), [node])
        return held, True
    if held.text != text:
        before = snapshot(held)
        held.text = text
        session.flush()
        changes.record("update", "restatement", held.id, before, snapshot(held), [node])
    return held, False


def withdraw(changes: Changes, node_id: int, restatement_id: int) -> None:
    """Delete a restatement: one's own; an admin may delete anyone's."""
    changes.begin()
    session = changes.session
    node = get_or_404(session, Node, node_id)
    require_visible(changes.principal, node)
    held = session.get(Restatement, restatement_id)
    if held is None or held.node_id != node_id:
        raise NotFound("Restatement", restatement_id)
    principal = changes.principal
    if not principal.is_admin and held.person_id != principal.person_id:
        raise Forbidden("A restatement is deleted by the person who made it (or an admin).")
    changes.record("delete", "restatement", held.id, snapshot(held), None, [node])
    session.delete(held)
    session.flush()


def restatements_of(
    session: Session, node_id: int, args: dict[str, Any], principal: Principal
) -> dict[str, Any]:
    """The node's own statement beside a page of its restatements, and their agreement."""
    node = get_or_404(session, Node, node_id)
    require_visible(principal, node)
    rows = session.execute(
        select(Restatement, Person.name)
        .join(Person, Person.id == Restatement.person_id)
        .where(Restatement.node_id == node_id)
        .order_by(Restatement.id)
    ).all()
    items = [_item(row, name) for row, name in rows]
    limit, offset = args["limit"], args["offset"]
    return {
        "statement": {
            "id": node.id,
            "kind": node.kind,
            "title": node.title,
            "description": node.description,
            **{name: getattr(node, name) for name in CLARITY_FIELDS},
        },
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "agreement": agreement(tuple(sorted(item["text"] for item in items))),
    }


def _item(row: Restatement, person_name: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "node_id": row.node_id,
        "person_id": row.person_id,
        "person_name": person_name,
        "text": row.text,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def restatement_item(session: Session, row: Restatement) -> dict[str, Any]:
    """One restatement as the API answers it."""
    person = session.get(Person, row.person_id)
    return _item(row, person.name if person is not None else "")


__all__ = ["DomainError", "restate", "restatement_item", "restatements_of", "withdraw"]
