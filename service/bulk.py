"""Import documents outside the web service: into a database, or into a scratch one.

``throughline import`` and ``throughline check --import`` run the same import as
``POST /api/v1/import`` (the same schema, the same domain operation, all or nothing), on a
plain SQLAlchemy session: no Flask app to build, no request to fake.

A scratch database is SQLite in memory, its schema created from the models. That is the
schema the migrations build (``tests/test_migrations.py`` holds them equal on both
databases) plus the one row the first migration seeds. Made so it costs about 0.02 s of
CPU; through Alembic (its import and the migrations) it cost 0.16 s, a quarter of a
one-shot check's budget at 1,000 items.
"""

from __future__ import annotations

import json
from typing import IO, Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from models import Base, GraphState
from models.database import make_engine

SCRATCH_URL = "sqlite://"


class DocumentError(ValueError):
    """The document is not JSON, or not an import document."""


def read_document(stream: IO[bytes]) -> dict[str, list[dict[str, Any]]]:
    """The import document in ``stream``, checked for shape; raise DocumentError."""
    from marshmallow import ValidationError

    from service.schemas.imports import load_document

    try:
        return load_document(json.load(stream))
    except (ValueError, ValidationError) as error:
        raise DocumentError(f"The document is not valid: {error}") from None


def apply_document(
    engine: Engine, document: dict[str, list[dict[str, Any]]], actor: str, dry_run: bool = False
) -> dict[str, Any]:
    """Import ``document`` in one transaction, committed when it is valid; the import's report."""
    from service.auth.principal import Principal
    from service.domain.changes import Changes
    from service.domain.imports import import_document

    with Session(engine, expire_on_commit=False) as session:
        changes = Changes(session, Principal.system(actor))
        report = import_document(changes, document, dry_run=dry_run)
        if report["applied"]:
            session.commit()
        else:
            session.rollback()
    return report


def scratch_engine() -> Engine:
    """An empty Throughline database in memory, at the code's latest schema.

    It lives as long as the engine: every checkout gets the same one connection.
    """
    engine = make_engine(SCRATCH_URL, poolclass=StaticPool, pool_pre_ping=False)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        # What the first migration seeds: the one revision row every write bumps.
        connection.execute(insert(GraphState).values(id=1, revision=0, security_revision=0))
    return engine
