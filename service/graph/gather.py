"""Sets gathered along ``supports`` links in one pass: what lies below or above each node.

Asking "which teams work below this strategy?" for every strategy with one walk each
costs the size of the graph per strategy. Gathering instead visits each node once, in
topological order, and builds its set from its children's (or parents') sets; equal sets
are shared, so a hundred thousand nodes with a handful of distinct sets hold a handful.
"""

from collections.abc import Mapping

import networkx as nx

from service.graph.walks import walk_down, walk_up

__all__ = ["gather_from_above", "gather_from_below"]

Seeds = Mapping[int, frozenset]


def gather_from_below(G: nx.DiGraph, seeds: Seeds) -> dict[int, frozenset]:
    """Return, for every node with a non-empty answer, the union of the seeds of the node
    and of all its descendants (by any path, whatever their status).

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4)])
    >>> found = gather_from_below(G, {3: frozenset("a"), 4: frozenset("b")})
    >>> sorted(found[1]), sorted(found[2]), 4 in found
    (['a', 'b'], ['b'], True)
    """
    return _gather(G, seeds, G._succ, G._pred, walk_up)


def gather_from_above(G: nx.DiGraph, seeds: Seeds) -> dict[int, frozenset]:
    """Return, for every node with a non-empty answer, the union of the seeds of the node
    and of all its ancestors (by any path, whatever their status).

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4)])
    >>> found = gather_from_above(G, {1: frozenset("a"), 2: frozenset("b")})
    >>> sorted(found[4]), sorted(found[3])
    (['a', 'b'], ['a'])
    """
    return _gather(G, seeds, G._pred, G._succ, walk_down)


def _gather(G, seeds, inputs, outputs, reach):
    """Kahn's order over the nodes the seeds reach: a node is done once every one of its
    ``inputs`` (children when gathering from below) is done."""
    seeded = [n for n, found in seeds.items() if found and n in G]
    within = reach(G, seeded)
    waiting = {n: sum(1 for m in inputs[n] if m in within) for n in within}
    ready = [n for n, count in waiting.items() if count == 0]
    shared: dict[frozenset, frozenset] = {}
    found: dict[int, frozenset] = {}
    empty: frozenset = frozenset()
    while ready:
        v = ready.pop()
        result = seeds.get(v) or empty
        for m in inputs[v]:
            other = found.get(m)
            if other is None or other is result or other <= result:
                continue
            result = other if result <= other else result | other
        if result:
            found[v] = shared.setdefault(result, result)
        for m in outputs[v]:
            if m in waiting:
                waiting[m] -= 1
                if waiting[m] == 0:
                    ready.append(m)
    if len(found) < len(within):
        _finish_cycles(G, seeds, within, waiting, found, reach is walk_up)
    return found


def _finish_cycles(G, seeds, within, waiting, found, from_below):
    """Nodes left waiting sit on or beside a cycle (which the link rules refuse, but a
    graph may be handed one): answer each by a walk of its own."""
    for v in within:
        if waiting.get(v, 0) and v not in found:
            reached = walk_down(G, [v]) if from_below else walk_up(G, [v])
            result = frozenset().union(*(seeds.get(m, ()) for m in reached))
            if result:
                found[v] = result
