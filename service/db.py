"""The database of a Flask app: one session per request, committed at the request boundary."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from models.database import Timeouts, make_engine

log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


REVISION_QUERY = "SELECT revision, security_revision FROM graph_state"


class Database:
    """Holds the engines and hands each request its own session."""

    def __init__(self, url: str, engine: Engine | None = None, timeouts: Timeouts | None = None):
        # Every wait is bounded, so a database lost from the network gives 503s, not hangs.
        timeouts = timeouts or Timeouts()
        self.engine = engine or make_engine(url, timeouts)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Nearly every request reads the data revision, and many read nothing else. Each
        # thread keeps a connection of its own for it, in autocommit: the read is then one
        # round trip with no checkout, no transaction to begin and end and no pre-ping
        # (the read itself finds a dead connection, and is retried once on a fresh one).
        # The graph store replays writes on the same connection (see ``autocommit``).
        url = self.engine.url
        in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
        self.revision_engine = make_engine(
            url.render_as_string(hide_password=False),
            timeouts,
            isolation_level="AUTOCOMMIT",
            pool_pre_ping=False,
            # Held connections need no pool; an in-memory SQLite database lives in its
            # pool's connections, so there the engine keeps its own.
            **({} if in_memory else {"poolclass": NullPool}),
        )
        self._held = threading.local()
        self._generation = 0  # bumped by dispose(): connections held before are dropped

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = self
        app.after_request(_commit_or_rollback)
        app.teardown_appcontext(_close)

    def revisions(self) -> tuple[int, int]:
        """The revision of the committed data and that of its last security change.

        See ``GraphState``: the first tells whether a cached graph is current, the
        second whether a cached principal is.

        Read below SQLAlchemy (see ``_revision_reader``): the statement is fixed and the
        row is two integers, so the layers a Connection adds would cost more than the read.
        Errors come out as SQLAlchemy's, so they are answered like any database failure.
        """
        engine = self.revision_engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        for attempt in (1, 2):
            held = self._held
            try:
                if getattr(held, "generation", None) != self._generation:
                    self._open_held()
                return held.read()
            except dbapi_error as error:
                gone = hasattr(held, "read") and (
                    engine.dialect.is_disconnect(error, held.dbapi_connection, None)
                    # The prepared statement is gone (a pooler moved the session): re-prepare.
                    or getattr(error, "sqlstate", None) == "26000"
                )
                self._drop_held()
                if attempt == 2 or not gone:
                    raise DBAPIError.instance(
                        REVISION_QUERY,
                        None,
                        error,
                        dbapi_error,
                        connection_invalidated=gone,
                        dialect=engine.dialect,
                    ) from error
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """This thread's held autocommit connection, for reads that need no snapshot.

        The graph store replays a write on it right after the revision read found it
        alive: no checkout, no pre-ping, no transaction to begin and end. A failure drops
        the connection, so the next request opens a fresh one.
        """
        if getattr(self._held, "generation", None) != self._generation:
            self.revisions()  # opens the connection, with the read's retry and error handling
        connection = self._held.connection
        try:
            yield connection
        except BaseException:
            self._drop_held()
            raise
        # In autocommit this sends nothing; it only closes the Connection's bookkeeping.
        connection.rollback()

    def _open_held(self) -> None:
        self._drop_held()
        held = self._held
        held.connection = self.revision_engine.connect()
        pooled = held.connection.connection
        held.dbapi_connection = pooled.dbapi_connection
        held.read = _revision_reader(pooled)
        held.generation = self._generation

    def _drop_held(self) -> None:
        connection = getattr(self._held, "connection", None)
        self._held.__dict__.clear()
        if connection is not None:
            # Closed without the reset a pool gives returned connections: it may be dead.
            with contextlib.suppress(Exception):
                connection.invalidate()
            with contextlib.suppress(Exception):
                connection.close()

    def dispose(self) -> None:
        """Close every pooled connection (at the end of a command or a test).

        Connections held by other threads for the revision are closed by those threads
        on their next read.
        """
        self._generation += 1
        self._drop_held()
        self.engine.dispose()
        self.revision_engine.dispose()


def _revision_reader(pooled) -> Callable[[], tuple[int, int]]:
    """A function that reads both revisions on ``pooled`` (a pooled DB-API connection).

    On PostgreSQL the statement is prepared once and run through libpq itself, which
    psycopg exposes for such low-level use: a third of the CPU of a cursor's execute,
    and this read comes with nearly every request. Elsewhere, a plain cursor.
    """
    dbapi_connection = pooled.dbapi_connection
    pgconn = getattr(dbapi_connection, "pgconn", None)
    # ``prepare_threshold=None`` turns prepared statements off (for a pooler that keeps none).
    if pgconn is None or dbapi_connection.prepare_threshold is None:
        cursor = pooled.cursor()

        def read() -> tuple[int, int]:
            cursor.execute(REVISION_QUERY)
            revision, security_revision = cursor.fetchone()
            return revision, security_revision

        return read

    from psycopg import pq

    name = b"throughline_revisions"
    _checked(pgconn.prepare(name, REVISION_QUERY.encode(), None), pq.ExecStatus.COMMAND_OK)

    def read_prepared() -> tuple[int, int]:
        result = _checked(pgconn.exec_prepared(name, None), pq.ExecStatus.TUPLES_OK)
        return int(result.get_value(0, 0)), int(result.get_value(0, 1))

    return read_prepared


def _checked(result, expected):
    """``result`` if its status is ``expected``; else the error psycopg would raise."""
    if result.status == expected:
        return result
    import psycopg
    from psycopg import errors, pq

    state = (result.error_field(pq.DiagnosticField.SQLSTATE) or b"").decode()
    try:
        error_class = errors.lookup(state) if state else psycopg.OperationalError
    except KeyError:
        error_class = psycopg.DatabaseError
    raise error_class(result.get_error_message())


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
