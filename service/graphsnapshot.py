"""A built graph kept on disk, so a starting worker loads it instead of reading every row.

At a million nodes, building the graph from the database takes half a minute; loading this
file takes a few seconds. A snapshot is the graph at one data revision, in a compact form
(marshal: plain values only, nothing in it is ever executed), written atomically beside
the others of the same directory. It is loaded only when everything that made it matches:

- its format, the code that wrote it (the graph's modules, Python, networkx) and the schema;
- the database: the last audit event at its revision (id, revision and time) is still in
  the database, and the database's revision is not behind it (a restored or another
  database sharing a file name gets a full build);
- its bytes: a SHA-256 of the payload is checked before anything is read from it.

A loaded snapshot is then brought forward by the ordinary revision check (the writes since
are replayed, or the graph is rebuilt when they are too many), so it is exactly as current
as a graph built from the database. Anything unexpected means a build from the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy import Connection, select

from models import AuditEvent, migrate
from service import graph as analysis
from service.collector import paused
from service.graphstore import Graph, edge_data

log = logging.getLogger(__name__)

FORMAT = 3
MAGIC = b"TLGRAPH1"
# Below this many nodes a build from the database takes well under a second.
MIN_NODES = 20_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DATE_ATTRIBUTES = ("start_date", "due_date", "done_on")
_TIME_FIELDS = ("last_check_in_at", "created_at")


class Snapshots:
    """The snapshots of one database in ``directory``."""

    def __init__(self, directory: str | os.PathLike, database_url: str):
        self.directory = Path(directory)
        name = hashlib.sha256(database_url.encode()).hexdigest()[:16]
        self.path = self.directory / f"graph-{name}.snapshot"
        self.min_nodes = MIN_NODES

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Held while a worker loads or builds its first graph: workers starting together
        take turns, so the first builds from the database and the others load its file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write(self, graph: Graph, connection: Connection) -> bool:
        """Save ``graph`` unless it is small or the file already holds its revision."""
        if graph.revision is None or len(graph.G) < self.min_nodes:
            return False
        held = self._header()
        if held is not None and held.get("revision") == graph.revision and self._ours(held):
            return False
        anchor = _anchor(connection, graph.revision)
        if anchor is None:
            return False
        payload = marshal.dumps(_compact(graph), 4)
        header = marshal.dumps(
            {
                **_identity(),
                "revision": graph.revision,
                "anchor": anchor,
                "digest": hashlib.sha256(payload).hexdigest(),
                "size": len(payload),
            },
            4,
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        with open(partial, "wb") as handle:
            handle.write(MAGIC + len(header).to_bytes(4, "big") + header + payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.path)
        return True

    def load(self, connection: Connection, revision: int) -> Graph | None:
        """The saved graph, if it is this database's at or before ``revision``; else None."""
        try:
            return self._load(connection, revision)
        except Exception:  # a damaged file is one to ignore, whatever it raises
            log.warning("graph snapshot unusable", exc_info=True)
            return None

    def _load(self, connection: Connection, revision: int) -> Graph | None:
        header = self._header()
        if header is None or not self._ours(header) or header["revision"] > revision:
            return None
        if _anchor_row(connection, header["anchor"][0]) != tuple(header["anchor"]):
            return None
        with open(self.path, "rb") as handle:
            start = handle.read(len(MAGIC) + 4)
            handle.seek(len(start) + int.from_bytes(start[-4:], "big"))
            payload = handle.read()
        if len(payload) != header["size"]:
            return None
        if hashlib.sha256(payload).hexdigest() != header["digest"]:
            return None
        with paused():
            graph = _expanded(marshal.loads(payload))
        graph.revision = header["revision"]
        return graph

    def _header(self) -> dict[str, Any] | None:
        try:
            with open(self.path, "rb") as handle:
                start = handle.read(len(MAGIC) + 4)
                if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
                    return None
                header = marshal.loads(handle.read(int.from_bytes(start[-4:], "big")))
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return header if isinstance(header, dict) else None

    @staticmethod
    def _ours(header: dict[str, Any]) -> bool:
        identity = _identity()
        return all(header.get(key) == value for key, value in identity.items())


def _identity() -> dict[str, Any]:
    """What a snapshot must have been written by to be read by this process."""
    return {"format": FORMAT, "code": _code_version(), "schema": migrate.head_revision()}


_CODE: str | None = None


def _code_version() -> str:
    """A hash of the modules that shape the graph, and of Python's and networkx's versions."""
    global _CODE
    if _CODE is None:
        from service import graphstore
        from service.graph import census

        digest = hashlib.sha256(f"{sys.version}|{nx.__version__}".encode())
        for module in (graphstore, census, sys.modules[__name__]):
            digest.update(Path(module.__file__).read_bytes())
        _CODE = digest.hexdigest()
    return _CODE


def _anchor(connection: Connection, revision: int) -> tuple[int, int, int] | None:
    """The last audit event at or before ``revision``: (id, revision, time in microseconds)."""
    row = connection.execute(
        select(AuditEvent.id, AuditEvent.revision, AuditEvent.at)
        .where(AuditEvent.revision <= revision)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row.id, row.revision, _micros(row.at))


def _anchor_row(connection: Connection, event_id: int) -> tuple[int, int, int] | None:
    row = connection.execute(
        select(AuditEvent.id, AuditEvent.revision, AuditEvent.at).where(AuditEvent.id == event_id)
    ).first()
    return None if row is None else (row.id, row.revision, _micros(row.at))


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _compact(graph: Graph) -> tuple:
    """The graph as plain values: dates as ordinals, times as microseconds.

    The adjacency goes as each parent's children with their weights; marshal writes an
    object referred to more than once (a node id) once and loads it back shared.
    """
    nodes = graph.G._node
    dated = {
        n: {name: data[name].toordinal() for name in _DATE_ATTRIBUTES if name in data}
        for n, data in nodes.items()
        if any(name in data for name in _DATE_ATTRIBUTES)
    }
    undated = {n: {k: v for k, v in nodes[n].items() if k not in _DATE_ATTRIBUTES} for n in dated}
    plain = {**nodes, **undated}  # the same attribute dicts but where dates were taken out
    periods = {
        period: (start.toordinal(), end.toordinal())
        for period, (start, end) in graph.periods.items()
    }
    key_results = {}
    for kr_id, kr in graph.key_results.items():
        kr = dict(kr)
        for name in _TIME_FIELDS:
            if kr.get(name) is not None:
                kr[name] = _micros(kr[name])
        key_results[kr_id] = kr
    return (
        plain,
        dated,
        {
            parent: {child: data.get("weight", 1.0) for child, data in children.items()}
            for parent, children in graph.G._succ.items()
        },
        graph.edge_count,
        graph.declared,
        periods,
        key_results,
        graph.suspects,
        graph.serves,
        graph.depends,
        graph.shape,
        graph.restatements,
    )


def _expanded(compact: tuple) -> Graph:
    (
        nodes,
        dated,
        succ,
        edge_count,
        declared,
        periods,
        key_results,
        suspects,
        serves,
        depends,
        shape,
        restatements,
    ) = compact
    from_ordinal = dt.date.fromordinal
    for n, dates in dated.items():
        data = nodes[n]
        for name, ordinal in dates.items():
            data[name] = from_ordinal(ordinal)
    pred: dict[int, dict] = {n: {} for n in nodes}
    for parent, children in succ.items():
        for child, weight in children.items():
            children[child] = pred[child][parent] = edge_data(weight)
    graph = Graph()
    G = graph.G
    G._node, G._adj, G._pred = nodes, succ, pred  # _adj is networkx's _succ
    graph.edge_count = edge_count
    graph.census = analysis.take_census(G)
    graph.declared, graph.serves, graph.depends = declared, serves, depends
    graph.shape = shape
    graph.periods = {
        period: (from_ordinal(start), from_ordinal(end)) for period, (start, end) in periods.items()
    }
    for kr in key_results.values():
        for name in _TIME_FIELDS:
            if kr.get(name) is not None:
                kr[name] = _EPOCH + dt.timedelta(microseconds=kr[name])
    graph.key_results = key_results
    graph.suspects = suspects
    graph.restatements = restatements
    return graph
