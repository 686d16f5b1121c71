"""The database of a Flask app: one session per request, committed at the request boundary."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models.database import make_engine

log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


REVISION_QUERY = "SELECT revision FROM graph_state"


class Database:
    """Holds the engines and hands each request its own session."""

    def __init__(self, url: str, engine: Engine | None = None):
        self.engine = engine or make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Nearly every request reads the data revision, and many read nothing else. On
        # connections of their own in autocommit that read is one round trip: no
        # transaction to begin and end, no pre-ping (the read itself finds a dead
        # connection, and is retried once on a fresh one).
        self.revision_engine = make_engine(
            self.engine.url.render_as_string(hide_password=False),
            isolation_level="AUTOCOMMIT",
            pool_pre_ping=False,
            pool_reset_on_return=None,
        )

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = self
        app.after_request(_commit_or_rollback)
        app.teardown_appcontext(_close)

    def revision(self) -> int:
        """The revision of the committed data (``graph_state.revision``).

        Read through a bare pooled DB-API connection: the statement is fixed and the row
        is one integer, so the layers a Connection adds would cost more than the read.
        Errors come out as SQLAlchemy's, so they are answered like any database failure.
        """
        engine = self.revision_engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        for attempt in (1, 2):
            connection = None
            try:
                connection = engine.raw_connection()
                cursor = connection.cursor()
                try:
                    cursor.execute(REVISION_QUERY)
                    return cursor.fetchone()[0]
                finally:
                    cursor.close()
            except dbapi_error as error:
                gone = connection is not None and engine.dialect.is_disconnect(
                    error, connection.dbapi_connection, None
                )
                if gone:
                    connection.invalidate(error)
                if attempt == 2 or not gone:
                    raise DBAPIError.instance(
                        REVISION_QUERY,
                        None,
                        error,
                        dbapi_error,
                        connection_invalidated=gone,
                        dialect=engine.dialect,
                    ) from error
            finally:
                if connection is not None:
                    connection.close()
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        """Close every pooled connection (at the end of a command or a test)."""
        self.engine.dispose()
        self.revision_engine.dispose()


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
