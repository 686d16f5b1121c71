"""Bulk import: one document of teams, people, periods, nodes, links and key results by ref.

All or nothing, idempotent (the same document twice changes nothing) and held to the same
rules as the API. Entities are matched by ``ref`` (links by type, source and target); what
the document leaves out is left alone. ``dry_run`` reports the changes and every rule
violation without writing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from sqlalchemy import JSON, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from models import KeyResult, Link, Node, Period, Person, Team, person_teams
from models.base import utcnow
from service.auth.policy import require_admin
from service.domain.changes import SECURITY_ENTITIES, Changes
from service.domain.fingerprint import fingerprint, fingerprint_image
from service.domain.rules import (
    key_result_goal_problem,
    link_pair,
    link_problem,
    node_problems,
    period_problem,
    self_link_problem,
    span_problem,
    team_cycle,
)

NODE_FIELDS = (
    "kind",
    "title",
    "status",
    "description",
    "url",
    "start_date",
    "due_date",
    "standalone",
    "standalone_reason",
    "visibility",
    "reported_progress",
)
NODE_DEFAULTS = {"status": "active", "visibility": "public", "standalone": False}
KR_FIELDS = (
    "title",
    "metric",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "weight",
    "confidence",
)
ENTITIES = ("teams", "people", "periods", "nodes", "links", "key_results")
_CHUNK = 2_000
# Past this many rows inserted into a table, the database's statistics of it are refreshed.
ANALYZE_AFTER_ROWS = 10_000


@dataclass
class Plan:
    """What an import would do."""

    creates: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    updates: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    violations: list[dict] = field(default_factory=list)

    def violation(self, code: str, detail: str, *refs: str) -> None:
        self.violations.append({"code": code, "detail": detail, "refs": list(refs)})

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "created": len(self.creates[name]),
                "updated": len(self.updates[name]),
                "unchanged": self.unchanged[name],
            }
            for name in ENTITIES
        }


def import_document(changes: Changes, document: dict[str, Any], dry_run: bool = False) -> dict:
    """Check the document against the stored data and apply it in one transaction."""
    require_admin(changes.principal, "import")
    if not dry_run:
        changes.begin()  # take the write lock before reading what the plan compares against
    planner = _Planner(changes.session, document)
    plan = planner.build()
    valid = not plan.violations
    report = {
        "dry_run": dry_run,
        "valid": valid,
        "applied": False,
        "counts": plan.counts(),
        "violations": plan.violations,
        "revision": None,
    }
    if dry_run or not valid:
        return report
    touched = any(plan.creates[n] or plan.updates[n] for n in ENTITIES)
    if touched:
        _Writer(changes, planner, plan).write()
        report["revision"] = changes.revision
    report["applied"] = True
    return report


class _Planner:
    def __init__(self, session: Session, document: dict[str, Any]):
        self.session = session
        self.doc = document
        self.plan = Plan()

    def build(self) -> Plan:
        self.teams = self._existing(Team, ("name", "parent_id"))
        self.people = self._existing(Person, ("name", "email"))
        self.periods = self._existing(Period, ("name", "start_date", "end_date"))
        self.nodes = self._existing(Node, ("owner_id", "team_id", "period_id", *NODE_FIELDS))
        self.krs = self._existing(KeyResult, ("node_id", *KR_FIELDS))
        for name in ("teams", "people", "periods", "nodes", "key_results"):
            self._unique_refs(name)
        self._plan_teams()
        self._plan_people()
        self._plan_simple("periods", self.periods, ("name", "start_date", "end_date"))
        self._plan_nodes()
        self._plan_links()
        self._plan_key_results()
        self._check_kind_changes()
        return self.plan

    # -- reading -----------------------------------------------------------------------

    def _existing(self, model, columns) -> dict[str, dict]:
        rows = self.session.execute(
            select(model.id, model.ref, *(getattr(model, c) for c in columns)).where(
                model.ref.is_not(None)
            )
        )
        return {row.ref: dict(row._mapping) for row in rows}

    def _unique_refs(self, name: str) -> None:
        seen: set[str] = set()
        for item in self.doc.get(name, []):
            if item["ref"] in seen:
                self.plan.violation(
                    "duplicate_ref", f"The ref appears twice in {name}.", item["ref"]
                )
            seen.add(item["ref"])

    def _resolve(self, known: dict, new: set, ref: str | None, field_name: str, owner: str):
        """The id of an existing entity, the ref of a new one, or a violation."""
        if ref is None:
            return None
        if ref in new:
            return ("new", ref)
        if ref in known:
            return known[ref]["id"]
        self.plan.violation(
            "unknown_reference", f"{field_name} {ref!r} matches nothing.", owner, ref
        )
        return None

    # -- planning ----------------------------------------------------------------------

    def _compare(self, name: str, existing: dict | None, values: dict) -> None:
        if existing is None:
            self.plan.creates[name].append(values)
        elif any(existing.get(key) != value for key, value in values.items() if key != "ref"):
            self.plan.updates[name].append({**values, "id": existing["id"], "_before": existing})
        else:
            self.plan.unchanged[name] += 1

    def _plan_teams(self) -> None:
        items = self.doc.get("teams", [])
        new = {t["ref"] for t in items if t["ref"] not in self.teams}
        parents = {}
        for team in items:
            parent = self._resolve(self.teams, new, team.get("parent"), "parent", team["ref"])
            parents[team["ref"]] = team.get("parent")
            self._compare(
                "teams",
                self.teams.get(team["ref"]),
                {"ref": team["ref"], "name": team["name"], "parent_id": parent},
            )
        stored_ref = {t["id"]: ref for ref, t in self.teams.items()}

        def parent_of(ref):
            if ref in parents:
                return parents[ref]
            stored = self.teams.get(ref)
            return None if stored is None else stored_ref.get(stored["parent_id"])

        for ref in parents:  # a team may not sit below itself
            cycle = team_cycle(ref, parents[ref], parent_of)
            if cycle is not None and min(r for r in cycle if r in parents) == ref:  # once a loop
                self.plan.violation("cycle", "Teams form a loop of parents.", *sorted(set(cycle)))

    def _plan_people(self) -> None:
        team_refs = {t["ref"] for t in self.doc.get("teams", [])}
        members = self._memberships()
        for person in self.doc.get("people", []):
            teams = [
                self._resolve(self.teams, team_refs - set(self.teams), ref, "team", person["ref"])
                for ref in person.get("teams", [])
            ]
            existing = self.people.get(person["ref"])
            values = {"ref": person["ref"], "name": person["name"], "email": person.get("email")}
            wanted = sorted({ref for ref in person.get("teams", [])})
            if existing is not None:
                existing = {**existing, "teams": members.get(existing["id"], [])}
            values["teams"] = wanted
            values["team_keys"] = teams
            self._compare_person(existing, values)

    def _compare_person(self, existing, values) -> None:
        comparable = {k: v for k, v in values.items() if k != "team_keys"}
        if existing is None:
            self.plan.creates["people"].append(values)
        elif any(existing.get(k) != v for k, v in comparable.items() if k != "ref"):
            self.plan.updates["people"].append(
                {**values, "id": existing["id"], "_before": existing}
            )
        else:
            self.plan.unchanged["people"] += 1

    def _memberships(self) -> dict[int, list[str]]:
        rows = self.session.execute(
            select(person_teams.c.person_id, Team.ref).join(Team, Team.id == person_teams.c.team_id)
        )
        members: dict[int, list[str]] = defaultdict(list)
        for person_id, ref in rows:
            members[person_id].append(ref)
        return {k: sorted(v) for k, v in members.items()}

    def _plan_simple(self, name: str, known: dict, columns) -> None:
        for item in self.doc.get(name, []):
            problem = period_problem(item["start_date"], item["end_date"])
            if problem is not None:
                self.plan.violation(problem.code, problem.detail, item["ref"])
            self._compare(
                name, known.get(item["ref"]), {"ref": item["ref"], **{c: item[c] for c in columns}}
            )

    def _plan_nodes(self) -> None:
        new_teams = {t["ref"] for t in self.doc.get("teams", [])} - set(self.teams)
        new_people = {p["ref"] for p in self.doc.get("people", [])} - set(self.people)
        new_periods = {p["ref"] for p in self.doc.get("periods", [])} - set(self.periods)
        self.kinds: dict[str, str] = {ref: n["kind"] for ref, n in self.nodes.items()}
        for node in self.doc.get("nodes", []):
            ref = node["ref"]
            self.kinds[ref] = node["kind"]
            values = {"ref": ref, **NODE_DEFAULTS}
            values.update({k: node.get(k) for k in NODE_FIELDS if k in node})
            for k in NODE_FIELDS:
                values.setdefault(k, None)
            values["team_id"] = self._resolve(self.teams, new_teams, node.get("team"), "team", ref)
            values["owner_id"] = self._resolve(
                self.people, new_people, node.get("owner"), "owner", ref
            )
            values["period_id"] = self._resolve(
                self.periods, new_periods, node.get("period"), "period", ref
            )
            self._check_node(values)
            self._compare("nodes", self.nodes.get(ref), values)

    def _check_node(self, values: dict) -> None:
        for problem in node_problems(values):
            self.plan.violation(problem.code, problem.detail, values["ref"])

    def _plan_links(self) -> None:
        ids = {ref: n["id"] for ref, n in self.nodes.items()}
        existing = self._existing_links()
        seen: set[tuple] = set()
        graph = nx.DiGraph()
        graph.add_edges_from((key[1], key[2]) for key in existing if key[0] == "supports")
        for link in self.doc.get("links", []):
            kind, source, target = link.get("type", "supports"), link["source"], link["target"]
            refs = (source, target)
            missing = [r for r in refs if r not in self.kinds]
            if missing:
                self.plan.violation("unknown_reference", "A link end matches no node.", *refs)
                continue
            problem = self_link_problem(source, target)
            if problem is not None:
                self.plan.violation(problem.code, problem.detail, source)
                continue
            key = (kind, source, target)
            pair = link_pair(kind, source, target)
            if pair in seen:
                self.plan.violation("duplicate", "The link appears twice.", *refs)
                continue
            seen.add(pair)
            problem = link_problem(kind, self.kinds[source], self.kinds[target])
            if problem is not None:
                self.plan.violation(problem.code, problem.detail, *refs)
                continue
            if kind == "supports":
                graph.add_edge(source, target)
            weight = link.get("weight", 1.0) if kind == "supports" else 1.0
            values = {
                "type": kind,
                "source": source,
                "target": target,
                "weight": weight,
                "rationale": link.get("rationale"),
            }
            stored = existing.get(key)
            if stored is None and kind == "conflicts_with":
                stored = existing.get((kind, target, source))
            if stored is None:
                self.plan.creates["links"].append(values)
            elif (stored["weight"], stored["rationale"]) != (weight, values["rationale"]):
                self.plan.updates["links"].append({**values, "id": stored["id"], "_before": stored})
            else:
                self.plan.unchanged["links"] += 1
        self.node_ids = ids
        if not nx.is_directed_acyclic_graph(graph):
            for component in nx.strongly_connected_components(graph):
                if len(component) > 1:
                    cycle = [edge[0] for edge in nx.find_cycle(graph.subgraph(component))]
                    self.plan.violation("cycle", "These supports links form a cycle.", *cycle)

    def _check_kind_changes(self) -> None:
        """Hold every stored link and key result of a node whose kind changes to the rules."""
        changed = {
            stored["id"]: ref
            for ref, stored in self.nodes.items()
            if self.kinds[ref] != stored["kind"]
        }
        if not changed:
            return
        child, parent = aliased(Node), aliased(Node)
        checked: set[int] = set()  # a link between two changed nodes is held once
        for chunk in _chunks(sorted(changed)):
            rows = self.session.execute(
                select(Link.id, child.id, child.ref, child.kind, parent.id, parent.ref, parent.kind)
                .select_from(Link)
                .join(child, child.id == Link.source_id)
                .join(parent, parent.id == Link.target_id)
                .where(
                    Link.type == "supports",
                    or_(Link.source_id.in_(chunk), Link.target_id.in_(chunk)),
                )
                .order_by(Link.id)
            )
            for (
                link_id,
                child_id,
                child_ref,
                child_kind,
                parent_id,
                parent_ref,
                parent_kind,
            ) in rows:
                if link_id in checked:
                    continue
                checked.add(link_id)
                ends = (child_ref or f"#{child_id}", parent_ref or f"#{parent_id}")
                kinds = [
                    self.kinds.get(ref, kind)
                    for ref, kind in ((child_ref, child_kind), (parent_ref, parent_kind))
                ]
                problem = link_problem("supports", *kinds)
                if problem is not None:
                    self.plan.violation(problem.code, problem.detail, *ends)
            goals = self.session.execute(
                select(KeyResult.node_id).where(KeyResult.node_id.in_(chunk)).distinct()
            )
            for (node_id,) in goals:
                problem = key_result_goal_problem(self.kinds[changed[node_id]])
                if problem is not None:
                    self.plan.violation(problem.code, problem.detail, changed[node_id])

    def _existing_links(self) -> dict[tuple, dict]:
        refs = dict(self.session.execute(select(Node.id, Node.ref)).all())
        links = {}
        for row in self.session.execute(
            select(Link.id, Link.type, Link.source_id, Link.target_id, Link.weight, Link.rationale)
        ):
            source = refs.get(row.source_id) or f"#{row.source_id}"
            target = refs.get(row.target_id) or f"#{row.target_id}"
            links[(row.type, source, target)] = {
                "id": row.id,
                "weight": row.weight,
                "rationale": row.rationale,
            }
        return links

    def _plan_key_results(self) -> None:
        for kr in self.doc.get("key_results", []):
            goal = kr["goal"]
            if goal not in self.kinds:
                self.plan.violation(
                    "unknown_reference", "The goal matches no node.", kr["ref"], goal
                )
                continue
            problem = key_result_goal_problem(self.kinds[goal])
            if problem is not None:
                self.plan.violation(problem.code, problem.detail, kr["ref"], goal)
                continue
            problem = span_problem(kr["start_value"], kr["target_value"], kr["direction"])
            if problem is not None:
                self.plan.violation(problem.code, problem.detail, kr["ref"])
                continue
            values = {
                "ref": kr["ref"],
                "weight": 1.0,
                "title": None,
                "unit": None,
                "current_value": None,
                "confidence": None,
            }
            values.update({k: kr[k] for k in KR_FIELDS if k in kr})
            stored = self.krs.get(kr["ref"])
            values["node_id"] = self.nodes[goal]["id"] if goal in self.nodes else ("new", goal)
            self._compare("key_results", stored, values)


class _Writer:
    """Applies a valid plan with bulk statements, one audit event per entity written."""

    def __init__(self, changes: Changes, planner: _Planner, plan: Plan):
        self.changes = changes
        self.session = changes.session
        self.planner = planner
        self.plan = plan
        self.events: list[dict] = []
        self.inserted: Counter[str] = Counter()  # rows inserted by table

    def write(self) -> None:
        self.team_ids = {ref: t["id"] for ref, t in self.planner.teams.items()}
        self.person_ids = {ref: p["id"] for ref, p in self.planner.people.items()}
        self.period_ids = {ref: p["id"] for ref, p in self.planner.periods.items()}
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
            if count >= ANALYZE_AFTER_ROWS:
                connection.execute(text(f'ANALYZE "{name}"'))

    def _key(self, mapping: dict, value):
        return mapping[value[1]] if isinstance(value, tuple) else value

    def _insert(self, model, rows: list[dict]) -> dict[str, int]:
        """Insert rows in batches; the new ids by ref.

        Ids are handed out here rather than by the database: the write lock taken by
        ``Changes.begin()`` keeps every other writer out, and plain batched inserts are
        many times faster than inserts that return their ids row by row.
        """
        if not rows:
            return {}
        table = model.__table__
        connection = self.session.connection()
        first = (connection.scalar(select(func.max(table.c.id))) or 0) + 1
        now = utcnow()
        ids = {}
        for offset, row in enumerate(rows):
            row["id"] = first + offset
            if "ref" in row:
                ids[row["ref"]] = row["id"]
        self.inserted[table.name] += len(rows)
        for start in range(0, len(rows), _CHUNK):
            chunk = [
                {
                    **{k: v for k, v in row.items() if k in table.c},
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for row in rows[start : start + _CHUNK]
            ]
            _insert_rows(connection, table, chunk)
            for row in chunk:
                self._event("create", _ENTITY[model], row["id"], row)
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                {"table": table.name, "last": first + len(rows) - 1},
            )
        return ids

    def _update(self, model, rows: list[dict]) -> None:
        now = utcnow()
        current = {
            row.id: row.version
            for chunk in _chunks([r["id"] for r in rows])
            for row in self.session.execute(
                select(model.id, model.version).where(model.id.in_(chunk))
            )
        }
        for start in range(0, len(rows), _CHUNK):
            chunk = [
                {**row, "updated_at": now, "version": current[row["id"]] + 1}
                for row in rows[start : start + _CHUNK]
            ]
            befores = [row.pop("_before", None) for row in chunk]
            _bulk_update(self.session, model, chunk)
            for row, before in zip(chunk, befores, strict=True):
                self._event("update", _ENTITY[model], row["id"], row, before)

    def _upsert(self, model, name: str, ids: dict, convert) -> None:
        ids.update(self._insert(model, [convert(v) for v in self.plan.creates[name]]))
        self._update(model, [convert(v) for v in self.plan.updates[name]])

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
                {"id": person["id"]} if "id" in person else {}
            )

        self.person_ids.update(self._insert(Person, [row(p) for p in self.plan.creates["people"]]))
        self._update(Person, [row(p) for p in self.plan.updates["people"]])
        changed = self.plan.creates["people"] + self.plan.updates["people"]
        if not changed:
            return
        ids = [self.person_ids[p["ref"]] for p in changed]
        for chunk in _chunks(ids):
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
        def row(node):
            out = {k: v for k, v in node.items()}
            out["team_id"] = self._key(self.team_ids, node["team_id"])
            out["owner_id"] = self._key(self.person_ids, node["owner_id"])
            out["period_id"] = self._key(self.period_ids, node["period_id"])
            return out

        def created(node):
            out = row(node)
            targets = planned_krs.get(node["ref"], ())
            out["fingerprint"] = fingerprint(node["title"], node.get("description"), targets)
            self.born[node["ref"]] = (
                out["fingerprint"],
                fingerprint_image(node["title"], node.get("description"), targets),
            )
            return out

        planned_krs: dict[str, list] = defaultdict(list)
        for kr in self.plan.creates["key_results"]:
            if isinstance(kr["node_id"], tuple):  # a goal this document creates
                planned_krs[kr["node_id"][1]].append(_Target(kr))
        self.born: dict[str, tuple[str, dict]] = {}

        self.node_ids = {ref: n["id"] for ref, n in self.planner.nodes.items()}
        self.node_ids.update(self._insert(Node, [created(n) for n in self.plan.creates["nodes"]]))
        self._update(Node, [row(n) for n in self.plan.updates["nodes"]])

    def _key_results(self) -> None:
        def row(kr):
            return {**kr, "node_id": self._key(self.node_ids, kr["node_id"])}

        self._insert(KeyResult, [row(k) for k in self.plan.creates["key_results"]])
        self._update(KeyResult, [row(k) for k in self.plan.updates["key_results"]])

    def _fingerprints(self) -> None:
        """Recompute fingerprints of written nodes and of goals whose key results changed."""
        refs = {n["ref"] for n in self.plan.updates["nodes"]}
        refs |= {kr["goal_ref"] for kr in self._kr_goals()} - set(self.born)
        self.images: dict[int, dict] = {}
        self.fingerprints: dict[int, str] = {}
        for ref, (mark, image) in self.born.items():
            self.images[self.node_ids[ref]] = image
            self.fingerprints[self.node_ids[ref]] = mark
        ids = [self.node_ids[ref] for ref in refs]
        krs: dict[int, list] = defaultdict(list)
        for chunk in _chunks(ids):
            for kr in self.session.execute(
                select(
                    KeyResult.node_id, KeyResult.metric, KeyResult.direction, KeyResult.target_value
                ).where(KeyResult.node_id.in_(chunk))
            ):
                krs[kr.node_id].append(kr)
        updates = []
        for chunk in _chunks(ids):
            for node in self.session.execute(
                select(Node.id, Node.title, Node.description, Node.fingerprint).where(
                    Node.id.in_(chunk)
                )
            ):
                new = fingerprint(node.title, node.description, krs.get(node.id, ()))
                self.images[node.id] = fingerprint_image(
                    node.title, node.description, krs.get(node.id, ())
                )
                self.fingerprints[node.id] = new
                if new != node.fingerprint:
                    updates.append({"id": node.id, "fingerprint": new})
        if updates:
            _bulk_update(self.session, Node, updates)

    def _kr_goals(self):
        for name in ("creates", "updates"):
            for kr in getattr(self.plan, name)["key_results"]:
                goal = kr["node_id"]
                ref = goal[1] if isinstance(goal, tuple) else self._ref_of(goal)
                yield {"goal_ref": ref}

    def _ref_of(self, node_id: int) -> str:
        if not hasattr(self, "_refs_by_id"):
            self._refs_by_id = {v: k for k, v in self.node_ids.items()}
        return self._refs_by_id[node_id]

    def _links(self) -> None:
        def node_id(ref: str) -> int:
            return (
                int(ref[1:])
                if ref.startswith("#") and ref not in self.node_ids
                else (self.node_ids[ref])
            )

        targets = {node_id(link["target"]) for link in self.plan.creates["links"]}
        stored = {}
        for chunk in _chunks(sorted(targets - set(self.images))):
            for node in self.session.execute(
                select(Node.id, Node.fingerprint, Node.title, Node.description).where(
                    Node.id.in_(chunk)
                )
            ):
                stored[node.id] = node
        fingerprints = self.fingerprints
        rows = []
        for link in self.plan.creates["links"]:
            source, target = node_id(link["source"]), node_id(link["target"])
            if target in self.images:
                image, mark = self.images[target], fingerprints[target]
            else:
                node = stored[target]
                image = fingerprint_image(node.title, node.description, ())
                mark = node.fingerprint
            rows.append(
                {
                    "type": link["type"],
                    "source_id": source,
                    "target_id": target,
                    "weight": link["weight"],
                    "rationale": link["rationale"],
                    "reviewed_fingerprint": mark,
                    "reviewed_snapshot": image,
                }
            )
        self._insert(Link, rows)
        self._update(
            Link,
            [
                {
                    "id": link["id"],
                    "weight": link["weight"],
                    "rationale": link["rationale"],
                    "_before": link["_before"],
                }
                for link in self.plan.updates["links"]
            ],
        )

    def _event(
        self, action: str, entity_type: str, entity_id: int, image: dict, before: dict | None = None
    ) -> None:
        after = _json_ready(image)
        node = (
            entity_id if entity_type == "node" else image.get("node_id") or image.get("source_id")
        )
        self.events.append(
            {
                "revision": self.changes.revision,
                "actor": self.changes.actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "before": _json_ready(before) if before else None,
                "after": after,
                "subject_node_id": node if isinstance(node, int) else None,
                "other_node_id": image.get("target_id"),
                "restricted": image.get("visibility", "public") != "public",
                "at": utcnow(),
            }
        )

    def _flush_events(self) -> None:
        from models import AuditEvent

        if any(event["entity_type"] in SECURITY_ENTITIES for event in self.events):
            self.changes.mark_security_change()
        connection = self.session.connection()
        self.inserted[AuditEvent.__table__.name] += len(self.events)
        for start in range(0, len(self.events), _CHUNK):
            _insert_rows(connection, AuditEvent.__table__, self.events[start : start + _CHUNK])


def _insert_rows(connection, table, rows: list[dict]) -> None:
    """INSERT many rows: COPY on PostgreSQL, one prepared statement for all on SQLite.

    Row-by-row statements cost a round trip and a constraint check each on PostgreSQL;
    COPY streams the rows in one go, tens of times faster for a whole company.
    """
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    as_json = {name for name in columns if isinstance(table.c[name].type, JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.dbapi_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(row[c]) if c in as_json and row[c] is not None else row[c]
                    for c in columns
                ]
            )


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


def _json_ready(image: dict) -> dict:
    return {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in image.items()
        if k not in ("team_keys", "reviewed_snapshot", "_before")
    }


class _Target:
    """The parts of a planned key result that a goal's fingerprint covers."""

    __slots__ = ("direction", "metric", "target_value")

    def __init__(self, kr: dict):
        self.metric, self.direction = kr["metric"], kr["direction"]
        self.target_value = kr["target_value"]


_ENTITY = {
    Team: "team",
    Person: "person",
    Period: "period",
    Node: "node",
    KeyResult: "key_result",
    Link: "link",
}


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), 900):
        yield ids[start : start + 900]
