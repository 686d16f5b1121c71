"""Writing a checked import plan: bulk statements, one audit event per entity written.

Rows are inserted as tuples by ``bulk.insert_rows`` (ids handed out here, under the write
lock), audit images are JSON text made once by orjson, and the fingerprint of each new node
is computed from the document, not read back. The result is the same rows and events the
API's own operations would write, and what ``tests/test_import_writer.py`` checks.
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from models import (
    CLARITY_FIELDS,
    AuditEvent,
    KeyResult,
    Link,
    Node,
    Period,
    Person,
    Team,
    person_teams,
)
from models.base import utcnow
from service.collector import paused
from service.domain.bulk import insert_rows, json_text
from service.domain.changes import SECURITY_ENTITIES, Changes
from service.domain.fingerprint import fingerprint, fingerprint_image, stated_clarity

if TYPE_CHECKING:
    from service.domain.imports import Plan

# Past this many rows inserted into a table, the database's statistics of it are refreshed.
ANALYZE_AFTER_ROWS = 10_000
# SQLite's page cache while an import writes, in KiB (see ``_page_cache``).
SQLITE_IMPORT_CACHE_KIB = 4 * 1024 * 1024
EVENT_COLUMNS = (
    "revision",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
    "subject_node_id",
    "other_node_id",
    "restricted",
    "at",
)
_ENTITY = {
    Team: "team",
    Person: "person",
    Period: "period",
    Node: "node",
    KeyResult: "key_result",
    Link: "link",
}
# Keys of a planned row that are not columns and stay out of its audit image.
_NOT_IMAGED = frozenset({"team_keys", "reviewed_snapshot", "_before"})
_CLARITY = [getattr(Node, name) for name in CLARITY_FIELDS]


class Writer:
    """Applies a valid plan with bulk statements, one audit event per entity written."""

    def __init__(self, changes: Changes, existing: Any, plan: Plan):
        self.changes = changes
        self.session: Session = changes.session
        self.existing = existing  # what the plan was compared with: ``teams``, ``nodes``, ...
        self.plan = plan
        self.events: list[tuple] = []
        self.inserted: Counter[str] = Counter()  # rows inserted by table
        self.now = utcnow()
        self.analyze_after_rows = ANALYZE_AFTER_ROWS

    def write(self) -> None:
        self.team_ids = {ref: t["id"] for ref, t in self.existing.teams.items()}
        self.person_ids = {ref: p["id"] for ref, p in self.existing.people.items()}
        self.period_ids = {ref: p["id"] for ref, p in self.existing.periods.items()}
        # Node visibility after the import, for the audit events of links and key results.
        self.visibility = {n["id"]: n["visibility"] for n in self.existing.nodes.values()}
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            # The write lock is held (``Changes.begin``, within the statement timeout): what
            # follows only adds and changes rows no one else may write, in statements that
            # grow with the document (a million audit rows in one COPY). No bound on them.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        with _page_cache(connection), paused():
            self._write()

    def _write(self) -> None:
        self._teams()
        self._people()
        self._upsert(Period, "periods", self.period_ids, lambda v: v)
        self._nodes()
        self._key_results()
        self._fingerprints()
        self._links()
        self._flush_events()
        self._analyze()

    def _analyze(self) -> None:
        """Refresh the planner statistics of tables this import filled.

        Both databases pick indexes from them; without them, a table that just grew by a
        whole company is planned as if it were tiny (seen on both: one node's suspect-link
        lookup scanning every link, 30 to 150 times slower).
        """
        connection = self.session.connection()
        for name, count in sorted(self.inserted.items()):
            if count >= self.analyze_after_rows:
                connection.execute(text(f'ANALYZE "{name}"'))

    @staticmethod
    def _key(mapping: dict, value):
        return mapping[value[1]] if isinstance(value, tuple) else value

    # -- rows ------------------------------------------------------------------------------

    def _insert(self, model, rows: list[dict]) -> dict[str, int]:
        """Insert rows; the new ids by ref.

        Ids are handed out here rather than by the database: the write lock taken by
        ``Changes.begin()`` keeps every other writer out, and plain batched inserts are
        many times faster than inserts that return their ids row by row.
        """
        if not rows:
            return {}
        table = model.__table__
        connection = self.session.connection()
        first = (connection.scalar(select(func.max(table.c.id))) or 0) + 1
        stamps = {"created_at": self.now, "updated_at": self.now, "version": 1}
        columns = ["id", *(k for k in rows[0] if k in table.c and k not in stamps and k != "id")]
        columns += stamps
        imaged = [c for c in columns if c not in _NOT_IMAGED]
        values_of, image_of = itemgetter(*columns), itemgetter(*imaged)
        entity = _ENTITY[model]
        ids = {}
        values = []
        for offset, row in enumerate(rows):
            row["id"] = first + offset
            row.update(stamps)
            if "ref" in row:
                ids[row["ref"]] = row["id"]
            values.append(values_of(row))
            self._event("create", entity, row["id"], dict(zip(imaged, image_of(row), strict=True)))
        self.inserted[table.name] += insert_rows(connection, table, columns, values)
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                {"table": table.name, "last": first + len(rows) - 1},
            )
        return ids

    def _update(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        current = {
            row.id: row.version
            for chunk in id_chunks([r["id"] for r in rows])
            for row in self.session.execute(
                select(model.id, model.version).where(model.id.in_(chunk))
            )
        }
        columns = model.__table__.c
        written = []
        for planned in rows:
            row = {**planned, "updated_at": self.now, "version": current[planned["id"]] + 1}
            before = row.pop("_before", None)
            written.append(row)
            image = {k: v for k, v in row.items() if k in columns and k not in _NOT_IMAGED}
            if before is not None:
                before = {k: v for k, v in before.items() if k not in _NOT_IMAGED}
            self._event("update", _ENTITY[model], row["id"], image, before)
        _bulk_update(self.session, model, written)

    def _upsert(self, model, name: str, ids: dict, convert) -> None:
        ids.update(self._insert(model, [convert(v) for v in self.plan.creates[name]]))
        self._update(model, [convert(v) for v in self.plan.updates[name]])

    # -- entities --------------------------------------------------------------------------

    def _teams(self) -> None:
        # Parents first: insert without parents, then set every parent.
        creates = self.plan.creates["teams"]
        self.team_ids.update(
            self._insert(
                Team, [{"ref": t["ref"], "name": t["name"], "parent_id": None} for t in creates]
            )
        )
        parented = [t for t in creates if t["parent_id"] is not None]
        if parented:
            _bulk_update(
                self.session,
                Team,
                [
                    {
                        "id": self.team_ids[t["ref"]],
                        "parent_id": self._key(self.team_ids, t["parent_id"]),
                    }
                    for t in parented
                ],
            )
        self._update(
            Team,
            [
                {**t, "parent_id": self._key(self.team_ids, t["parent_id"])}
                for t in self.plan.updates["teams"]
            ],
        )

    def _people(self) -> None:
        def row(person):
            return {k: person[k] for k in ("ref", "name", "email") if k in person} | (
                {"id": person["id"], "_before": person["_before"]} if "id" in person else {}
            )

        self.person_ids.update(self._insert(Person, [row(p) for p in self.plan.creates["people"]]))
        self._update(Person, [row(p) for p in self.plan.updates["people"]])
        changed = self.plan.creates["people"] + self.plan.updates["people"]
        if not changed:
            return
        ids = [self.person_ids[p["ref"]] for p in changed]
        for chunk in id_chunks(ids):
            self.session.execute(delete(person_teams).where(person_teams.c.person_id.in_(chunk)))
        rows = [
            {"person_id": self.person_ids[p["ref"]], "team_id": self._key(self.team_ids, t)}
            for p in changed
            for t in dict.fromkeys(p["team_keys"])
            if t is not None
        ]
        if rows:
            self.session.connection().execute(insert(person_teams), rows)

    def _nodes(self) -> None:
        team_ids, person_ids, period_ids = self.team_ids, self.person_ids, self.period_ids

        def row(node):
            out = dict(node)
            out["team_id"] = self._key(team_ids, node["team_id"])
            out["owner_id"] = self._key(person_ids, node["owner_id"])
            out["period_id"] = self._key(period_ids, node["period_id"])
            return out

        def created(node):
            out = row(node)
            targets = planned_krs.get(node["ref"], ())
            clarity = stated_clarity(node)
            out["fingerprint"] = fingerprint(
                node["title"], node.get("description"), targets, clarity
            )
            self.born[node["ref"]] = (
                out["fingerprint"],
                fingerprint_image(node["title"], node.get("description"), targets, clarity),
            )
            return out

        planned_krs: dict[str, list] = defaultdict(list)
        for kr in self.plan.creates["key_results"]:
            if isinstance(kr["node_id"], tuple):  # a goal this document creates
                planned_krs[kr["node_id"][1]].append(_Target(kr))
        self.born: dict[str, tuple[str, dict]] = {}

        self.node_ids = {ref: n["id"] for ref, n in self.existing.nodes.items()}
        self.node_ids.update(self._insert(Node, [created(n) for n in self.plan.creates["nodes"]]))
        self._update(Node, [row(n) for n in self.plan.updates["nodes"]])
        for name in ("creates", "updates"):
            for node in getattr(self.plan, name)["nodes"]:
                self.visibility[self.node_ids[node["ref"]]] = node["visibility"]

    def _key_results(self) -> None:
        def row(kr):
            return {**kr, "node_id": self._key(self.node_ids, kr["node_id"])}

        self._insert(KeyResult, [row(k) for k in self.plan.creates["key_results"]])
        self._update(KeyResult, [row(k) for k in self.plan.updates["key_results"]])

    def _fingerprints(self) -> None:
        """Recompute fingerprints of written nodes and of goals whose key results changed.

        A node this import creates has its fingerprint from the document (``_nodes``); the
        others are read back, with their key results, and rewritten where they moved.
        """
        refs = {n["ref"] for n in self.plan.updates["nodes"]}
        refs |= set(self._kr_goal_refs()) - set(self.born)
        self.images: dict[int, dict] = {}
        self.fingerprints: dict[int, str] = {}
        for ref, (mark, image) in self.born.items():
            self.images[self.node_ids[ref]] = image
            self.fingerprints[self.node_ids[ref]] = mark
        ids = [self.node_ids[ref] for ref in refs]
        krs: dict[int, list] = defaultdict(list)
        for chunk in id_chunks(ids):
            for kr in self.session.execute(
                select(
                    KeyResult.node_id, KeyResult.metric, KeyResult.direction, KeyResult.target_value
                ).where(KeyResult.node_id.in_(chunk))
            ):
                krs[kr.node_id].append(kr)
        updates = []
        for chunk in id_chunks(ids):
            for node in self.session.execute(
                select(Node.id, Node.title, Node.description, Node.fingerprint, *_CLARITY).where(
                    Node.id.in_(chunk)
                )
            ):
                clarity = stated_clarity(node)
                new = fingerprint(node.title, node.description, krs.get(node.id, ()), clarity)
                self.images[node.id] = fingerprint_image(
                    node.title, node.description, krs.get(node.id, ()), clarity
                )
                self.fingerprints[node.id] = new
                if new != node.fingerprint:
                    updates.append({"id": node.id, "fingerprint": new})
        if updates:
            _bulk_update(self.session, Node, updates)

    def _kr_goal_refs(self):
        refs_by_id = None
        for name in ("creates", "updates"):
            for kr in getattr(self.plan, name)["key_results"]:
                goal = kr["node_id"]
                if isinstance(goal, tuple):
                    yield goal[1]
                    continue
                if refs_by_id is None:
                    refs_by_id = {v: k for k, v in self.node_ids.items()}
                yield refs_by_id[goal]

    def _links(self) -> None:
        node_ids = self.node_ids

        def node_id(ref: str) -> int:
            return int(ref[1:]) if ref.startswith("#") and ref not in node_ids else node_ids[ref]

        creates = self.plan.creates["links"]
        for link in creates:
            link["source_id"], link["target_id"] = node_id(link["source"]), node_id(link["target"])
        targets = {link["target_id"] for link in creates}
        stored = {}
        for chunk in id_chunks(sorted(targets - set(self.images))):
            for node in self.session.execute(
                select(Node.id, Node.fingerprint, Node.title, Node.description, *_CLARITY).where(
                    Node.id.in_(chunk)
                )
            ):
                stored[node.id] = node
        # One image per target, shared by every link into it, as JSON text made once.
        snapshots: dict[int, tuple[str, str | None]] = {}
        rows = []
        for link in creates:
            target = link["target_id"]
            held = snapshots.get(target)
            if held is None:
                if target in self.images:
                    image, mark = self.images[target], self.fingerprints[target]
                else:
                    node = stored[target]
                    image = fingerprint_image(
                        node.title, node.description, (), stated_clarity(node)
                    )
                    mark = node.fingerprint
                held = snapshots[target] = (mark, json_text(image))
            rows.append(
                {
                    "type": link["type"],
                    "source_id": link["source_id"],
                    "target_id": target,
                    "weight": link["weight"],
                    "rationale": link["rationale"],
                    "reviewed_fingerprint": held[0],
                    "reviewed_snapshot": held[1],
                }
            )
        self._insert(Link, rows)
        self._update(
            Link,
            [
                {
                    "id": link["id"],
                    "source_id": node_id(link["source"]),
                    "target_id": node_id(link["target"]),
                    "weight": link["weight"],
                    "rationale": link["rationale"],
                    "_before": link["_before"],
                }
                for link in self.plan.updates["links"]
            ],
        )

    # -- audit -----------------------------------------------------------------------------

    def _event(
        self, action: str, entity: str, entity_id: int, image: dict, before: dict | None = None
    ) -> None:
        """One audit event, as ``Changes.record`` would write it, with ``image`` after.

        An event is restricted when a node it concerns is not public: the node itself
        before or after, or either end of a link, or a key result's goal.
        """
        other = None
        if entity == "node":
            subject = entity_id
            restricted = image["visibility"] != "public" or (
                before is not None and before.get("visibility", "public") != "public"
            )
        elif entity == "link":
            subject, other = image.get("source_id"), image.get("target_id")
            visibility = self.visibility
            restricted = (
                visibility.get(subject, "public") != "public"
                or visibility.get(other, "public") != "public"
            )
        elif entity == "key_result":
            subject = image.get("node_id")
            restricted = self.visibility.get(subject, "public") != "public"
        else:
            subject, restricted = None, False
        self.events.append(
            (
                self.changes.revision,
                self.changes.actor,
                action,
                entity,
                entity_id,
                json_text(before),
                json_text(image),
                subject,
                other,
                restricted,
                self.now,
            )
        )

    def _flush_events(self) -> None:
        if any(event[3] in SECURITY_ENTITIES for event in self.events):
            self.changes.mark_security_change()
        table = AuditEvent.__table__
        self.inserted[table.name] += insert_rows(
            self.session.connection(), table, EVENT_COLUMNS, self.events
        )


@contextlib.contextmanager
def _page_cache(connection: Connection) -> Iterator[None]:
    """A large SQLite page cache while the import writes, the usual one after.

    A transaction's changed pages that do not fit the cache (2 MiB by default) are written
    to the WAL early and again each time they change: at a million nodes, the indexes made
    the import write about 8 GB for a 1 GB database and took ten times longer than at a
    hundred thousand. The cache only takes the memory it fills.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(usual)}")


def _bulk_update(session: Session, model, rows: list[dict]) -> None:
    """UPDATE ... WHERE id = ? for many rows (each row's keys other than id are set)."""
    table = model.__table__
    by_keys: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        values = {f"v_{k}": v for k, v in row.items() if k in table.c and k != "id"}
        by_keys[tuple(sorted(values))].append({"row_id": row["id"], **values})
    for keys, group in by_keys.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({key[2:]: bindparam(key) for key in keys})
        )
        session.connection().execute(statement, group)


class _Target:
    """The parts of a planned key result that a goal's fingerprint covers."""

    __slots__ = ("direction", "metric", "target_value")

    def __init__(self, kr: dict):
        self.metric, self.direction = kr["metric"], kr["direction"]
        self.target_value = kr["target_value"]


def id_chunks(ids):
    """``ids`` in lists of at most 900 (under every database's limit of bound parameters)."""
    ids = list(ids)
    for start in range(0, len(ids), 900):
        yield ids[start : start + 900]
