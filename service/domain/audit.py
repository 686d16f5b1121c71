"""Reading the audit trail (writing it is ``Changes.record``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent
from service.domain.common import page


def list_events(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    """Events newest first, each filter usable alone or with the others."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    for name in ("entity_type", "entity_id", "actor"):
        if args.get(name) is not None:
            statement = statement.where(getattr(AuditEvent, name) == args[name])
    if args.get("since") is not None:
        statement = statement.where(AuditEvent.at >= args["since"])
    if args.get("until") is not None:
        statement = statement.where(AuditEvent.at < args["until"])
    return page(session, statement, args["limit"], args["offset"])
