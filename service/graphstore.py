"""The alignment graph held in memory by each process, kept current with the database.

Every write transaction bumps ``graph_state.revision`` and tags its audit events with the new
revision. A request compares the stored revision with the one it holds (one indexed read) and
replays only the entities touched since, so the first read after a write costs about the size
of that write, not a rebuild. Analyses over the whole graph are cached per revision.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from typing import Any

import networkx as nx
from sqlalchemy import Connection, bindparam, case, select
from sqlalchemy.orm import Session

from models import (
    CLARITY_FIELDS,
    AuditEvent,
    GraphState,
    KeyResult,
    Link,
    Node,
    Period,
    Restatement,
)
from service import graph as analysis
from service.collector import paused
from service.domain.suspects import suspect_statement
from service.graph.clarity import clarity_mask

log = logging.getLogger(__name__)

NODE_ATTRIBUTES = (
    "kind",
    "title",
    "status",
    "standalone",
    "team_id",
    "owner_id",
    "period_id",
    "start_date",
    "due_date",
    "reported_progress",
    "visibility",
    "need_type",
    "segment",
    "ref",
    "url",
    "budget",
    "spent",
    "done_at",
)
GRAPH_ENTITIES = ("node", "link", "key_result", "period", "restatement")
# Past this many touched entities a full reload is cheaper than replaying them one by one.
REPLAY_LIMIT = 5_000
_CHUNK = 900


def _metrics():
    """The service's metrics module, when this process has loaded it.

    The service always has (``create_app`` loads it); a command that builds a graph without
    the service (``throughline check``) records nothing and does not pay the 0.2 s that
    importing prometheus-client costs.
    """
    return sys.modules.get("service.observability")


class Graph:
    """One process's view of the graph at ``revision``, with per-revision analysis results."""

    def __init__(self) -> None:
        self.revision: int | None = None
        self.G = nx.DiGraph()
        self.census = analysis.Census()  # kept in step with the nodes of G
        self.declared: dict[int, tuple[int, int]] = {}
        # serves and depends_on links (DOMAIN.md 10 and 11): link id -> (source, target).
        self.serves: dict[int, tuple[int, int]] = {}
        self.depends: dict[int, tuple[int, int]] = {}
        self.periods: dict[int, tuple[Any, Any]] = {}
        self.key_results: dict[int, dict[str, Any]] = {}
        # Restatements (DOMAIN.md 13): id -> (node, text); few beside the nodes.
        self.restatements: dict[int, tuple[int, str]] = {}
        self._by_goal: dict[int, list[dict[str, Any]]] | None = None
        # Suspect links (DOMAIN.md 7): link id -> (child, parent). Held here and replayed
        # like the rest, so health after a write does not join every link with its parent.
        self.suspects: dict[int, tuple[int, int]] = {}
        self._derived: dict[str, Any] = {}
        # The results of the revision before the last replay, until ``release``.
        self._retired: list[dict[str, Any]] = []
        # Bumped whenever a node or a supports edge comes or goes: results that depend on
        # the shape of the graph alone (not on node attributes) outlive other writes.
        self.shape = 0
        # Bumped as well when a node with children, or a mission, changes kind or status:
        # what flows down the supports links (alignment) outlives writes to leaves alone.
        self.flow = 0
        self._by_shape: dict[str, tuple[Any, Any]] = {}
        self._progress: dict[int, float | None] | None = None
        self._changed: set[int] = set()  # nodes whose progress may have moved since
        # Results kept across the revisions of one shape and brought up to date with the
        # nodes written since (overrun counts, teams below, per-link conflicts): name ->
        # [(shape, key), result, nodes written since it was last brought up to date].
        self._kept: dict[str, list[Any]] = {}
        self.edge_count = 0
        self.build_seconds = 0.0

    def derived(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per revision."""
        if name not in self._derived:
            started = time.perf_counter()
            self._derived[name] = compute()
            if metrics := _metrics():
                metrics.ANALYSIS.labels(name).observe(time.perf_counter() - started)
        return self._derived[name]

    def by_shape(self, name: str, compute: Callable[[], Any], key: Any = None) -> Any:
        """``compute()`` once per shape of the graph (see ``shape``) and ``key``: a result
        that depends on the shape and on little else is kept while those stay the same."""
        held = self._by_shape.get(name)
        if held is None or held[0] != (self.shape, key):
            started = time.perf_counter()
            held = self._by_shape[name] = ((self.shape, key), compute())
            if metrics := _metrics():
                metrics.ANALYSIS.labels(name).observe(time.perf_counter() - started)
        return held[1]

    def kept(
        self,
        name: str,
        take: Callable[[], Any],
        update: Callable[[Any, set[int]], bool],
        key: Any = None,
    ) -> Any:
        """A result kept across the revisions of one shape (and ``key``): ``take()`` when
        there is none for them, else, when nodes were written since it was last brought up
        to date, ``update(result, written)`` (False when only taking afresh will do)."""
        held = self._kept.get(name)
        if (
            held is None
            or held[0] != (self.shape, key)
            or (held[2] and not update(held[1], held[2]))
        ):
            started = time.perf_counter()
            held = self._kept[name] = [(self.shape, key), take(), set()]
            if metrics := _metrics():
                metrics.ANALYSIS.labels(name).observe(time.perf_counter() - started)
        held[2].clear()
        return held[1]

    def kept_result(self, name: str) -> Any:
        """The result kept under ``name``, if any (tests look at it)."""
        held = self._kept.get(name)
        return None if held is None else held[1]

    def progress(self) -> dict[int, float | None]:
        """Every node's progress, reworked only above what changed since the last answer."""
        if self._progress is None:
            started = time.perf_counter()
            self._progress = analysis.progress(self.G, self.key_results_by_goal())
            if metrics := _metrics():
                metrics.ANALYSIS.labels("progress").observe(time.perf_counter() - started)
        elif self._changed:
            self._progress = analysis.progress_update(
                self.G, self.key_results_by_goal(), self._progress, self._changed
            )
        self._changed.clear()
        return self._progress

    def key_results_by_goal(self) -> dict[int, list[dict[str, Any]]]:
        """Key results grouped by goal, regrouped only after key results were written."""
        if self._by_goal is None:
            grouped: dict[int, list[dict[str, Any]]] = {}
            for kr in self.key_results.values():
                grouped.setdefault(kr["node_id"], []).append(kr)
            self._by_goal = grouped
        return self._by_goal

    # -- loading ---------------------------------------------------------------------------

    def load_all(self, session: Session, revision: int) -> None:
        started = time.perf_counter()
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # Reading every row waits on no lock and grows with the data (a million nodes
            # take longer than the statement timeout on a busy machine): no bound on it.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        self.G, others = _build(
            _rows(connection, select(*NODE_COLUMNS)), _rows(connection, LINK_ROWS)
        )
        self.declared = others["conflicts_with"]
        self.serves, self.depends = others["serves"], others["depends_on"]
        self.edge_count = self.G.number_of_edges()
        self.census = analysis.take_census(self.G)
        self.periods = _periods(connection)
        self.key_results = {
            row.id: dict(row._mapping) for row in connection.execute(select(*KR_COLUMNS)).all()
        }
        self._by_goal = None
        self.restatements = {
            row.id: (row.node_id, row.text) for row in connection.execute(RESTATEMENT_ROWS)
        }
        nodes = self.G._node
        self.suspects = {
            link_id: (source, target)
            for link_id, source, target in connection.execute(SUSPECT_ROWS)
            if source in nodes and target in nodes  # see _build
        }
        self.revision = revision
        self._derived.clear()
        self.shape += 1
        self._progress = None
        self._changed.clear()
        self._kept.clear()
        self.build_seconds = time.perf_counter() - started
        log.info(
            "graph built",
            extra={"nodes": self.G.number_of_nodes(), "seconds": round(self.build_seconds, 3)},
        )

    def replay(self, connection: Connection, touched: dict[str, set[int]], revision: int) -> None:
        """Reload just the entities written since the held revision.

        Every row is read before the graph is changed, so a read that fails (a connection
        lost midway) leaves the graph at its revision, to be replayed again. Rows may be
        read at a later revision than ``revision`` (the connection need not hold a
        snapshot): what was written since is replayed again next time.
        """
        node_ids = touched.get("node", set())
        link_ids = touched.get("link", set())
        kr_ids = touched.get("key_result", set())
        nodes = list(_by_ids(connection, NODES_BY_ID, node_ids))
        links = list(_by_ids(connection, LINKS_BY_ID, link_ids))
        # Deleted links: their last image says where they were.
        gone_links = list(_by_ids(connection, DELETED_LINKS, link_ids - {row[0] for row in links}))
        periods = _periods(connection) if touched.get("period") else None
        key_results = [dict(row._mapping) for row in _by_ids(connection, KEY_RESULTS_BY_ID, kr_ids)]
        gone_krs = kr_ids - {kr["id"] for kr in key_results}
        restatement_ids = touched.get("restatement", set())
        restatements = list(_by_ids(connection, RESTATEMENTS_BY_ID, restatement_ids))
        # Nodes whose fingerprint may have moved: those written, and the goals of key results.
        targets = set(node_ids)
        targets.update(kr["node_id"] for kr in key_results)
        targets.update(self.key_results[k]["node_id"] for k in gone_krs if k in self.key_results)
        suspects = self._read_suspects(connection, links, link_ids, targets)

        for row in nodes:
            self._put_node(row)
        for row in links:
            self._put_link(*row)
        for link_id, image in gone_links:
            self._drop_link(link_id, image or {})
        for node_id in node_ids - {row[0] for row in nodes}:
            if node_id in self.G:
                self.shape += 1
                self.census.remove(node_id, self.G._node[node_id])
                self._changed.update(self.G._pred[node_id])
                self.edge_count -= len(self.G._pred[node_id]) + len(self.G._succ[node_id])
                self.G.remove_node(node_id)
        self._changed.update(node_ids)
        for held in self._kept.values():
            held[2].update(node_ids)
        if periods is not None:
            self.periods = periods
        if kr_ids:
            self._by_goal = None
        for kr in key_results:
            self.key_results[kr["id"]] = kr
            self._changed.add(kr["node_id"])
        for kr_id in gone_krs:
            gone = self.key_results.pop(kr_id, None)
            if gone is not None:
                self._changed.add(gone["node_id"])
        for restatement_id in restatement_ids:
            self.restatements.pop(restatement_id, None)
        self.restatements.update((row.id, (row.node_id, row.text)) for row in restatements)
        # Suspect links: those written, and those into nodes whose fingerprint may have moved.
        # A deleted node's links are deleted (and replayed) with it.
        self.suspects = {
            link_id: ends
            for link_id, ends in self.suspects.items()
            if link_id not in link_ids and ends[1] not in targets
        }
        self.suspects.update(suspects)
        self.revision = revision
        # The held revision's results are let go by ``release``, once the answer is sent:
        # at a million nodes, freeing them takes longer than a trace-up answer itself.
        self._retired = [self._derived]
        self._derived = {}

    @property
    def retired(self) -> bool:
        """Whether results of an earlier revision are still held for ``release``."""
        return bool(self._retired)

    def release(self) -> None:
        """Free the results of the revisions before the last replay."""
        self._retired = []

    def _read_suspects(
        self, connection: Connection, links: list, link_ids: set[int], targets: set[int]
    ) -> dict[int, tuple[int, int]]:
        """The suspect links among those written and those into ``targets``.

        Only supports links can be suspect, so a target nothing supports, before this
        replay or after it (a work item, say), needs no query.
        """
        succ = self.G._succ
        supported = {node_id for node_id in targets if succ.get(node_id)}
        supported.update(row[3] for row in links if row[1] == "supports" and row[3] in targets)
        return {
            link_id: (source, target)
            for statement, ids in ((SUSPECTS_BY_ID, link_ids), (SUSPECTS_BY_TARGET, supported))
            for link_id, source, target in _by_ids(connection, statement, ids)
        }

    def suspect_child_ids(self) -> list[int]:
        """The child of every suspect link, one entry per link."""
        return [source for source, _target in self.suspects.values()]

    def _put_node(self, row) -> None:
        attributes = _attributes(row)
        if row[0] in self.G:
            held = self.G._node[row[0]]
            before = (held.get("kind"), held.get("status"))
            self.census.remove(row[0], held)
            held.clear()
            held.update(attributes)
            if before != (held.get("kind"), held.get("status")) and (
                self.G._succ[row[0]] or "mission" in (before[0], held.get("kind"))
            ):
                self.flow += 1
        else:
            self.shape += 1
            self.G.add_node(row[0], **attributes)
        self.census.add(row[0], attributes)

    def _put_link(self, link_id, link_type, source, target, weight) -> None:
        if link_type == "supports":
            self._changed.update((source, target))
            self.shape += 1
            G = self.G
            for end in (target, source):  # as add_edge would, a missing end is added bare
                if end not in G._node:
                    G.add_node(end)
            self.edge_count += source not in G._succ[target]
            data = edge_data(weight)
            G._succ[target][source] = data
            G._pred[source][target] = data
        elif link_type in _OTHER_LINKS:
            getattr(self, _OTHER_LINKS[link_type])[link_id] = (source, target)

    def _drop_link(self, link_id: int, image: dict) -> None:
        for name in _OTHER_LINKS.values():
            getattr(self, name).pop(link_id, None)
        source, target = image.get("source_id"), image.get("target_id")
        if image.get("type") == "supports" and self.G.has_edge(target, source):
            self.shape += 1
            self.G.remove_edge(target, source)
            self.edge_count -= 1
            self._changed.update((source, target))

    @property
    def link_count(self) -> int:
        """Links held (supports kept as a count: counting edges is O(nodes))."""
        return self.edge_count + len(self.declared) + len(self.serves) + len(self.depends)


# Links held beside the supports graph, by type: the Graph attribute holding each.
_OTHER_LINKS = {"conflicts_with": "declared", "serves": "serves", "depends_on": "depends"}


NODE_COLUMNS = (
    Node.id,
    *(getattr(Node, name) for name in NODE_ATTRIBUTES),
    # Read to learn which clarity parts a node states (DOMAIN.md 13), then dropped: the
    # graph keeps one small mask per node that states any (``CLARITY_BITS``).
    *(getattr(Node, name) for name in CLARITY_FIELDS),
    case((Node.kind == "vision", Node.description), else_=None),
)
LINK_ROWS = select(Link.id, Link.type, Link.source_id, Link.target_id, Link.weight)
SUSPECT_ROWS = suspect_statement(None, Link.id, Link.source_id, Link.target_id).order_by(None)
KR_COLUMNS = (
    KeyResult.id,
    KeyResult.node_id,
    KeyResult.metric,
    KeyResult.direction,
    KeyResult.start_value,
    KeyResult.target_value,
    KeyResult.current_value,
    KeyResult.weight,
    KeyResult.last_check_in_at,
    KeyResult.created_at,
)
PERIOD_ROWS = select(Period.id, Period.start_date, Period.end_date)
RESTATEMENT_ROWS = select(Restatement.id, Restatement.node_id, Restatement.text)
# Statements a replay runs, built once: building one costs more than a small query.
_IDS = bindparam("ids", expanding=True)
NODES_BY_ID = select(*NODE_COLUMNS).where(Node.id.in_(_IDS))
LINKS_BY_ID = LINK_ROWS.where(Link.id.in_(_IDS))
DELETED_LINKS = select(AuditEvent.entity_id, AuditEvent.before).where(
    AuditEvent.entity_type == "link", AuditEvent.action == "delete", AuditEvent.entity_id.in_(_IDS)
)
KEY_RESULTS_BY_ID = select(*KR_COLUMNS).where(KeyResult.id.in_(_IDS))
RESTATEMENTS_BY_ID = RESTATEMENT_ROWS.where(Restatement.id.in_(_IDS))
SUSPECTS_BY_ID = SUSPECT_ROWS.where(Link.id.in_(_IDS))
SUSPECTS_BY_TARGET = SUSPECT_ROWS.where(Link.target_id.in_(_IDS))
REPLAY_STATEMENTS = (
    NODES_BY_ID,
    LINKS_BY_ID,
    DELETED_LINKS,
    KEY_RESULTS_BY_ID,
    RESTATEMENTS_BY_ID,
    SUSPECTS_BY_ID,
    SUSPECTS_BY_TARGET,
)
# Filtered by revision only: with the entity type in SQL too, SQLite walks the entity
# index over the whole trail instead of the few rows since ``since``.
TOUCHED = (
    select(AuditEvent.entity_type, AuditEvent.entity_id)
    .where(AuditEvent.revision > bindparam("since"), AuditEvent.revision <= bindparam("until"))
    .limit(REPLAY_LIMIT * 4 + 1)
)
_intern = sys.intern
# One object per distinct value of these attributes, shared by every node that has it
# (a million nodes hold a few thousand team, owner and period ids and dates): about
# 28 to 32 bytes saved per value per node. One table per attribute, as 1 == 1.0.
_shared: dict[str, dict[Any, Any]] = {
    name: {}
    for name in (
        "team_id",
        "owner_id",
        "period_id",
        "start_date",
        "due_date",
        "reported_progress",
        "need_type",
        "segment",
        "budget",
        "spent",
        "done_on",
    )
}


def _rows(connection, statement, batch: int = 20_000):
    """Rows fetched a batch at a time: fast, without holding every row at once."""
    result = connection.execution_options(yield_per=batch).execute(statement)
    for partition in result.partitions():
        yield from partition


def _periods(connection: Connection) -> dict[int, tuple[Any, Any]]:
    return {row.id: (row.start_date, row.end_date) for row in connection.execute(PERIOD_ROWS)}


def _build(node_rows, link_rows) -> tuple[nx.DiGraph, dict[str, dict[int, tuple[int, int]]]]:
    """The supports graph, and the other links by type, from node and link rows, in one pass.

    The adjacency dicts are filled directly (as ``add_nodes_from``/``add_edges_from`` would,
    three times faster): at a million nodes the difference is seconds of start-up.

    Nodes and links are read by two statements, which need not see the same moment: a
    link whose end was written after the node rows were read is left out here, and comes
    with that end when the write is replayed (it is newer than the revision built).
    """
    G = nx.DiGraph()
    nodes, succ, pred = G._node, G._succ, G._pred
    held = {}  # each node id as the int object its keys use, for the links to share it
    for row in node_rows:
        n = row[0]
        held[n] = n
        nodes[n] = _attributes(row)
        succ[n] = {}
        pred[n] = {}
    others: dict[str, dict[int, tuple[int, int]]] = {name: {} for name in _OTHER_LINKS}
    for link_id, link_type, source, target, weight in link_rows:
        if link_type == "supports":
            source, target = held.get(source), held.get(target)
            if source is None or target is None:
                continue
            data = edge_data(weight)
            succ[target][source] = data
            pred[source][target] = data
        elif link_type in others and source in nodes and target in nodes:
            others[link_type][link_id] = (source, target)
    return G, others


class _Unweighted(dict):
    """The data of every supports link of weight 1 (nearly all): one shared, empty dict
    instead of one per link (a hundred megabytes at a million nodes).

    Writing to it raises, so that a write meant for one link's data fails loudly instead
    of changing every link; copies (``G.copy()``, ``G.reverse()``, deepcopy) are plain dicts.
    """

    def _refuse(self, *_args, **_kwargs):
        raise TypeError("the data of unweighted links is shared and read-only")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __deepcopy__(self, _memo) -> dict:
        return {}

    def __reduce__(self):
        return (dict, ())


UNWEIGHTED: Mapping[str, Any] = _Unweighted()


def edge_data(weight: float) -> Mapping[str, Any]:
    """The data of a supports link of this weight, as the graph holds it."""
    return UNWEIGHTED if weight == 1.0 else {"weight": weight}


def _attributes(row) -> dict[str, Any]:
    """A node's attributes for analyses and summaries; unset ones are left out to keep a
    million nodes small.

    Kinds and statuses are interned: a million rows would otherwise hold a million copies
    of the word "active".
    """
    (
        _id,
        kind,
        title,
        status,
        standalone,
        team_id,
        owner_id,
        period_id,
        start,
        due,
        reported,
        visibility,
        need_type,
        segment,
        ref,
        url,
        budget,
        spent,
        done_at,
        *clarity,
        vision_description,
    ) = row
    attributes: dict[str, Any] = {
        "kind": _intern(kind),
        "title": title,
        "status": _intern(status),
    }
    optional = {
        "team_id": team_id,
        "owner_id": owner_id,
        "period_id": period_id,
        "start_date": start,
        "due_date": due,
        "reported_progress": reported,
        "need_type": need_type,
        "segment": segment,
        "budget": budget,
        "spent": spent,
        # Lateness is a matter of days (DOMAIN.md 14): the UTC day the node was done.
        "done_on": None if done_at is None else done_at.astimezone(dt.UTC).date(),
        "clarity": clarity_mask(clarity, vision_description) or None,
    }
    attributes.update(
        (name, _shared[name].setdefault(value, value) if name in _shared else value)
        for name, value in optional.items()
        if value is not None
    )
    # Node summaries carry the tracker's key and link; each is its node's own, so unshared.
    if ref is not None:
        attributes["ref"] = ref
    if url is not None:
        attributes["url"] = url
    if standalone:
        attributes["standalone"] = True
    if visibility != "public":
        attributes["visibility"] = _intern(visibility)
    return attributes


def current_revision(session: Session) -> int:
    """The revision of the committed data, as this session sees it."""
    return session.scalar(select(GraphState.revision))


class GraphStore:
    """Hands each request the graph at the latest committed revision.

    ``snapshots`` (a ``graphsnapshot.Snapshots``), when given, keeps the graph of every full
    build on disk and lets ``warm`` start from it.
    """

    def __init__(self, snapshots: Any = None) -> None:
        self._graph = Graph()
        self._lock = threading.Lock()
        self.snapshots = snapshots
        self.full_builds = 0
        self.replays = 0
        self.snapshot_loads = 0
        # Set where a worker must have its graph before it takes traffic (``/readyz``).
        self.warm_required = False
        self._warming: threading.Thread | None = None

    @property
    def ready(self) -> bool:
        """Whether a graph was built or loaded (it may be behind the database)."""
        return self._graph.revision is not None

    def warm(
        self,
        open_session: Callable[[], Session],
        autocommit: Callable[[], ContextManager[Connection]] | None = None,
    ) -> Graph:
        """Build the graph before the first request: from the snapshot when there is a
        usable one (then replayed forward), else from the database (then saved).

        Workers starting together take turns (a file lock beside the snapshot), so one
        builds from the database and the others load what it saved.
        """
        if self.snapshots is None:
            return self.current(open_session, None, autocommit)
        with self.snapshots.building():
            session = open_session()
            revision = current_revision(session)
            if not self.ready:
                started = time.perf_counter()
                loaded = self.snapshots.load(session.connection(), revision)
                if loaded is not None:
                    with self._lock:
                        gc.unfreeze()
                        self._graph = loaded
                        freeze_long_lived()
                        self.snapshot_loads += 1
                        self._observe(loaded, "snapshot", started)
                    if autocommit is not None:
                        with autocommit() as connection:
                            _ready_for_replays(connection, loaded.revision)
                    log.info("graph loaded from its snapshot", extra={"revision": revision})
            return self.current(open_session, revision, autocommit)

    def warm_in_background(self, warm: Callable[[], Any]) -> None:
        """Run ``warm`` on a thread of its own unless one runs already (for ``/readyz``)."""
        with self._lock:
            if self._warming is not None and self._warming.is_alive():
                return
            self._warming = threading.Thread(target=warm, name="graph-warm", daemon=True)
            self._warming.start()

    def join_warming(self, timeout: float | None = None) -> None:
        """Wait for a background warm-up to end (for tests and shutdown)."""
        thread = self._warming
        if thread is not None:
            thread.join(timeout)

    @property
    def latest(self) -> Graph | None:
        """The graph as last loaded, without asking the database (for answers to writes)."""
        return self._graph if self._graph.revision is not None else None

    def current(
        self,
        open_session: Callable[[], Session],
        revision: int | None = None,
        autocommit: Callable[[], ContextManager[Connection]] | None = None,
    ) -> Graph:
        """The graph at the database's committed revision (call before writing anything).

        ``open_session`` gives the request's session; it is only called when the database
        must be read, so a read at the held revision opens no transaction.
        ``revision`` may be given when the request has just read it. ``autocommit`` gives
        a connection to replay writes on without a transaction (by default, the session's):
        a replay needs no snapshot, a full build does.
        """
        if revision is None:
            revision = current_revision(open_session())
        with self._lock:
            graph = self._graph
            if graph.revision == revision:
                return graph
            if graph.revision is not None and graph.revision < revision:
                opened = autocommit() if autocommit else _session_connection(open_session)
                with opened as connection:
                    touched = _touched_since(connection, graph.revision, revision)
                    if touched is not None:
                        started = time.perf_counter()
                        graph.replay(connection, touched, revision)
                        self.replays += 1
                        self._observe(graph, "replay", started)
                        return graph
            started = time.perf_counter()
            gc.unfreeze()  # what the old graph held must be collectable again
            with paused():
                graph.load_all(open_session(), revision)
            freeze_long_lived()
            self.full_builds += 1
            self._observe(graph, "full", started)
            if self.snapshots is not None:
                self._save(graph, open_session)
            if autocommit is not None:
                with autocommit() as connection:
                    _ready_for_replays(connection, revision)
            return graph

    def release(self) -> None:
        """Free what the last replay set aside (call once an answer is sent).

        It takes no lock: it only drops results no answer reads any more, and must not wait
        behind a background build once the answer has gone out.
        """
        self._graph.release()

    def _save(self, graph: Graph, open_session: Callable[[], Session]) -> None:
        try:
            self.snapshots.write(graph, open_session().connection())
        except Exception:  # a full disk must not fail the request that built the graph
            log.warning("graph snapshot not written", exc_info=True)

    @staticmethod
    def _observe(graph: Graph, how: str, started: float) -> None:
        metrics = _metrics()
        if metrics is None:
            return
        metrics.GRAPH_BUILD.labels(how).observe(time.perf_counter() - started)
        metrics.GRAPH_SIZE.labels("nodes").set(len(graph.G._node))
        metrics.GRAPH_SIZE.labels("links").set(graph.link_count)


def _ready_for_replays(connection: Connection, revision: int) -> None:
    """Compile the replay statements now (each finds nothing), not on the first read
    after a write: compiling them costs that read a few milliseconds."""
    connection.execute(TOUCHED, {"since": revision, "until": revision}).all()
    for statement in REPLAY_STATEMENTS:
        connection.execute(statement, {"ids": [0]}).all()


@contextmanager
def _session_connection(open_session: Callable[[], Session]) -> Iterator[Connection]:
    yield open_session().connection()


def freeze_long_lived() -> None:
    """Move every object alive now out of the cyclic collector's sight.

    A built graph is hundreds of thousands of long-lived objects; left in the collector's
    oldest generation, each full collection walks them all (a third of a second at
    100,000 nodes, every few analyses). Frozen after each full build, they are skipped;
    reference counting still frees them, and the next full build unfreezes them first.
    """
    gc.collect()
    gc.freeze()


def _touched_since(connection: Connection, since: int, until: int) -> dict[str, set[int]] | None:
    rows = connection.execute(TOUCHED, {"since": since, "until": until}).all()
    if len(rows) > REPLAY_LIMIT * 4:
        return None
    touched: dict[str, set[int]] = {}
    for entity_type, entity_id in rows:
        if entity_type in GRAPH_ENTITIES:
            touched.setdefault(entity_type, set()).add(entity_id)
    if sum(len(ids) for ids in touched.values()) > REPLAY_LIMIT:
        return None
    return touched


def _by_ids(connection: Connection, statement, ids: Iterable[int]) -> Iterator[Any]:
    """The rows of ``statement`` for ``ids`` (its ``ids`` parameter), a chunk at a time."""
    ids = sorted(ids)
    for start in range(0, len(ids), _CHUNK):
        yield from connection.execute(statement, {"ids": ids[start : start + _CHUNK]})
