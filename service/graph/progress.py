"""Progress: key results measured, rolled up the alignment graph bottom-up."""

from collections.abc import Iterable, Mapping

import networkx as nx

from service.graph.codes import INACTIVE
from service.graph.walks import walk_up

__all__ = ["key_result_progress", "progress", "progress_update"]


def key_result_progress(kr: Mapping) -> float | None:
    """Return how far a key result has moved from its start to its target, in [0, 1].

    ``(current - start) / (target - start)``, clamped, so the direction is implied by the
    two ends. ``None`` without a current value, or when start and target are equal.

    Examples
    --------
    >>> key_result_progress({"start_value": 10, "target_value": 0, "current_value": 4})
    0.6
    >>> key_result_progress({"start_value": 0, "target_value": 10, "current_value": 12})
    1.0
    >>> key_result_progress({"start_value": 0, "target_value": 10, "current_value": None})
    """
    start, target, current = (
        kr.get("start_value"),
        kr.get("target_value"),
        kr.get("current_value"),
    )
    if current is None or start is None or target is None or start == target:
        return None
    return _clamp((current - start) / (target - start))


def progress(G: nx.DiGraph, key_results: Mapping[int, Iterable[Mapping]]) -> dict:
    """Return the progress of every node, a number in [0, 1] or ``None``.

    - ``work``: 1 when ``done``, else its ``reported_progress`` if set, else 0.
    - a goal with key results: their mean weighted by key result ``weight``.
    - any other node: the mean of its children's progress weighted by link ``weight``,
      counting live and done children only (cancelled and archived ones are left out).

    ``None`` values are left out of every mean and the mean of nothing is ``None``.
    One pass from the leaves up (reverse topological order, no recursion). Should the
    graph hold a cycle, the nodes on or above it are worked out last, from whichever of
    their children are known by then.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node(1, kind="strategy", status="active")
    >>> G.add_node(2, kind="work", status="done")
    >>> G.add_node(3, kind="work", status="active", reported_progress=0.5)
    >>> G.add_edge(1, 2, weight=1.0)
    >>> G.add_edge(1, 3, weight=3.0)
    >>> sorted(progress(G, {}).items())
    [(1, 0.625), (2, 1.0), (3, 0.5)]
    """
    values: dict[int, float | None] = {}
    for v in _leaves_first(G):
        values[v] = _node_progress(G, v, key_results, values)
    return values


def progress_update(
    G: nx.DiGraph,
    key_results: Mapping[int, Iterable[Mapping]],
    previous: Mapping[int, float | None],
    changed: Iterable[int],
) -> dict:
    """Return ``progress(G, key_results)`` from an earlier answer and the nodes changed since.

    ``changed`` names every node whose own data, key results or links to children changed
    (and the former parents of removed nodes and links). Only those and their ancestors
    are worked out again, children first; the rest keep their earlier values. After a
    single write this costs about the size of the changed nodes' ancestry, not the graph:
    a ``previous`` dict is updated in place (pass a copy to keep it) and returned.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3)])
    >>> G.add_node(1, kind="strategy", status="active")
    >>> G.add_node(2, kind="work", status="done")
    >>> G.add_node(3, kind="work", status="active")
    >>> before = progress(G, {})
    >>> G.nodes[3]["status"] = "done"
    >>> progress_update(G, {}, dict(before), [3]) == progress(G, {})
    True
    """
    present = [n for n in changed if n in G]
    affected = walk_up(G, present)
    values = previous if isinstance(previous, dict) else dict(previous)
    for gone in [n for n in changed if n not in G]:
        values.pop(gone, None)
    for v in _leaves_first(G.subgraph(affected)):
        values[v] = _node_progress(G, v, key_results, values)
    return values


def _node_progress(G, v, key_results, values):
    """One node's progress from its own data and its children's values."""
    nodes, succ = G._node, G._succ
    data = nodes[v]
    kind = data.get("kind")
    if kind == "work":
        if data.get("status") == "done":
            return 1.0
        reported = data.get("reported_progress")
        return 0.0 if reported is None else _clamp(reported)
    krs = key_results.get(v) if kind == "goal" else None
    if krs:
        return _mean([(key_result_progress(kr), _weight(kr)) for kr in krs])
    return _mean(
        [
            (values.get(child), _weight(link))
            for child, link in succ[v].items()
            if nodes[child].get("status") not in INACTIVE
        ]
    )


def _leaves_first(G):
    """Yield every node after all its children (Kahn's algorithm from the leaves).

    The consumer handles each node before the next is yielded. On a cycle, the smallest
    pending node is yielded early so that the walk always finishes.
    """
    pred, succ = G._pred, G._succ
    waiting = {n: len(children) for n, children in succ.items()}
    ready = [n for n, count in waiting.items() if count == 0]
    remaining = len(waiting)
    while remaining:
        while ready:
            v = ready.pop()
            remaining -= 1
            yield v
            for parent in pred[v]:
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    ready.append(parent)
        if remaining:
            stuck = min(n for n, count in waiting.items() if count > 0)
            waiting[stuck] = 0
            ready.append(stuck)


def _mean(pairs):
    """Weighted mean of ``(value, weight)`` pairs, leaving out ``None`` values."""
    total = weights = 0.0
    for value, weight in pairs:
        if value is not None:
            total += value * weight
            weights += weight
    return None if weights == 0 else _clamp(total / weights)


def _weight(mapping):
    weight = mapping.get("weight")
    return 1.0 if weight is None else float(weight)


def _clamp(x):
    return min(1.0, max(0.0, float(x)))
