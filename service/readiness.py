"""Whether a database is ready for a command: it exists, and its schema is the code's.

A command that reads or writes data checks this first, so that a missing database or one
behind the code gets one line naming ``throughline db upgrade`` rather than a traceback,
and a SQLite file is never created as a side effect (connecting to a missing file would).

The check reads the ``alembic_version`` row with one query and finds the code's latest
migration from the migration files' ``revision`` and ``down_revision`` lines, without
loading Alembic (a tenth of a second at every start). ``head_revision`` is held equal to
Alembic's own by a test.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

VERSIONS = Path(__file__).resolve().parents[1] / "models" / "migrations" / "versions"
UPGRADE = "run `throughline db upgrade`"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


class NotReady(Exception):
    """The database cannot serve the command; ``str()`` is the one line to print."""


def safe_url(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str) -> str | None:
    """The file a SQLite URL names, or None (another database, or one in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None  # a URI filename: its mode decides whether connecting creates it
    return parsed.database


def require_file(url: str) -> None:
    """Raise NotReady when ``url`` names a SQLite file that does not exist."""
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        raise NotReady(f"No database at {path}; {UPGRADE} to create it.")


def require_schema(engine: Engine) -> str:
    """The schema's migration, when it is the code's latest; else raise NotReady.

    Call ``require_file`` before making the engine.
    """
    where = safe_url(engine.url.render_as_string(hide_password=False))
    try:
        connection = engine.connect()
    except DBAPIError as error:
        raise NotReady(f"The database at {where} cannot be reached: {_first_line(error)}") from None
    with connection:
        try:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as error:
            if not _missing_table(error):
                message = f"The database at {where} cannot be read: {_first_line(error)}"
                raise NotReady(message) from None
            current = None  # nothing was ever migrated here
    head = head_revision()
    if current is None:
        raise NotReady(f"The database at {where} has no Throughline schema; {UPGRADE}.")
    if current != head:
        raise NotReady(
            f"The database at {where} is at migration {current}, this version needs {head}; "
            f"{UPGRADE}."
        )
    return current


def _missing_table(error: DBAPIError) -> bool:
    # 42P01 is PostgreSQL's undefined_table; SQLite says it in words.
    return getattr(error.orig, "sqlstate", None) == "42P01" or "no such table" in str(error.orig)


def _first_line(error: DBAPIError) -> str:
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__


@cache
def head_revision() -> str:
    """The latest migration of the code: the one no other migration revises."""
    revisions: dict[str, str | None] = {}
    for script in VERSIONS.glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions[_literal(found["revision"])] = _literal(found.get("down_revision", "None"))
    revised = set(revisions.values())
    heads = [revision for revision in revisions if revision not in revised]
    if len(heads) != 1:
        from models import migrate  # branches or merges: let Alembic decide

        return migrate.head_revision()
    return heads[0]


def _literal(source: str) -> str | None:
    value = source.strip()
    if value == "None":
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    raise ValueError(f"not a plain revision: {value}")
