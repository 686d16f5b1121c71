"""Breadth-first walks along ``supports`` links.

Edges point from parent to child, so walking *up* follows predecessors and walking
*down* follows successors. The walks read the adjacency dicts directly: they run in
hot loops and are several times faster than the generic networkx traversals.
"""

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

import networkx as nx

from service.graph.codes import LIVE

__all__ = ["reached_from_live_missions", "walk_down", "walk_up"]

Enter = Callable[[int], bool]


def walk_up(
    G: nx.DiGraph,
    sources: Iterable[int],
    enter: Enter | None = None,
    depth: int | None = None,
) -> set[int]:
    """Return the sources and every node reachable from them by following links upward.

    Parameters
    ----------
    G : the supports graph (parent -> child edges).
    sources : nodes to start from; they are always part of the answer.
    enter : optional predicate; a parent is entered (and walked past) only when it holds.
    depth : optional limit on the number of links followed.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3), (4, 3)])
    >>> sorted(walk_up(G, [3]))
    [1, 2, 3, 4]
    >>> sorted(walk_up(G, [3], enter=lambda n: n != 2))
    [3, 4]
    >>> sorted(walk_up(G, [3], depth=1))
    [2, 3, 4]
    """
    return _walk(G._pred, sources, enter, depth)


def walk_down(
    G: nx.DiGraph,
    sources: Iterable[int],
    enter: Enter | None = None,
    depth: int | None = None,
    avoid: AbstractSet[int] | None = None,
) -> set[int]:
    """Return the sources and every node reachable from them by following links downward.

    ``depth`` limits the number of links followed (``None``: no limit); the nodes of
    ``avoid`` are never entered (as with an ``enter`` that refuses them, at set speed).

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3), (1, 4)])
    >>> sorted(walk_down(G, [1]))
    [1, 2, 3, 4]
    >>> sorted(walk_down(G, [1], depth=1))
    [1, 2, 4]
    """
    return _walk(G._succ, sources, enter, depth, avoid)


def _walk(adj, sources, enter, depth=None, avoid=None):
    # Level by level with set operations: the union of a node's neighbours runs in C,
    # which makes wide walks several times faster than visiting edge by edge.
    seen = set(sources)
    frontier = list(seen)
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        fresh = set()
        for v in frontier:
            fresh.update(adj[v])
        fresh -= seen
        if avoid is not None:
            fresh -= avoid
        if enter is not None:
            fresh = {w for w in fresh if enter(w)}
        seen |= fresh
        frontier = fresh
    return seen


def reached_from_live_missions(G: nx.DiGraph, within: set[int]) -> set[int]:
    """Return the nodes of ``within`` that a live mission in ``within`` reaches downward.

    Only links between nodes of ``within`` are followed; a live mission reaches itself.
    """
    nodes, pred = G._node, G._pred
    children: dict[int, list[int]] = {}
    for v in within:
        for p in pred[v]:
            if p in within:
                children.setdefault(p, []).append(v)
    stack = [
        n for n in within if nodes[n].get("kind") == "mission" and nodes[n].get("status") in LIVE
    ]
    reached = set(stack)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in reached:
                reached.add(child)
                stack.append(child)
    return reached
