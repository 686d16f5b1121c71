"""Impact: what removing or cancelling one node would do to the alignment of others."""

from collections.abc import Collection

import networkx as nx

from service.graph.census import Census
from service.graph.codes import INACTIVE, LIVE
from service.graph.walks import reached_from_live_missions, walk_down, walk_up

__all__ = ["impact"]


def impact(
    G: nx.DiGraph,
    node: int,
    *,
    aligned: Collection[int] | None = None,
    census: Census | None = None,
) -> dict:
    """Return what depends on ``node``: ``{"touches": [...], "would_orphan": [...]}``.

    ``touches`` lists every descendant of the node, whatever its status. ``would_orphan``
    lists the nodes that are not cancelled or archived (``done`` ones included), are
    aligned now, and would not be aligned without the node: the nodes strictly below it
    in the dominator tree of the alignment graph (cancelled and archived nodes removed, a
    virtual root above the live missions). Both lists are sorted.

    The work is proportional to the descendants of the node and their ancestors, not to
    the graph. Pass ``aligned`` (as from ``aligned_nodes``) when it is already known to
    skip looking at the ancestors, and the graph's ``census`` when taken.

    Only a node reached from ``node`` through nodes that are not inactive can lose its
    alignment; call these the *exposed* nodes. Any other parent of an exposed node keeps
    its alignment without ``node``, so an exposed node stays aligned exactly when it
    hangs, directly or through other exposed nodes that stay aligned, from an aligned
    parent outside the exposed set.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 5), (2, 5)])
    >>> G.add_node(1, kind="mission", status="active")
    >>> for n in (2, 3, 4, 5):
    ...     G.add_node(n, kind="work", status="active")
    >>> impact(G, 2)
    {'touches': [4, 5], 'would_orphan': [4]}
    """
    if node not in G:
        raise nx.NodeNotFound(f"node {node} is not in the graph")
    nodes, pred = G._node, G._pred

    if census is None:
        inactive = {n for n, data in nodes.items() if data.get("status") in INACTIVE}
        missions = {n for n, data in nodes.items() if _live_mission(data)}
    else:
        inactive, missions = census.inactive, census.missions

    if node in inactive:
        touches = walk_down(G, [node])
        touches.discard(node)
        return {"touches": sorted(touches), "would_orphan": []}
    exposed, blocked = _exposed(G._succ, node, inactive)
    # Everything below the node: what is exposed, and what lies below where it stopped.
    touches = exposed | walk_down(G, blocked)
    touches.discard(node)
    result = {"touches": sorted(touches), "would_orphan": []}
    if aligned is None:
        aligned = _aligned_among_ancestors(G, exposed | {node})
    if node not in aligned:
        return result

    # Most exposed nodes have every parent exposed (or the node itself): one set test
    # each, in C, before any parent is looked at one by one.
    within = exposed | {node}
    kept = {
        n
        for n in exposed
        if n in missions
        or (
            not within.issuperset(pred[n])
            and any(p not in within and p in aligned and p not in inactive for p in pred[n])
        )
    }
    stack = list(kept)
    succ = G._succ
    while stack:
        for child in succ[stack.pop()]:
            if child in exposed and child not in kept:
                kept.add(child)
                stack.append(child)
    result["would_orphan"] = sorted(n for n in exposed - kept if n in aligned)
    return result


def _exposed(succ, node: int, inactive: set[int]) -> tuple[set[int], set[int]]:
    """The nodes below ``node`` reached through nodes not ``inactive``, and the inactive
    nodes where that walk stopped (level by level, with set operations in C)."""
    seen, blocked = {node}, set()
    frontier: set[int] = {node}
    while frontier:
        fresh: set[int] = set()
        for v in frontier:
            fresh.update(succ[v])
        fresh -= seen
        stopped = fresh & inactive
        if stopped:
            blocked |= stopped
            fresh -= stopped
        seen |= fresh
        frontier = fresh
    seen.discard(node)
    return seen, blocked


def _live_mission(data) -> bool:
    return data.get("kind") == "mission" and data.get("status") in LIVE


def _aligned_among_ancestors(G, sources):
    """Return which of ``sources`` and their usable ancestors are aligned.

    The answer is exact for those nodes: every chain that could align them runs through
    ancestors that are not inactive, and all of those are visited.
    """
    nodes = G._node
    above = walk_up(G, sources, enter=lambda n: nodes[n].get("status") not in INACTIVE)
    return reached_from_live_missions(G, above)
