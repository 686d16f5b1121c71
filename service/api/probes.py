"""``/healthz`` and ``/readyz`` for orchestrators (outside the versioned API)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify
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
        """The database answers, its schema is at the latest migration and the graph is warm."""
        try:
            current = migrate.current_revision(database().engine)
        except SQLAlchemyError:
            return problem(503, "database_unavailable", "The database cannot be reached.")
        head = migrate.head_revision()
        if current != head:
            return problem(
                503, "migrations_pending", f"The schema is at {current}; the code needs {head}."
            )
        store = current_app.extensions["graph_store"]
        if store.warm_required and not store.ready:
            from service.warmup import warm

            app = current_app._get_current_object()
            store.warm_in_background(lambda: warm(app))
            return problem(
                503, "graph_warming", "The graph is being built; this worker takes no traffic yet."
            )
        return jsonify(status="ready", migration=current)
