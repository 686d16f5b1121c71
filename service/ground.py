"""Answers about market and team alignment: needs, shared ground, silos, dependencies.

Built from the in-memory graph like the rest of ``service.analysis``; team names come
from the request's session (the graph holds team ids only). Nodes the caller may not see
are redacted placeholders in node lists and left out of id lists; counts include them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Team
from service import graph as analysis
from service.analysis import page_of_list, require_node, summaries
from service.auth.principal import Principal
from service.findings import market_findings, team_ground
from service.graphstore import Graph

SHARED_NODES_SHOWN = 10
"""Shared strategies and goals listed per pair of teams by ``/teams/{id}/ground``."""


def market(graph: Graph, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Unanchored and one-sided visions, unserved needs, and each live need's support.

    With ``team_id``, only that team's nodes; a need is kept when it, or a node serving
    it, is the team's.
    """
    found = market_findings(graph)
    nodes = graph.G._node
    team = args.get("team_id")

    def ours(n: int) -> bool:
        return team is None or nodes[n].get("team_id") == team

    lists = {name: [n for n in found[name] if ours(n)] for name in ("unanchored", "unserved")}
    lists["one_sided"] = [n for n in found["one_sided"] if ours(n)]
    needs = [e for e in found["needs"] if ours(e["node"]) or any(map(ours, e["served_by"]))]
    shown = {n for ids in lists.values() for n in ids}
    shown.update(n for e in needs for n in (e["node"], *e["served_by"]))
    known = summaries(graph, shown, principal)
    answer: dict[str, Any] = {name: [known[n] for n in ids] for name, ids in lists.items()}
    answer["needs"] = [
        {
            "node": known[e["node"]],
            "served_by": [n for n in e["served_by"] if not known[n].get("redacted")],
            "work": e["work"],
        }
        for e in needs
    ]
    return answer


def _team_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Team.id, Team.name).order_by(Team.id)).all())


def team_graph(session: Session, graph: Graph) -> dict[str, Any]:
    """Every team with its assessed nodes and whether it is a silo, and each tied pair."""
    ground = team_ground(graph)
    silos = set(ground.silos)
    teams = [
        {
            "team": team,
            "name": name,
            "assessed": ground.assessed.get(team, 0),
            "silo": team in silos,
        }
        for team, name in _team_names(session).items()
    ]
    pairs = sorted({*ground.shared, *ground.dependencies})
    edges = [
        {
            "a": a,
            "b": b,
            "shared": ground.shared.get((a, b), 0),
            "dependencies": ground.dependencies.get((a, b), 0),
        }
        for a, b in pairs
    ]
    return {"teams": teams, "edges": edges}


def silos(session: Session, graph: Graph, args: dict[str, Any]) -> dict[str, Any]:
    """A page of the silo teams, by id, with their assessed-node counts."""
    ground = team_ground(graph)
    names = _team_names(session)
    found = [
        {"team": team, "name": names[team], "assessed": ground.assessed[team]}
        for team in ground.silos
        if team in names  # a team deleted after this graph's revision
    ]
    return page_of_list(found, args)


def ground_of(session: Session, graph: Graph, team_id: int, principal: Principal) -> dict[str, Any]:
    """Each other team one team is tied to, with up to 10 of the strategies and goals
    they share that the caller may see (the counts include hidden ones)."""
    ground = team_ground(graph)
    names = _team_names(session)
    items = []
    for other, (shared, dependencies) in ground.connected(team_id).items():
        meeting = analysis.shared_nodes(ground, team_id, other)
        known = summaries(graph, meeting, principal)
        visible = [known[n] for n in meeting if not known[n].get("redacted")]
        if other not in names:
            continue
        items.append(
            {
                "team": other,
                "name": names[other],
                "shared": shared,
                "dependencies": dependencies,
                "nodes": visible[:SHARED_NODES_SHOWN],
            }
        )
    return {
        "team": team_id,
        "name": names[team_id],
        "assessed": ground.assessed.get(team_id, 0),
        "silo": team_id in ground.silos,
        "items": items,
    }


def dependencies(graph: Graph, node_id: int, principal: Principal) -> dict[str, Any]:
    """What a node waits on and what waits on it (``depends_on`` links), by link id."""
    require_node(graph, node_id, principal)
    waits_on, waited_on_by = [], []
    for link_id, (a, b) in sorted(graph.depends.items()):
        if a == node_id:
            waits_on.append((link_id, b))
        elif b == node_id:
            waited_on_by.append((link_id, a))
    nodes = graph.G._node
    known = summaries(graph, {node_id, *(n for _, n in waits_on + waited_on_by)}, principal)

    def item(link_id: int, n: int) -> dict[str, Any]:
        hidden = known[n].get("redacted")
        due = None if hidden else nodes[n].get("due_date")
        return {"link_id": link_id, "node": known[n], "due_date": due}

    return {
        "node": known[node_id],
        "due_date": nodes[node_id].get("due_date"),
        "waits_on": [item(*pair) for pair in waits_on],
        "waited_on_by": [item(*pair) for pair in waited_on_by],
    }
