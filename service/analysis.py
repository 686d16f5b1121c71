"""Answers built from the in-memory graph: traces, orphans, conflicts, impact, health.

Each function takes the current graph (which holds the display fields of every node too),
the caller and plain arguments, plus the request's session where it reads rows the graph
does not hold, and returns plain data shaped as DOMAIN.md section 9 describes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as graph_module
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import LIVE, KeyResult, Node
from service import graph as analysis
from service.auth.policy import can_see, redacted, visible
from service.auth.principal import Principal
from service.errors import NotFound
from service.findings import (
    aligned_set,
    clarity_list,
    conflict_list,
    late_work,
    market_findings,
    orphan_list,
    overrun_list,
    serves_by_source,
    team_ground,
    unsupported_list,
)
from service.graphstore import Graph
from service.language import language_counts

HIDDEN_CONFLICT = "This conflict involves nodes you cannot see; ask their owners or an admin."


# -- shared pieces ---------------------------------------------------------------------------


def live_missions(graph: Graph) -> list[int]:
    return graph.census.live_missions


def progress_map(graph: Graph) -> dict[int, float | None]:
    return graph.progress()


def summaries(graph: Graph, ids: Iterable[int], principal: Principal) -> dict[int, dict[str, Any]]:
    """Display fields of the given nodes of the graph, with computed progress, keyed by id.

    They come from the graph itself, so a trace costs no query and its titles are those of
    the revision it was traced at. Nodes the caller may not see come back as redacted
    placeholders.
    """
    nodes = graph.G._node
    progress = graph.progress()
    found: dict[int, dict[str, Any]] = {}
    for node_id in ids:
        data = nodes[node_id]
        summary = {
            "id": node_id,
            "kind": data["kind"],
            "title": data["title"],
            "status": data["status"],
            "ref": data.get("ref"),
            "url": data.get("url"),
            "team_id": data.get("team_id"),
            "owner_id": data.get("owner_id"),
            "standalone": data.get("standalone", False),
            "visibility": data.get("visibility", "public"),
        }
        if can_see(principal, summary):
            summary["progress"] = progress.get(node_id)
            if data["kind"] == "need":
                summary["need_type"] = data.get("need_type")
                summary["segment"] = data.get("segment")
            found[node_id] = summary
        else:
            found[node_id] = redacted(summary)
    return found


def require_node(graph: Graph, node_id: int, principal: Principal) -> None:
    """The node is in the graph and the caller may see it (404 otherwise)."""
    data = graph.G._node.get(node_id)
    if data is None:
        raise NotFound("Node", node_id)
    seen_as = {
        "id": node_id,
        "visibility": data.get("visibility", "public"),
        "owner_id": data.get("owner_id"),
        "team_id": data.get("team_id"),
    }
    if not can_see(principal, seen_as):
        raise NotFound("Node", node_id)


def page_of_list(items: list, args: dict[str, Any]) -> dict[str, Any]:
    """One page (``args``' ``limit`` and ``offset``) of a list already in order."""
    limit, offset = args["limit"], args["offset"]
    return {
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


# -- traces ----------------------------------------------------------------------------------


def trace_up(graph: Graph, node_id: int, max_paths: int, principal: Principal) -> dict[str, Any]:
    """The trace up, with the live needs the node or its ancestors serve (section 10)."""
    require_node(graph, node_id, principal)
    result = analysis.trace_up(graph.G, node_id, max_paths)
    answer = _described(graph, node_id, result, principal)
    needs = analysis.needs_above(graph.G, serves_by_source(graph), node_id)
    known = summaries(graph, needs, principal)
    answer["needs"] = [known[n] for n in needs]
    return answer


def trace_down(
    graph: Graph, node_id: int, depth: int | None, principal: Principal
) -> dict[str, Any]:
    require_node(graph, node_id, principal)
    return _described(graph, node_id, analysis.trace_down(graph.G, node_id, depth), principal)


def _described(graph, node_id, result, principal) -> dict[str, Any]:
    """A trace with its node ids replaced by node summaries."""
    known = summaries(graph, result["nodes"], principal)
    return {**result, "node": known[node_id], "nodes": [known[n] for n in result["nodes"]]}


def common_ground(graph: Graph, a: int, b: int, principal: Principal) -> dict[str, Any]:
    require_node(graph, a, principal)
    require_node(graph, b, principal)
    lowest = analysis.lowest_common_ancestors(graph.G, a, b)
    known = summaries(graph, lowest, principal)
    return {"lowest_common_ancestors": [known[n] for n in lowest]}


def alignment_view(
    session: Session, graph: Graph, column, owner: int, args: dict[str, Any], principal: Principal
) -> dict[str, Any]:
    """Each live node of a person or team: aligned or not, why, and one shortest path.

    Nodes the caller may not see are left out.
    """
    statement = (
        select(Node.id)
        .where(column == owner, Node.status.in_(("draft", "active")))
        .order_by(Node.id)
    )
    condition = visible(principal, Node)
    if condition is not None:
        statement = statement.where(condition)
    ids = session.scalars(statement).all()
    missions = live_missions(graph)
    rows, counted, aligned_count = [], 0, 0
    nodes = graph.G._node
    for node_id in ids:
        if node_id not in nodes or nodes[node_id]["kind"] == "need":  # newer, or off the chain
            continue
        aligned, reason = analysis.alignment_of(graph.G, node_id, live_missions=missions)
        rows.append((node_id, aligned, reason))
        if not graph.G.nodes[node_id].get("standalone"):
            counted += 1
            aligned_count += aligned
    page = page_of_list(rows, args)
    paths = {n: analysis.shortest_path_to_mission(graph.G, n) for n, _, _ in page["items"]}
    served = serves_by_source(graph)
    needs = {n: _path_needs(graph, served, path or [n]) for n, path in paths.items()}
    known = summaries(
        graph, {*paths, *(need for found in needs.values() for need in found)}, principal
    )
    page["items"] = [
        {
            "node": known[n],
            "aligned": aligned,
            "reason": reason,
            "path": paths[n],
            "needs": [known[need] for need in needs[n]],
        }
        for n, aligned, reason in page["items"]
    ]
    page["aligned_ratio"] = aligned_count / counted if counted else None
    return page


def _path_needs(graph: Graph, served: dict[int, list[int]], path: list[int]) -> list[int]:
    """The live needs served by the nodes of one path, sorted."""
    nodes = graph.G._node
    return sorted(
        {
            need
            for n in path
            for need in served.get(n, ())
            if need in nodes and nodes[need]["status"] in LIVE
        }
    )


def impact(graph: Graph, node_id: int, principal: Principal) -> dict[str, Any]:
    require_node(graph, node_id, principal)
    return analysis.impact(graph.G, node_id, aligned=aligned_set(graph), census=graph.census)


# -- findings --------------------------------------------------------------------------------


def _node_filter(graph: Graph, args: dict[str, Any]):
    nodes = graph.G._node
    kind, team = args.get("kind"), args.get("team_id")

    def keep(n: int) -> bool:
        data = nodes[n]
        return (kind is None or data["kind"] == kind) and (
            team is None or data.get("team_id") == team
        )

    return keep


def orphans(graph: Graph, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    keep = _node_filter(graph, args)
    reason = args.get("reason")
    found = [o for o in orphan_list(graph) if keep(o.node) and reason in (None, o.reason)]
    page = page_of_list(found, args)
    known = summaries(graph, (o.node for o in page["items"]), principal)
    page["items"] = [
        {"node": known[o.node], "reason": o.reason, "root_causes": list(o.root_causes)}
        for o in page["items"]
    ]
    return page


def unsupported(graph: Graph, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    keep = _node_filter(graph, args)
    page = page_of_list([n for n in unsupported_list(graph) if keep(n)], args)
    known = summaries(graph, page["items"], principal)
    page["items"] = [{"node": known[n]} for n in page["items"]]
    return page


def conflicts(graph: Graph, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A page of conflicts; one that involves a node hidden from the caller says only that."""
    found = [
        c
        for c in conflict_list(graph)
        if args.get("type") in (None, c["type"]) and args.get("severity") in (None, c["severity"])
    ]
    if args.get("team_id") is not None:
        nodes = graph.G._node
        found = [
            c
            for c in found
            if any(nodes.get(n, {}).get("team_id") == args["team_id"] for n in c["node_ids"])
        ]
    page = page_of_list(found, args)
    if not principal.is_admin:
        involved = {n for conflict in page["items"] for n in conflict["node_ids"]}
        known = summaries(graph, involved, principal)
        page["items"] = [
            {**c, "message": HIDDEN_CONFLICT}
            if any(known.get(n, {}).get("redacted") for n in c["node_ids"])
            else c
            for c in page["items"]
        ]
    return page


def stale_key_results(graph: Graph, days: int, now: dt.datetime | None = None) -> list[dict]:
    """Key results of live goals with no check-in (or none since creation) for ``days``."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=days)
    nodes = graph.G._node
    stale = []
    for kr in graph.key_results.values():
        goal = nodes.get(kr["node_id"])
        if goal is None or goal["status"] not in ("draft", "active"):
            continue
        last = kr["last_check_in_at"] or kr["created_at"]
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        if last is None or last < cutoff:
            stale.append(kr)
    return sorted(stale, key=lambda kr: kr["id"])


def stale(
    session: Session, graph: Graph, days: int, args: dict[str, Any], principal: Principal
) -> dict[str, Any]:
    """A page of stale key results with their goals; hidden goals' ones are left out."""
    found = stale_key_results(graph, days)
    if args.get("team_id") is not None:
        nodes = graph.G._node
        found = [kr for kr in found if nodes[kr["node_id"]].get("team_id") == args["team_id"]]
    goals = summaries(graph, (kr["node_id"] for kr in found), principal)
    found = [kr for kr in found if not goals[kr["node_id"]].get("redacted")]
    page = page_of_list(found, args)
    rows = with_key_result_progress([session.get(KeyResult, kr["id"]) for kr in page["items"]])
    page["items"] = [
        {"key_result": row, "goal": goals[row.node_id], "last_check_in_at": row.last_check_in_at}
        for row in rows
    ]
    return {**page, "days": days}


def with_key_result_progress(items):
    """Attach the computed ``progress`` to a key result or a list of them."""
    for kr in items if isinstance(items, list) else [items]:
        kr.progress = analysis.key_result_progress(
            {
                "start_value": kr.start_value,
                "target_value": kr.target_value,
                "current_value": kr.current_value,
            }
        )
    return items


def health(
    graph: Graph,
    stale_days: int,
    team_id: int | None = None,
    today: dt.date | None = None,
    session: Session | None = None,
) -> dict[str, Any]:
    """The health summary (DOMAIN.md sections 8 and 15), overall and per team.

    With a ``session`` (the language findings read the glossary and node texts from the
    database), each summary also counts the ``language`` findings by type; a team's are
    those naming it in their ``team_ids``.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    summary = analysis.health(
        graph.G,
        orphan_list(graph),
        unsupported_list(graph),
        conflict_list(graph),
        suspect_child_ids=graph.suspect_child_ids(),
        stale_goal_ids=[kr["node_id"] for kr in stale_key_results(graph, stale_days)],
        silos=team_ground(graph).silos,
        unanchored_visions=market_findings(graph)["unanchored"],
        unserved_needs=market_findings(graph)["unserved"],
        clarity=[entry["node"] for entry in clarity_list(graph)],
        late_work=late_work(graph, today),
        overrun_hotspots=[e["node"] for e in overrun_list(graph, today) if e["hotspot"]],
        census=graph.census,
    )
    teams = summary.pop("teams")
    if team_id is not None:
        team = teams.get(team_id) or _empty_summary()
        answer = {**team, "team_id": team_id, "revision": graph.revision}
        if session is not None:
            answer["language"] = language_counts(session, graph, team_id)
        return answer
    summary["teams"] = [{"team_id": team, **teams[team]} for team in sorted(teams)]
    summary["revision"] = graph.revision
    if session is not None:
        summary["language"] = language_counts(session, graph)
        for team in summary["teams"]:
            team["language"] = language_counts(session, graph, team["team_id"])
    return summary


def _empty_summary() -> dict[str, Any]:
    empty = analysis.health(graph_module.DiGraph(), [], [], [])
    empty.pop("teams")
    return empty
