"""The shared language (DOMAIN.md section 12): glossary terms and each team's definition."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Id, UtcDateTime, utcnow


class Term(Base):
    """A word the company uses; ``name`` and ``aliases`` are unique across terms ignoring case."""

    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The name folded for comparison (casefold): unique, so two terms never share a name.
    name_key: Mapped[str] = mapped_column(String(400), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    metrics: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class Definition(Base):
    """What a term means to one team (``team_id``), or to the whole company (null)."""

    __tablename__ = "definitions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    term_id: Mapped[int] = mapped_column(Id, ForeignKey("terms.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(Id, ForeignKey("teams.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    # Company-wide definitions (team null) are kept one per term by the writer, under the
    # write lock every change takes; the constraint covers the teams.
    __table_args__ = (UniqueConstraint("term_id", "team_id"),)
    __mapper_args__ = {"version_id_col": version}
