"""Reading the audit trail (writing it is ``Changes.record``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import not_, or_, select
from sqlalchemy.orm import Session

from models import AuditEvent, Node
from service.auth.policy import visible
from service.auth.principal import Principal
from service.domain.common import page


def list_events(session: Session, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Events newest first, each filter usable alone or with the others.

    Callers other than admins never see events about nodes hidden from them, nor events
    recorded while a node they concern was not public, nor token events.
    """
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if not principal.is_admin:
        hidden = select(Node.id).where(not_(visible(principal, Node)))
        statement = statement.where(
            AuditEvent.restricted.is_(False),
            or_(AuditEvent.subject_node_id.is_(None), AuditEvent.subject_node_id.not_in(hidden)),
            or_(AuditEvent.other_node_id.is_(None), AuditEvent.other_node_id.not_in(hidden)),
            AuditEvent.entity_type != "token",
        )
    for name in ("entity_type", "entity_id", "actor"):
        if args.get(name) is not None:
            statement = statement.where(getattr(AuditEvent, name) == args[name])
    if args.get("since") is not None:
        statement = statement.where(AuditEvent.at >= args["since"])
    if args.get("until") is not None:
        statement = statement.where(AuditEvent.at < args["until"])
    return page(session, statement, args["limit"], args["offset"])
