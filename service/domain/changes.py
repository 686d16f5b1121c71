"""The write transaction of a request: one revision bump, then an audit event per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from models import AuditEvent, GraphState
from models.audit import AUDIT_ACTIONS, AUDIT_ENTITY_TYPES
from service.auth.principal import Principal

# Entities a caller's principal is made of (its token, its person, that person's teams).
SECURITY_ENTITIES = frozenset({"token", "person", "team"})


class Changes:
    """Collects the writes of one transaction.

    ``begin()`` bumps the graph revision before anything else is read: the row lock it takes
    serializes every writer (the link rules depend on that), and the new revision tells each
    process that its cached graph is out of date once the transaction commits.
    """

    def __init__(self, session: Session, principal: Principal):
        self.session = session
        self.principal = principal
        self.actor = principal.actor
        self.revision: int | None = None
        self._security_marked = False

    def begin(self) -> int:
        if self.revision is None:
            self.session.execute(update(GraphState).values(revision=GraphState.revision + 1))
            self.revision = self.session.scalar(select(GraphState.revision))
        return self.revision

    def mark_security_change(self) -> None:
        """Callers may be other than they were: cached principals are looked up again."""
        if not self._security_marked:
            self.session.execute(update(GraphState).values(security_revision=self.begin()))
            self._security_marked = True

    def record(
        self,
        action: str,
        entity_type: str,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        nodes: Sequence[Any] = (),
    ) -> None:
        """Append one audit event; it commits or rolls back with the change itself.

        ``nodes`` are the nodes the event concerns (the node; a link's source and target; a
        key result's goal): callers who cannot see one of them never see the event.
        """
        if action not in AUDIT_ACTIONS or entity_type not in AUDIT_ENTITY_TYPES:
            # Both are enums of the public API: a new one is added there first.
            raise ValueError(f"unlisted audit event: {action} {entity_type}")
        if entity_type in SECURITY_ENTITIES:
            self.mark_security_change()
        images = [image for image in (before, after) if image and entity_type == "node"]
        restricted = any(node.visibility != "public" for node in nodes) or any(
            image.get("visibility", "public") != "public" for image in images
        )
        self.session.add(
            AuditEvent(
                revision=self.begin(),
                actor=self.actor,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                before=before,
                after=after,
                subject_node_id=nodes[0].id if nodes else None,
                other_node_id=nodes[1].id if len(nodes) > 1 else None,
                restricted=restricted,
            )
        )


def columns(entity: Any) -> dict[str, Any]:
    """The entity's column values by attribute name."""
    return {attr.key: getattr(entity, attr.key) for attr in inspect(entity).mapper.column_attrs}


def snapshot(entity: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready image of an entity's columns, for the audit trail."""
    image = {
        key: value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
        for key, value in columns(entity).items()
    }
    if extra:
        image.update(extra)
    return image
