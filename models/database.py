"""Engines for the two supported databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Timeouts:
    """Bounds on every wait for the database, in seconds.

    ``network`` is how long a PostgreSQL connection may go without an answer from the
    network (sent data unacknowledged, or silence while a reply is awaited) before it is
    dropped: libpq's ``tcp_user_timeout`` for the first, TCP keepalives for the second.
    Without them a connection whose packets are dropped hangs for as long as the loss
    lasts, and for the kernel's retransmission back-off after it.
    """

    connect: int = 5
    network: int = 10
    statement: int = 20
    pool: int = 10

    def postgresql_connect_args(self) -> dict:
        """libpq parameters that apply these bounds to one connection."""
        interval = max(1, self.network // 5)
        return {
            # libpq rounds a connect timeout below 2 s up to 2 s.
            "connect_timeout": max(2, self.connect),
            "tcp_user_timeout": self.network * 1000,
            "keepalives": 1,
            "keepalives_idle": max(1, self.network - 3 * interval),
            "keepalives_interval": interval,
            "keepalives_count": 3,
            "options": f"-c statement_timeout={self.statement * 1000}",
        }


def make_engine(url: str, timeouts: Timeouts | None = None, **kwargs) -> Engine:
    """Create an engine for ``url``, tuned for the way Throughline uses each database.

    With ``timeouts`` (the service's engines), every wait is bounded by them; without
    (migrations and tools), only connecting is, and statements may run as long as needed.
    """
    parsed = make_url(url)
    # A pooled connection is checked before use, so one that broke while idle is replaced.
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "sqlite":
        busy_ms = timeouts.statement * 1000 if timeouts else SQLITE_BUSY_TIMEOUT_MS
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, **kwargs)
        event.listen(
            engine, "connect", lambda connection, _record: _sqlite_pragmas(connection, busy_ms)
        )
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 5)
        kwargs.setdefault("pool_timeout", timeouts.pool if timeouts else 10)
    connect_args = kwargs.pop("connect_args", {})
    if timeouts is not None:
        bounds = timeouts.postgresql_connect_args()
        if "options" in parsed.query:  # the URL's own options come first
            bounds["options"] = f"{parsed.query['options']} {bounds['options']}"
        connect_args = {**bounds, **connect_args}
    connect_args.setdefault("connect_timeout", 5)
    return create_engine(url, connect_args=connect_args, **kwargs)


def _sqlite_pragmas(dbapi_connection, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
