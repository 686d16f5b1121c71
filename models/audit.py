"""The append-only audit trail and the graph revision every write bumps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Id, UtcDateTime, utcnow


class GraphState(Base):
    """One row: the revision of the data, bumped first thing by every write transaction.

    Bumping it takes a row lock, so writes are serialized (the link rules rely on this) and
    each process can tell, with one cheap read, whether its cached graph is current.
    """

    __tablename__ = "graph_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    # The revision of the last write to tokens, people or teams: what a caller is allowed
    # can only have changed then, so principals are cached until it moves.
    security_revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


AUDIT_ACTIONS = ("create", "update", "delete", "review", "revoke")
"""What an audit event records (part of the public API)."""

AUDIT_ENTITY_TYPES = (
    "node",
    "link",
    "key_result",
    "check_in",
    "team",
    "person",
    "period",
    "token",
    "restatement",
    "term",
    "definition",
)
"""What an audit event is about (part of the public API)."""


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The nodes an event concerns and whether any was hidden from some callers then:
    # callers who may not see a node never see its events.
    subject_node_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    other_node_id: Mapped[int | None] = mapped_column(BigInteger)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)
