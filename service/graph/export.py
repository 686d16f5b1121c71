"""Graph exports (DOMAIN.md 16): which nodes a scope holds, and the graph in other formats.

An export *document* is ``{"nodes": [...], "links": [...]}``, both ordered by id: a node
is either a full record (``id``, ``ref``, ``kind``, ``title``, ``status``, ``team_id``,
``progress``, ``aligned``, ``reason``) or a placeholder ``{"id", "kind", "redacted": True}``;
a link is ``{"id", "type", "source_id", "target_id", "weight", "suspect"}``. Every writer
here turns the same document into the same bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from service.graph.walks import walk_down, walk_up

__all__ = [
    "DIRECTIONS",
    "MERMAID_MAX_NODES",
    "export_scope",
    "to_dot",
    "to_graphml",
    "to_json",
    "to_mermaid",
]

DIRECTIONS = ("up", "down", "both")
MERMAID_MAX_NODES = 500

Document = Mapping[str, list[Mapping[str, Any]]]


def export_scope(
    G: nx.DiGraph, root: int | None = None, direction: str = "both", depth: int | None = None
) -> list[int]:
    """Return the ids of the nodes an export holds, ascending.

    Without ``root``, every node of ``G``. With it, the root and its ancestors (``up``), its
    descendants (``down``) or both, each side to ``depth`` links (``None``: no limit).

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (9, 3)])
    >>> export_scope(G, 3, "up")
    [1, 2, 3, 9]
    >>> export_scope(G, 2, "down", depth=1)
    [2, 3]
    >>> export_scope(G, 3, "both", depth=1)
    [2, 3, 4, 9]
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if root is None:
        return sorted(G._node)
    if root not in G:
        raise nx.NodeNotFound(f"node {root} is not in the graph")
    scope = {root}
    if direction in ("up", "both"):
        scope |= walk_up(G, [root], depth=depth)
    if direction in ("down", "both"):
        scope |= walk_down(G, [root], depth=depth)
    return sorted(scope)


def to_json(document: Document) -> str:
    """The document as JSON, keys sorted, one line per node and link for readable diffs.

    Examples
    --------
    >>> doc = {"nodes": [{"id": 1, "kind": "mission", "redacted": True}], "links": []}
    >>> print(to_json(doc), end="")
    {"nodes": [
    {"id": 1, "kind": "mission", "redacted": true}
    ], "links": [
    ]}
    """

    def lines(items):
        return ",\n".join(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items)

    nodes, links = lines(document["nodes"]), lines(document["links"])
    return (
        '{"nodes": [\n'
        + nodes
        + ("\n" if nodes else "")
        + '], "links": [\n'
        + links
        + ("\n" if links else "")
        + "]}\n"
    )


def to_graphml(document: Document) -> str:
    """The document as GraphML, written by networkx (null fields are left out).

    Links become edges keyed by their id, so two links between the same nodes stay two.
    """
    G = nx.MultiDiGraph()
    for node in document["nodes"]:
        G.add_node(node["id"], **_present(node, skip="id"))
    for link in document["links"]:
        attributes = _present(link, skip=("id", "source_id", "target_id"))
        G.add_edge(link["source_id"], link["target_id"], key=link["id"], **attributes)
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def _present(record: Mapping[str, Any], skip: Iterable[str] | str) -> dict[str, Any]:
    skipped = {skip} if isinstance(skip, str) else set(skip)
    return {k: v for k, v in record.items() if k not in skipped and v is not None}


def to_dot(document: Document) -> str:
    """The document as a Graphviz digraph: child -> parent, the mission on top.

    Examples
    --------
    >>> doc = {
    ...     "nodes": [{"id": 1, "kind": "mission", "title": 'Say "hi"', "status": "active"}],
    ...     "links": [],
    ... }
    >>> print(to_dot(doc), end="")
    digraph throughline {
      rankdir=BT;
      node [shape=box];
      n1 [label="Say \\"hi\\"\\n(mission, active)", kind="mission", status="active"];
    }
    """
    out = ["digraph throughline {", "  rankdir=BT;", "  node [shape=box];"]
    for node in document["nodes"]:
        if node.get("redacted"):
            label = f"hidden {node['kind']}"
            attributes = {"label": label, "kind": node["kind"], "redacted": "true"}
            attributes["style"] = "dashed"
        else:
            label = f"{node['title']}\n({node['kind']}, {node['status']})"
            attributes = {"label": label, "kind": node["kind"], "status": node["status"]}
            if node.get("reason"):
                attributes["reason"] = node["reason"]
        out.append(f"  n{node['id']} [{_dot_attributes(attributes)}];")
    for link in document["links"]:
        attributes = {"id": str(link["id"]), "type": link["type"]}
        if link.get("suspect"):
            attributes["suspect"] = "true"
            attributes["style"] = "dashed"
        if link["type"] != "supports":
            attributes["label"] = link["type"]
        out.append(
            f"  n{link['source_id']} -> n{link['target_id']} [{_dot_attributes(attributes)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_attributes(attributes: Mapping[str, str]) -> str:
    return ", ".join(f'{name}="{_dot_text(value)}"' for name, value in attributes.items())


def _dot_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


MERMAID_ARROWS = {
    "supports": "-->",
    "depends_on": "-.->|depends on|",
    "conflicts_with": "---|conflicts with|",
    "serves": "-->|serves|",
}


def to_mermaid(document: Document) -> str:
    """The document as a Mermaid flowchart (callers keep it to ``MERMAID_MAX_NODES``).

    Examples
    --------
    >>> doc = {
    ...     "nodes": [
    ...         {"id": 1, "kind": "mission", "title": "<Win>", "status": "active"},
    ...         {"id": 2, "kind": "goal", "redacted": True},
    ...     ],
    ...     "links": [{"id": 5, "type": "supports", "source_id": 2, "target_id": 1}],
    ... }
    >>> print(to_mermaid(doc), end="")
    flowchart BT
      n1["#lt;Win#gt; (mission, active)"]
      n2["hidden goal"]:::redacted
      n2 --> n1
      classDef redacted stroke-dasharray: 4 4
    """
    if len(document["nodes"]) > MERMAID_MAX_NODES:
        raise ValueError(f"Mermaid exports hold at most {MERMAID_MAX_NODES} nodes")
    out = ["flowchart BT"]
    for node in document["nodes"]:
        if node.get("redacted"):
            out.append(f'  n{node["id"]}["hidden {node["kind"]}"]:::redacted')
        else:
            label = _mermaid_text(f"{node['title']} ({node['kind']}, {node['status']})")
            style = ":::inactive" if node["status"] in ("cancelled", "archived") else ""
            out.append(f'  n{node["id"]}["{label}"]{style}')
    for link in document["links"]:
        arrow = MERMAID_ARROWS.get(link["type"], "-->")
        out.append(f"  n{link['source_id']} {arrow} n{link['target_id']}")
    out.append("  classDef redacted stroke-dasharray: 4 4")
    if any(":::inactive" in line for line in out):
        out.append("  classDef inactive stroke-dasharray: 2 2, color: #555")
    return "\n".join(out) + "\n"


def _mermaid_text(value: str) -> str:
    # Mermaid reads entity codes inside quoted labels; these characters would end or
    # restyle the label otherwise.
    escaped = value.replace("#", "#35;").replace('"', "#quot;")
    escaped = escaped.replace("<", "#lt;").replace(">", "#gt;")
    return " ".join(escaped.split())
