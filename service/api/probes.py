"""``/healthz`` and ``/readyz`` for orchestrators (outside the versioned API)."""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy.exc import SQLAlchemyError

from models import migrate
from service.db import database
from service.errors import problem


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        """The process is alive."""
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """The database answers and its schema is at the latest migration."""
        try:
            current = migrate.current_revision(database().engine)
        except SQLAlchemyError:
            return problem(503, "database_unavailable", "The database cannot be reached.")
        head = migrate.head_revision()
        if current != head:
            return problem(
                503, "migrations_pending", f"The schema is at {current}; the code needs {head}."
            )
        return jsonify(status="ready", migration=current)
