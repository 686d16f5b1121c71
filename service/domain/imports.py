"""Bulk import: one document of teams, people, periods, nodes, links and key results by ref.

All or nothing, idempotent (the same document twice changes nothing) and held to the same
rules as the API. Entities are matched by ``ref`` (links by type, source and target); what
the document leaves out is left alone. ``dry_run`` reports the changes and every rule
violation without writing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from models import CLARITY_FIELDS, KeyResult, Link, Node, Period, Person, Team, person_teams
from models.base import utcnow
from service.auth.policy import require_admin
from service.collector import paused
from service.domain.changes import Changes
from service.domain.import_writer import Writer, id_chunks
from service.domain.rules import (
    done_at_after,
    done_at_problem,
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
    "segment",
    "need_type",
    *CLARITY_FIELDS,
    "budget",
    "spent",
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


@dataclass
class Plan:
    """What an import would do."""

    creates: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    updates: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    violations: list[dict] = field(default_factory=list)

    def violation(self, code: str, detail: str, *refs: str, field: str | None = None) -> None:
        found = {"code": code, "detail": detail, "refs": list(refs)}
        if field is not None:
            found["field"] = field
        self.violations.append(found)

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "created": len(self.creates[name]),
                "updated": len(self.updates[name]),
                "unchanged": self.unchanged[name],
            }
            for name in ENTITIES
        }


@paused()  # millions of small containers, no cycles: see service.collector
def import_document(
    changes: Changes, document: dict[str, Any], dry_run: bool = False, keep_absent: bool = False
) -> dict:
    """Check the document against the stored data and apply it in one transaction.

    With ``keep_absent``, a stored node or key result keeps the fields its item leaves out
    (a sheet without a ``visibility`` column does not make private nodes public); without
    it, a field left out takes its default, as when the node is new.
    """
    require_admin(changes.principal, "import")
    if not dry_run:
        changes.begin()  # take the write lock before reading what the plan compares against
    planner = _Planner(changes.session, document, keep_absent)
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
        Writer(changes, planner, plan).write()
        report["revision"] = changes.revision
    report["applied"] = True
    return report


class _Planner:
    def __init__(self, session: Session, document: dict[str, Any], keep_absent: bool = False):
        self.session = session
        self.doc = document
        self.keep_absent = keep_absent
        self.plan = Plan()

    def build(self) -> Plan:
        self.teams = self._existing(Team, ("name", "parent_id"))
        self.people = self._existing(Person, ("name", "email"))
        self.periods = self._existing(Period, ("name", "start_date", "end_date"))
        self.nodes = self._existing(
            Node, ("owner_id", "team_id", "period_id", "done_at", *NODE_FIELDS)
        )
        self.now = utcnow()
        self.krs = self._existing(KeyResult, ("node_id", *KR_FIELDS))
        self.unnamed = {model: self._unnamed(model) for model in (Team, Person, Period)}
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

    def _unnamed(self, model) -> set[int]:
        return set(self.session.scalars(select(model.id).where(model.ref.is_(None))))

    def _resolve(
        self,
        known: dict,
        new: set,
        ref: str | None,
        field_name: str,
        owner: str,
        unnamed: set[int] = frozenset(),
    ):
        """The id of an existing entity, the ref of a new one, or a violation.

        A stored entity without a ref is named ``#<id>``, as in link ends.
        """
        if ref is None:
            return None
        if ref.startswith("#") and ref[1:].isdigit() and int(ref[1:]) in unnamed:
            return int(ref[1:])
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
            select(person_teams.c.person_id, Team.id, Team.ref).join(
                Team, Team.id == person_teams.c.team_id
            )
        )
        members: dict[int, list[str]] = defaultdict(list)
        for person_id, team_id, ref in rows:
            members[person_id].append(ref or f"#{team_id}")  # a team without a ref, by id
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
            stored = self.nodes.get(ref) if self.keep_absent else None
            base = NODE_DEFAULTS if stored is None else {k: stored[k] for k in NODE_FIELDS}
            values = {"ref": ref, **base}
            values.update({k: node.get(k) for k in NODE_FIELDS if k in node})
            for k in NODE_FIELDS:
                values.setdefault(k, None)
            for name, known, new, model in (
                ("team", self.teams, new_teams, Team),
                ("owner", self.people, new_people, Person),
                ("period", self.periods, new_periods, Period),
            ):
                if stored is not None and name not in node:
                    values[f"{name}_id"] = stored[f"{name}_id"]
                    continue
                values[f"{name}_id"] = self._resolve(
                    known, new, node.get(name), name, ref, self.unnamed[model]
                )
            self._check_node(values)
            self._plan_done_at(values, self.nodes.get(ref), node.get("done_at"))
            self._compare("nodes", self.nodes.get(ref), values)

    def _check_node(self, values: dict) -> None:
        for problem in node_problems(values):
            self.plan.violation(problem.code, problem.detail, values["ref"], field=problem.field)

    def _plan_done_at(self, values: dict, stored: dict | None, given) -> None:
        """``done_at`` as the API keeps it (DOMAIN.md 14), or as the document gives it."""
        problem = done_at_problem(values["status"], given)
        if problem is not None:
            self.plan.violation(problem.code, problem.detail, values["ref"], field=problem.field)
        before = (None, None) if stored is None else (stored["status"], stored["done_at"])
        values["done_at"] = done_at_after(*before, values["status"], given, now=self.now)

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
        source, target = aliased(Node), aliased(Node)
        checked: set[int] = set()  # a link between two changed nodes is held once
        for chunk in id_chunks(sorted(changed)):
            rows = self.session.execute(
                select(
                    Link.id,
                    Link.type,
                    source.id,
                    source.ref,
                    source.kind,
                    target.id,
                    target.ref,
                    target.kind,
                )
                .select_from(Link)
                .join(source, source.id == Link.source_id)
                .join(target, target.id == Link.target_id)
                .where(or_(Link.source_id.in_(chunk), Link.target_id.in_(chunk)))
                .order_by(Link.id)
            )
            for (
                link_id,
                link_type,
                source_id,
                source_ref,
                source_kind,
                target_id,
                target_ref,
                target_kind,
            ) in rows:
                if link_id in checked:
                    continue
                checked.add(link_id)
                ends = (source_ref or f"#{source_id}", target_ref or f"#{target_id}")
                kinds = [
                    self.kinds.get(ref, kind)
                    for ref, kind in ((source_ref, source_kind), (target_ref, target_kind))
                ]
                problem = link_problem(link_type, *kinds)
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
            stored = self.krs.get(kr["ref"])
            if stored is not None and self.keep_absent:
                values.update({k: stored[k] for k in KR_FIELDS})
            values.update({k: kr[k] for k in KR_FIELDS if k in kr})
            values["node_id"] = self.nodes[goal]["id"] if goal in self.nodes else ("new", goal)
            self._compare("key_results", stored, values)
