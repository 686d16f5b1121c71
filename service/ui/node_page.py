"""What the node page shows, gathered from the graph and the database as the caller sees it.

Every list is bounded: at most ``thread.MAX_DRAWN`` nodes drawn, ``SERVES_PAGE`` children
per page (and as many under one expanded child), ``KEY_RESULTS`` key results with their
last ``CHECK_INS`` check-ins, ``IMPACT_SHOWN`` of the nodes a change would orphan,
``RESTATEMENTS_SHOWN`` restatements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CLARITY_FIELDS, CheckIn, KeyResult, Link, Node, Person, Team
from service import analysis
from service.auth.policy import can_see, redacted, require_edit
from service.auth.principal import Principal
from service.domain.nodes import get_node
from service.domain.restatements import restatements_of
from service.domain.review import changes_since_review
from service.errors import DomainError
from service.graphstore import Graph
from service.ui import thread

MAX_PATHS = 20
SERVES_PAGE = 25
KEY_RESULTS = 20
CHECK_INS = 5
IMPACT_SHOWN = 20
RESTATEMENTS_SHOWN = 50
IMPACTS_HELD = 1_000
# Impact walks everything below a node: shown at once for goals and work, on request above.
IMPACT_AT_ONCE = frozenset({"goal", "work"})


def node_page(
    session: Session,
    graph: Graph,
    node_id: int,
    principal: Principal,
    serves_offset: int = 0,
    expand: int | None = None,
    with_impact: bool = False,
) -> dict[str, Any]:
    """Everything the node page draws, as plain data (404 for a node the caller cannot see)."""
    analysis.require_node(graph, node_id, principal)
    node = get_node(session, node_id, principal)
    trace = analysis.trace_up(graph, node_id, MAX_PATHS, principal)
    known = {summary["id"]: summary for summary in trace["nodes"]}
    suspects = _suspect_links(session, graph, node_id, principal)
    suspect_edges = {(child, parent) for child, parent in graph.suspects.values()}
    page = {
        "node": node,
        "summary": known[node_id],
        "owner": session.get(Person, node.owner_id) if node.owner_id else None,
        "team": session.get(Team, node.team_id) if node.team_id else None,
        "trace": trace,
        "known": known,
        "thread": thread.layout(node_id, known, trace["paths"], suspect_edges),
        "key_results": _key_results(session, node) if node.kind == "goal" else [],
        "serves": _serves(graph, node_id, principal, serves_offset, SERVES_PAGE),
        "expanded": None,
        "suspects": suspects,
        "impact": None,
        "may_edit": _may_edit(principal, node),
        "intent": [(name, getattr(node, name)) for name in CLARITY_FIELDS if getattr(node, name)],
        "restatements": restatements_of(
            session, node_id, {"limit": RESTATEMENTS_SHOWN, "offset": 0}, principal
        ),
        "may_restate": principal.person_id is not None,
    }
    children = graph.G._succ[node_id]
    if expand is not None and expand in children:
        page["expanded"] = _serves(graph, expand, principal, 0, SERVES_PAGE)
    if with_impact or node.kind in IMPACT_AT_ONCE:
        page["impact"] = _impact(graph, node_id, principal)
    return page


def _may_edit(principal: Principal, node: Node) -> bool:
    try:
        require_edit(principal, node)
    except DomainError:
        return False
    return True


def _serves(graph: Graph, node_id: int, principal: Principal, offset: int, limit: int):
    """One page of what supports the node, each child with how many nodes support it."""
    succ = graph.G._succ
    children = sorted(succ[node_id])
    shown = children[offset : offset + limit]
    known = analysis.summaries(graph, shown, principal)
    return {
        "parent": node_id,
        "items": [{"node": known[c], "below": len(succ[c])} for c in shown],
        "total": len(children),
        "offset": offset,
        "limit": limit,
    }


def _key_results(session: Session, node: Node) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(KeyResult).where(KeyResult.node_id == node.id).order_by(KeyResult.id)
    ).all()[:KEY_RESULTS]
    analysis.with_key_result_progress(list(rows))
    found = []
    for kr in rows:
        history = session.scalars(
            select(CheckIn)
            .where(CheckIn.key_result_id == kr.id)
            .order_by(CheckIn.at.desc(), CheckIn.id.desc())
            .limit(CHECK_INS)
        ).all()
        found.append({"key_result": kr, "check_ins": history})
    return found


def _suspect_links(session: Session, graph: Graph, node_id: int, principal: Principal):
    """The node's links to parents that changed since they were last reviewed."""
    ids = sorted(link_id for link_id, (child, _) in graph.suspects.items() if child == node_id)
    found = []
    for link in session.scalars(select(Link).where(Link.id.in_(ids)).order_by(Link.id)):
        parent = session.get(Node, link.target_id)
        if parent is None:
            continue
        visible = can_see(principal, parent)
        summary = {"id": parent.id, "kind": parent.kind, "title": parent.title}
        found.append(
            {
                "link": link,
                "parent": {**summary, "status": parent.status} if visible else redacted(parent),
                "changes": changes_since_review(session, link, parent) if visible else {},
            }
        )
    return found


def _impact(graph: Graph, node_id: int, principal: Principal) -> dict[str, Any]:
    """Counts and the first orphaned nodes, remembered per revision (high nodes cost most)."""
    held = graph.derived("explorer_impacts", dict)
    if node_id not in held:
        found = analysis.impact(graph, node_id, principal)
        if len(held) >= IMPACTS_HELD:
            held.clear()
        held[node_id] = (
            len(found["touches"]),
            len(found["would_orphan"]),
            found["would_orphan"][:IMPACT_SHOWN],
        )
    touches, would_orphan, shown = held[node_id]
    known = analysis.summaries(graph, shown, principal)
    return {
        "touches": touches,
        "would_orphan": would_orphan,
        "shown": [known[n] for n in shown],
    }
