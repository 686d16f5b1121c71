"""Scratch databases for one benchmark run, removed when it ends, failed or not."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def sqlite_database(directory: Path) -> Iterator[str]:
    """A fresh SQLite file in ``directory``, deleted (with its WAL files) afterwards."""
    path = directory / f"bench-{uuid.uuid4().hex[:8]}.db"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def postgresql_database(server_url: str = POSTGRESQL_SERVER) -> Iterator[str]:
    """A fresh database ``throughline_bench_<random>`` on the server, dropped afterwards."""
    name = f"throughline_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(kind: str, directory: Path, server_url: str) -> Iterator[str]:
    """The URL of a new, empty database of ``kind`` (``sqlite`` or ``postgresql``)."""
    if kind == "sqlite":
        with sqlite_database(directory) as url:
            yield url
    elif kind == "postgresql":
        with postgresql_database(server_url) as url:
            yield url
    else:
        raise ValueError(f"unknown database kind {kind!r}")


def settle(url: str) -> None:
    """Write out what earlier steps left in memory before a timed step starts.

    A timed import would otherwise pay for the write-back of the one before it (the
    previous run's files, the set-up import's pages) or for a checkpoint PostgreSQL starts
    in its middle: a few seconds either way, at random. Every run starts from the same state.
    """
    if make_url(url).get_backend_name() == "postgresql":
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("CHECKPOINT"))
        finally:
            engine.dispose()
    os.sync()
