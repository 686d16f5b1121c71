"""Many rows inserted at once, without building a statement per row.

The bulk import writes a whole company in one transaction: hundreds of thousands of
entity rows and as many audit events. SQLAlchemy's ``connection.execute(insert(t), rows)``
builds and type-processes a parameter dict per row, which cost more than the database's
own work (about 14 s of a 100,000-node import). Here each column's bind processor is looked
up once and applied to plain tuples, sent by one prepared statement on SQLite and by
``COPY`` on PostgreSQL. ``tests/test_bulk.py`` holds the rows this writes equal to those the
SQLAlchemy insert writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Table

__all__ = ["insert_rows", "json_text"]

_BATCH = 5_000
# A SQLite table that gets at least this many rows, and more than it holds already, has its
# plain indexes built again after the insert instead of kept up to date row by row.
REBUILD_AFTER_ROWS = 10_000


def json_text(value: Any) -> str | None:
    """``value`` as JSON text (dates and times as ISO 8601), or None for None."""
    return None if value is None else orjson.dumps(value).decode()


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence]
) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``) into ``table``; the count.

    JSON columns take their values as JSON text already (see ``json_text``), None for SQL
    NULL. Every column left out must have no Python-side default, which this does not apply.
    """
    _check_defaults(table, columns)
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, columns, rows)
    return _executemany(connection, table, columns, rows)


def _check_defaults(table: Table, columns: Sequence[str]) -> None:
    missing = [
        column.name
        for column in table.c
        if column.name not in columns and column.default is not None
    ]
    if missing:
        raise ValueError(f"insert_rows into {table.name} needs values for {missing}")


def _executemany(connection: Connection, table: Table, columns: Sequence[str], rows) -> int:
    dialect = connection.dialect
    processors = [
        None if isinstance(table.c[name].type, JSON) else _processor(table.c[name].type, dialect)
        for name in columns
    ]
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    cursor = connection.connection.dbapi_connection.cursor()
    count = 0
    try:
        with _indexes_rebuilt(cursor, table.name, len(rows)):
            for start in range(0, len(rows), _BATCH):
                batch = _converted(rows[start : start + _BATCH], processors)
                cursor.executemany(sql, batch)
                count += len(batch)
    finally:
        cursor.close()
    return count


@contextmanager
def _indexes_rebuilt(cursor, table: str, adding: int) -> Iterator[None]:
    """The table's plain indexes dropped for the block and created again after it, when
    ``adding`` rows is many and more than the table holds.

    Each row inserted into an indexed table is also inserted into each index, one b-tree
    descent and page write per index; an index created afterwards is built from one sorted
    pass. At 100,000 nodes, 150,000 links and 260,000 audit events this saves a quarter of
    SQLite's own time. Unique indexes stay (they are the table's constraints), and it all
    happens in the import's transaction: a failed import rolls the drops back with the
    rows, and readers, on their snapshots, keep seeing the indexes throughout.
    """
    # Outside a transaction each statement would commit on its own: nothing is dropped.
    if adding < REBUILD_AFTER_ROWS or not cursor.connection.in_transaction:
        yield
        return
    held = cursor.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0
    if held >= adding:
        yield
        return
    indexes = cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'",
        (table,),
    ).fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:  # even after a failed insert, in case the transaction goes on
        for _name, sql in indexes:
            cursor.execute(sql)


def _processor(column_type, dialect) -> Callable[[Any], Any] | None:
    """The bind processor SQLAlchemy itself applies to this type on this dialect."""
    return column_type._cached_bind_processor(dialect)


def _converted(rows: Sequence[Sequence], processors: list) -> list[tuple]:
    """The rows with each column's processor applied, a column at a time.

    Each distinct value is converted once: a timestamp shared by the whole import, the
    few dates of a company's periods, True and False.
    """
    if not any(processors):
        return [tuple(row) for row in rows]
    columns = list(zip(*rows, strict=True))
    for index, process in enumerate(processors):
        if process is not None:
            columns[index] = _mapped(process, columns[index])
    return list(zip(*columns, strict=True))


def _mapped(process: Callable[[Any], Any], values: Sequence) -> list:
    memo: dict[tuple[type, Any], Any] = {}
    out = []
    append = out.append
    for value in values:
        if value is None:
            append(None)
            continue
        key = (type(value), value)  # 1 and True are equal keys, but not equal values here
        try:
            append(memo[key])
        except KeyError:
            converted = memo[key] = process(value)
            append(converted)
        except TypeError:  # unhashable
            append(process(value))
    return out


def _copy(connection: Connection, table: Table, columns: Sequence[str], rows) -> int:
    """COPY on PostgreSQL: one stream instead of a round trip and statement per row."""
    processors = [
        None
        if isinstance(table.c[name].type, JSON)
        else getattr(table.c[name].type, "process_bind_param", None)
        for name in columns
    ]
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.dbapi_connection.cursor()
    count = 0
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        if not any(processors):
            for row in rows:
                copy.write_row(row)
                count += 1
        else:
            dialect = connection.dialect
            active = [(i, p) for i, p in enumerate(processors) if p]
            for row in rows:
                out = list(row)
                for index, process in active:
                    out[index] = process(out[index], dialect)
                copy.write_row(out)
                count += 1
    return count
