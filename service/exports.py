"""Exports of the graph a caller may see (DOMAIN.md 16), in five formats.

The nodes come from the request's graph (titles, status, progress and alignment of its
revision), refs and links from the database; hidden nodes are placeholders. The formats
themselves are written by the pure functions of ``service.graph.export``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import KeyResult, Link, Node, Period, Person, Team
from service import analysis
from service.auth.principal import Principal
from service.errors import DomainError
from service.graph import aligned_nodes
from service.graph import export as formats
from service.graph.export_table import to_okr_csv
from service.graphstore import Graph

# Past this many nodes in scope, reading every link is cheaper than asking by node.
_ALL_LINKS_ABOVE = 5_000
_CHUNK = 900


@dataclass(frozen=True)
class Export:
    """One export's text, with the media type and file name it is sent as."""

    text: str
    mimetype: str
    filename: str


MEDIA = {
    "json": ("application/json", "json"),
    "graphml": ("application/graphml+xml", "graphml"),
    "dot": ("text/vnd.graphviz", "dot"),
    "mermaid": ("text/plain", "mmd"),
    "csv": ("text/csv", "csv"),
}


def export(
    session: Session,
    graph: Graph,
    principal: Principal,
    format: str,
    root: int | None = None,
    direction: str = "both",
    depth: int | None = None,
) -> Export:
    """The graph in ``format``, whole or around ``root`` (404 when the caller cannot see it)."""
    if root is not None:
        analysis.require_node(graph, root, principal)
    scope = formats.export_scope(graph.G, root, direction, depth)
    if format == "mermaid" and len(scope) > formats.MERMAID_MAX_NODES:
        raise DomainError(
            "too_large",
            f"{len(scope)} nodes are in scope; Mermaid exports hold at most "
            f"{formats.MERMAID_MAX_NODES}. Give a root and a depth, or choose another format.",
        )
    links = _links(session, graph, scope, whole=root is None)
    if format == "csv":
        text = _okr_table(session, graph, principal, scope, links)
    else:
        document = {"nodes": nodes(session, graph, principal, scope), "links": links}
        writer = {
            "json": formats.to_json,
            "graphml": formats.to_graphml,
            "dot": formats.to_dot,
            "mermaid": formats.to_mermaid,
        }[format]
        text = writer(document)
    mimetype, extension = MEDIA[format]
    name = f"throughline-{root}" if root is not None else "throughline"
    return Export(text, mimetype, f"{name}.{extension}")


def nodes(
    session: Session, graph: Graph, principal: Principal, scope: list[int]
) -> list[dict[str, Any]]:
    """The export records of the nodes in ``scope`` (ids ascending), hidden ones as placeholders."""
    known = analysis.summaries(graph, scope, principal)
    aligned = graph.derived("aligned", lambda: aligned_nodes(graph.G))
    reasons = graph.derived(
        "orphan_reasons", lambda: {o.node: o.reason for o in analysis.orphan_list(graph)}
    )
    refs = _refs(session, scope)
    records = []
    for node_id in scope:
        summary = known[node_id]
        if summary.get("redacted"):
            records.append(summary)
            continue
        records.append(
            {
                "id": node_id,
                "ref": refs.get(node_id),
                "kind": summary["kind"],
                "title": summary["title"],
                "status": summary["status"],
                "team_id": summary["team_id"],
                "progress": summary["progress"],
                "aligned": node_id in aligned,
                "reason": reasons.get(node_id),
            }
        )
    return records


def _by_chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _refs(session: Session, scope: list[int]) -> dict[int, str]:
    statement = select(Node.id, Node.ref).where(Node.ref.is_not(None))
    if len(scope) > _ALL_LINKS_ABOVE:
        wanted = set(scope)
        return {i: ref for i, ref in session.execute(statement) if i in wanted}
    found: dict[int, str] = {}
    for chunk in _by_chunks(scope):
        found.update(session.execute(statement.where(Node.id.in_(chunk))).all())
    return found


def _links(session: Session, graph: Graph, scope: list[int], whole: bool) -> list[dict[str, Any]]:
    """Every link with both ends in scope, ordered by id, with its ``suspect`` flag."""
    columns = select(Link.id, Link.type, Link.source_id, Link.target_id, Link.weight)
    wanted = set(scope)
    if whole or len(scope) > _ALL_LINKS_ABOVE:
        rows = session.execute(columns).all()
    else:
        rows = [
            row
            for chunk in _by_chunks(scope)
            for row in session.execute(columns.where(Link.source_id.in_(chunk)))
        ]
    rows = sorted(row for row in rows if row[2] in wanted and row[3] in wanted)
    suspect_ids = graph.suspects
    return [
        {
            "id": link_id,
            "type": link_type,
            "source_id": source,
            "target_id": target,
            "weight": weight,
            "suspect": link_id in suspect_ids,
        }
        for link_id, link_type, source, target, weight in rows
    ]


def _okr_table(
    session: Session, graph: Graph, principal: Principal, scope: list[int], links: list[dict]
) -> str:
    """The ``okr`` spreadsheet of the scope: rows read from the database, seen as the caller."""
    known = analysis.summaries(graph, scope, principal)
    visible = [node_id for node_id in scope if not known[node_id].get("redacted")]
    teams = _names(session, Team, "ref", "name")
    people = _names(session, Person, "ref", "email")
    periods = _names(session, Period, "ref", "name")
    rows: list[dict[str, Any]] = [known[n] for n in scope if known[n].get("redacted")]
    for chunk in _by_chunks(visible):
        for row in session.execute(select(Node.__table__).where(Node.id.in_(chunk))).mappings():
            record = dict(row)
            record["team"] = teams.get(row["team_id"])
            record["owner"] = people.get(row["owner_id"])
            record["period"] = periods.get(row["period_id"])
            rows.append(record)
    goals = [node_id for node_id in visible if known[node_id]["kind"] == "goal"]
    key_results = [
        dict(row)
        for chunk in _by_chunks(goals)
        for row in session.execute(
            select(KeyResult.__table__).where(KeyResult.node_id.in_(chunk))
        ).mappings()
    ]
    return to_okr_csv(rows, links, key_results)


def _names(session: Session, model, *columns: str) -> dict[int, str]:
    """How an okr row names each row of ``model``: the first of ``columns`` that is set."""
    found = {}
    for row in session.execute(select(model.id, *(getattr(model, c) for c in columns))):
        name = next((value for value in row[1:] if value), None)
        if name is not None:
            found[row[0]] = name
    return found
