"""The database of a Flask app: one session per request, committed at the request boundary."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models.database import make_engine

log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Database:
    """Holds the engine and hands each request its own session."""

    def __init__(self, url: str, engine: Engine | None = None):
        self.engine = engine or make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = self
        app.after_request(_commit_or_rollback)
        app.teardown_appcontext(_close)


def database() -> Database:
    return current_app.extensions["database"]


def session() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


def _commit_or_rollback(response: Response) -> Response:
    current = g.get("db_session")
    if current is None:
        return response
    if request.method in WRITE_METHODS and response.status_code < 400:
        try:
            current.commit()
        except SQLAlchemyError as error:
            current.rollback()
            # The registered error handlers know how to render every database failure.
            return current_app.make_response(current_app.handle_user_exception(error))
    else:
        current.rollback()
    return response


def _close(_exc: BaseException | None) -> None:
    current = g.pop("db_session", None)
    if current is not None:
        try:
            current.close()
        except SQLAlchemyError:  # a dead connection must not turn into a 500 at teardown
            log.warning("closing a session failed", exc_info=True)
