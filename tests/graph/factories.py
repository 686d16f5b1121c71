"""Build small supports graphs from literals."""

import networkx as nx

NODE_DEFAULTS = {
    "standalone": False,
    "team_id": None,
    "owner_id": None,
    "period_id": None,
    "start_date": None,
    "due_date": None,
    "reported_progress": None,
}


def graph(nodes, links=()):
    """Return a supports graph.

    ``nodes`` maps an id to ``"kind status"`` or to ``("kind status", {attributes})``;
    ``links`` holds ``(parent, child)`` or ``(parent, child, weight)`` tuples.

    >>> G = graph({1: "mission active", 2: ("goal done", {"team_id": 3})}, [(1, 2)])
    >>> G.nodes[2]["status"], G.nodes[2]["team_id"], G.edges[1, 2]["weight"]
    ('done', 3, 1.0)
    """
    G = nx.DiGraph()
    for node, spec in nodes.items():
        text, extra = (spec, {}) if isinstance(spec, str) else spec
        kind, status = text.split()
        G.add_node(node, **{**NODE_DEFAULTS, "kind": kind, "status": status, **extra})
    for link_id, (parent, child, *weight) in enumerate(links, start=1):
        G.add_edge(parent, child, link_id=link_id, weight=weight[0] if weight else 1.0)
    return G
