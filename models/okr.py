"""Key results of goals and the check-ins that move them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Id, UtcDateTime, utcnow

DIRECTIONS = ("increase", "decrease")


class KeyResult(Base):
    __tablename__ = "key_results"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    node_id: Mapped[int] = mapped_column(Id, ForeignKey("nodes.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(200), index=True)
    unit: Mapped[str | None] = mapped_column(String(50))
    direction: Mapped[str] = mapped_column(String(16))
    start_value: Mapped[float] = mapped_column(Float)
    target_value: Mapped[float] = mapped_column(Float)
    current_value: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    confidence: Mapped[float | None] = mapped_column(Float)
    last_check_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("direction IN ('increase', 'decrease')", name="direction"),
        CheckConstraint("start_value <> target_value", name="span"),
    )
    __mapper_args__ = {"version_id_col": version}


class CheckIn(Base):
    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key_result_id: Mapped[int] = mapped_column(Id, ForeignKey("key_results.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
