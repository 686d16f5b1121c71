"""The alignment graph held in memory by each process, kept current with the database.

Every write transaction bumps ``graph_state.revision`` and tags its audit events with the new
revision. A request compares the stored revision with the one it holds (one indexed read) and
replays only the entities touched since, so the first read after a write costs about the size
of that write, not a rebuild. Analyses over the whole graph are cached per revision.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, GraphState, KeyResult, Link, Node, Period
from service.observability import ANALYSIS, GRAPH_BUILD, GRAPH_SIZE

log = logging.getLogger(__name__)

NODE_ATTRIBUTES = (
    "kind",
    "status",
    "standalone",
    "team_id",
    "owner_id",
    "period_id",
    "start_date",
    "due_date",
    "reported_progress",
)
GRAPH_ENTITIES = ("node", "link", "key_result", "period")
# Past this many touched entities a full reload is cheaper than replaying them one by one.
REPLAY_LIMIT = 5_000
_CHUNK = 900


class Graph:
    """One process's view of the graph at ``revision``, with per-revision analysis results."""

    def __init__(self) -> None:
        self.revision: int | None = None
        self.G = nx.DiGraph()
        self.links: dict[int, tuple[str, int, int]] = {}
        self.declared: dict[int, tuple[int, int]] = {}
        self.periods: dict[int, tuple[Any, Any]] = {}
        self.key_results: dict[int, dict[str, Any]] = {}
        self._derived: dict[str, Any] = {}
        self.build_seconds = 0.0

    def derived(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per revision."""
        if name not in self._derived:
            started = time.perf_counter()
            self._derived[name] = compute()
            ANALYSIS.labels(name).observe(time.perf_counter() - started)
        return self._derived[name]

    def key_results_by_goal(self) -> dict[int, list[dict[str, Any]]]:
        def group():
            grouped: dict[int, list[dict[str, Any]]] = {}
            for kr in self.key_results.values():
                grouped.setdefault(kr["node_id"], []).append(kr)
            return grouped

        return self.derived("key_results_by_goal", group)

    # -- loading ---------------------------------------------------------------------------

    def load_all(self, session: Session, revision: int) -> None:
        started = time.perf_counter()
        self.G = nx.DiGraph()
        self.links.clear()
        self.declared.clear()
        self.key_results.clear()
        columns = [getattr(Node, name) for name in ("id", *NODE_ATTRIBUTES)]
        for row in session.execute(select(*columns)):
            self._put_node(row)
        for row in session.execute(
            select(Link.id, Link.type, Link.source_id, Link.target_id, Link.weight)
        ):
            self._put_link(row)
        self._load_periods(session)
        for kr in session.scalars(select(KeyResult)):
            self._put_key_result(kr)
        self.revision = revision
        self._derived.clear()
        self.build_seconds = time.perf_counter() - started
        log.info(
            "graph built",
            extra={"nodes": self.G.number_of_nodes(), "seconds": round(self.build_seconds, 3)},
        )

    def replay(self, session: Session, touched: dict[str, set[int]], revision: int) -> None:
        """Reload just the entities written since the held revision."""
        node_ids = touched.get("node", set())
        found: set[int] = set()
        columns = [getattr(Node, name) for name in ("id", *NODE_ATTRIBUTES)]
        for chunk in _chunks(node_ids):
            for row in session.execute(select(*columns).where(Node.id.in_(chunk))):
                self._put_node(row)
                found.add(row.id)
        link_ids = touched.get("link", set())
        present: set[int] = set()
        for chunk in _chunks(link_ids):
            for row in session.execute(
                select(Link.id, Link.type, Link.source_id, Link.target_id, Link.weight).where(
                    Link.id.in_(chunk)
                )
            ):
                self._put_link(row)
                present.add(row.id)
        for link_id in link_ids - present:
            self._drop_link(link_id)
        for node_id in node_ids - found:
            if node_id in self.G:
                self.G.remove_node(node_id)
        if touched.get("period"):
            self._load_periods(session)
        kr_ids = touched.get("key_result", set())
        present = set()
        for chunk in _chunks(kr_ids):
            for kr in session.scalars(select(KeyResult).where(KeyResult.id.in_(chunk))):
                self._put_key_result(kr)
                present.add(kr.id)
        for kr_id in kr_ids - present:
            self.key_results.pop(kr_id, None)
        self.revision = revision
        self._derived.clear()

    def _put_node(self, row) -> None:
        attributes = {name: getattr(row, name) for name in NODE_ATTRIBUTES}
        if row.id in self.G:
            self.G.nodes[row.id].update(attributes)
        else:
            self.G.add_node(row.id, **attributes)

    def _put_link(self, row) -> None:
        self.links[row.id] = (row.type, row.source_id, row.target_id)
        if row.type == "supports":
            self.G.add_edge(row.target_id, row.source_id, link_id=row.id, weight=row.weight)
        elif row.type == "conflicts_with":
            self.declared[row.id] = (row.source_id, row.target_id)

    def _drop_link(self, link_id: int) -> None:
        known = self.links.pop(link_id, None)
        if known is None:
            return
        link_type, source, target = known
        if link_type == "supports" and self.G.has_edge(target, source):
            self.G.remove_edge(target, source)
        self.declared.pop(link_id, None)

    def _load_periods(self, session: Session) -> None:
        self.periods = {
            row.id: (row.start_date, row.end_date)
            for row in session.execute(select(Period.id, Period.start_date, Period.end_date))
        }

    def _put_key_result(self, kr: KeyResult) -> None:
        self.key_results[kr.id] = {
            "id": kr.id,
            "node_id": kr.node_id,
            "metric": kr.metric,
            "direction": kr.direction,
            "start_value": kr.start_value,
            "target_value": kr.target_value,
            "current_value": kr.current_value,
            "weight": kr.weight,
            "last_check_in_at": kr.last_check_in_at,
            "created_at": kr.created_at,
        }


class GraphStore:
    """Hands each request the graph at the latest committed revision."""

    def __init__(self) -> None:
        self._graph = Graph()
        self._lock = threading.Lock()
        self.full_builds = 0
        self.replays = 0

    @property
    def latest(self) -> Graph | None:
        """The graph as last loaded, without asking the database (for answers to writes)."""
        return self._graph if self._graph.revision is not None else None

    def current(self, session: Session) -> Graph:
        """The graph at the database's committed revision (call before writing anything)."""
        revision = session.scalar(select(GraphState.revision))
        with self._lock:
            graph = self._graph
            if graph.revision == revision:
                return graph
            touched = None
            if graph.revision is not None and graph.revision < revision:
                touched = _touched_since(session, graph.revision, revision)
            started = time.perf_counter()
            if touched is None:
                graph.load_all(session, revision)
                self.full_builds += 1
                how = "full"
            else:
                graph.replay(session, touched, revision)
                self.replays += 1
                how = "replay"
            GRAPH_BUILD.labels(how).observe(time.perf_counter() - started)
            GRAPH_SIZE.labels("nodes").set(graph.G.number_of_nodes())
            GRAPH_SIZE.labels("links").set(len(graph.links))
            return graph


def _touched_since(session: Session, since: int, until: int) -> dict[str, set[int]] | None:
    rows = session.execute(
        select(AuditEvent.entity_type, AuditEvent.entity_id)
        .where(
            AuditEvent.revision > since,
            AuditEvent.revision <= until,
            AuditEvent.entity_type.in_(GRAPH_ENTITIES),
        )
        .distinct()
        .limit(REPLAY_LIMIT + 1)
    ).all()
    if len(rows) > REPLAY_LIMIT:
        return None
    touched: dict[str, set[int]] = {}
    for entity_type, entity_id in rows:
        touched.setdefault(entity_type, set()).add(entity_id)
    return touched


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
