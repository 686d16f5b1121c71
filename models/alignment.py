"""The alignment graph: nodes (mission to work) and the links between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Id, UtcDateTime, utcnow

CHAIN_KINDS = ("mission", "vision", "strategy", "goal", "work")
# A need (DOMAIN.md section 10) sits outside the chain: it has no level.
KINDS = (*CHAIN_KINDS, "need")
LEVELS = {kind: level for level, kind in enumerate(CHAIN_KINDS)}
NEED_TYPES = ("functional", "psychological")
STATUSES = ("draft", "active", "done", "cancelled", "archived")
LIVE = frozenset({"draft", "active"})
INACTIVE = frozenset({"cancelled", "archived"})
VISIBILITIES = ("public", "team", "private")
LINK_TYPES = ("supports", "depends_on", "conflicts_with", "serves")
CLARITY_FIELDS = ("user_outcome", "business_outcome", "target_group", "measure")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Node(Base):
    __tablename__ = "nodes"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(Id, ForeignKey("teams.id"), index=True)
    period_id: Mapped[int | None] = mapped_column(Id, ForeignKey("periods.id"), index=True)
    ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    standalone: Mapped[bool] = mapped_column(Boolean, default=False)
    standalone_reason: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    reported_progress: Mapped[float | None] = mapped_column(Float)
    # Needs only: who has the need, and whether it is functional or psychological.
    segment: Mapped[str | None] = mapped_column(String(200))
    need_type: Mapped[str | None] = mapped_column(String(16))
    # Clarity (DOMAIN.md section 13): what success changes, for whom, and how it is measured.
    user_outcome: Mapped[str | None] = mapped_column(Text)
    business_outcome: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)
    # Overruns (DOMAIN.md section 14): one currency for the company; done_at set by the service.
    budget: Mapped[float | None] = mapped_column(Float)
    spent: Mapped[float | None] = mapped_column(Float)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # SHA-256 of what children align to (DOMAIN.md section 7); links remember the one they saw.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("visibility", VISIBILITIES), name="visibility"),
        CheckConstraint(
            f"need_type IS NULL OR {_one_of('need_type', NEED_TYPES)}", name="need_type"
        ),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget"),
        CheckConstraint("spent IS NULL OR spent >= 0", name="spent"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def level(self) -> int | None:
        return LEVELS.get(self.kind)


class Link(Base):
    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(Id, ForeignKey("nodes.id"), index=True)
    target_id: Mapped[int] = mapped_column(Id, ForeignKey("nodes.id"), index=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    rationale: Mapped[str | None] = mapped_column(Text)
    # The target's fingerprint when the link was made or last reviewed.
    reviewed_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # What the target looked like then, so a reviewer sees what changed since.
    reviewed_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    restatement: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    target: Mapped[Node] = relationship(foreign_keys=[target_id], lazy="joined", viewonly=True)

    __table_args__ = (
        UniqueConstraint("type", "source_id", "target_id"),
        CheckConstraint(_one_of("type", LINK_TYPES), name="type"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("weight >= 0 AND weight <= 1", name="weight"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def suspect(self) -> bool:
        """The target changed (title, description, key-result targets) since the last review."""
        return self.type == "supports" and self.reviewed_fingerprint != self.target.fingerprint


class Restatement(Base):
    """A person's own words for what a node means ("what did you hear?", DOMAIN.md 13)."""

    __tablename__ = "restatements"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    node_id: Mapped[int] = mapped_column(Id, ForeignKey("nodes.id"), index=True)
    person_id: Mapped[int] = mapped_column(Id, ForeignKey("people.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("node_id", "person_id"),)
