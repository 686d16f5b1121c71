"""Traces: how a node connects up to the mission, what serves it, where two nodes meet.

Traces follow every ``supports`` link whatever the status of the nodes on the way.
Edges are reported as ``[source_id, target_id]`` of the links, that is ``[child, parent]``.
"""

import heapq
from collections import deque
from collections.abc import Collection

import networkx as nx

from service.graph.alignment import alignment_of
from service.graph.codes import CHAIN_KINDS, INACTIVE, LIVE, STATUSES
from service.graph.walks import walk_down, walk_up

__all__ = [
    "lowest_common_ancestors",
    "shortest_path_to_mission",
    "trace_down",
    "trace_up",
]


def trace_up(
    G: nx.DiGraph,
    node: int,
    max_paths: int = 20,
    *,
    live_missions: Collection[int] | None = None,
) -> dict:
    """Return the ancestor subgraph of ``node`` and its shortest paths to a mission.

    Returns a dict with ``nodes`` (the node and its ancestors, sorted), ``edges`` (the
    links among them, sorted), ``paths`` (up to ``max_paths`` paths ``[node, ..., mission]``
    to a mission of any status, shortest first), ``truncated`` (whether more paths exist),
    and ``aligned`` and ``reason`` as given by ``alignment_of`` (which ``live_missions`` is
    passed on to).

    Paths are never all enumerated: a best-first search over partial paths, guided by the
    exact hop distance from each ancestor to its nearest mission, only extends partial
    paths that still complete, so each path returned costs about its length.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4), (1, 4)])
    >>> G.add_node(1, kind="mission", status="active")
    >>> for n in (2, 3, 4):
    ...     G.add_node(n, kind="work", status="active")
    >>> answer = trace_up(G, 4, max_paths=2)
    >>> answer["paths"], answer["truncated"]
    ([[4, 1], [4, 2, 1]], True)
    """
    if max_paths < 0:
        raise ValueError("max_paths must not be negative")
    aligned, reason = alignment_of(G, node, live_missions=live_missions)
    nodes, pred = G._node, G._pred
    above = walk_up(G, [node])
    edges = [[child, parent] for child in sorted(above) for parent in sorted(pred[child])]
    children: dict[int, list[int]] = {}
    for child, parent in edges:
        children.setdefault(parent, []).append(child)

    hops = {n: 0 for n in above if nodes[n].get("kind") == "mission"}
    queue = deque(hops)
    while queue:
        v = queue.popleft()
        for child in children.get(v, ()):
            if child not in hops:
                hops[child] = hops[v] + 1
                queue.append(child)

    cyclic = _has_cycle(above, pred, children)
    paths: list[list[int]] = []
    truncated = False
    if node in hops:
        for path in _shortest_paths(nodes, pred, node, hops, cyclic):
            if len(paths) == max_paths:
                truncated = True
                break
            paths.append(path)
    return {
        "nodes": sorted(above),
        "edges": edges,
        "paths": paths,
        "truncated": truncated,
        "aligned": aligned,
        "reason": reason,
    }


def trace_down(G: nx.DiGraph, node: int, depth: int | None = None) -> dict:
    """Return the descendants of ``node`` within ``depth`` links, with counts.

    Returns a dict with ``nodes`` (the node and those descendants, sorted), ``edges`` (the
    links among them, sorted) and ``counts``: ``total``, ``by_kind`` and ``by_status`` of
    the descendants (the node itself left out). ``depth=None`` means no limit.
    """
    if node not in G:
        raise nx.NodeNotFound(f"node {node} is not in the graph")
    if depth is not None and depth < 0:
        raise ValueError("depth must not be negative")
    nodes, pred = G._node, G._pred
    below = sorted(walk_down(G, [node], depth=depth))
    kept = set(below)
    by_kind = dict.fromkeys(CHAIN_KINDS, 0)  # needs are never below anything
    by_status = dict.fromkeys(STATUSES, 0)
    for n in below:
        if n != node:
            data = nodes[n]
            kind, status = data.get("kind"), data.get("status")
            by_kind[kind] = by_kind.get(kind, 0) + 1
            by_status[status] = by_status.get(status, 0) + 1
    edges = [[child, parent] for child in below for parent in sorted(pred[child]) if parent in kept]
    return {
        "nodes": below,
        "edges": edges,
        "counts": {"total": len(below) - 1, "by_kind": by_kind, "by_status": by_status},
    }


def lowest_common_ancestors(G: nx.DiGraph, a: int, b: int) -> list[int]:
    """Return the lowest common ancestors of ``a`` and ``b``, sorted: where they meet.

    A node counts as its own ancestor. A common ancestor is lowest when no other common
    ancestor is below it, which is the same as none of its children being a common
    ancestor: a common ancestor below ``c`` is reached through a child of ``c``, and that
    child, being above a common ancestor, is one as well.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4), (2, 5)])
    >>> lowest_common_ancestors(G, 4, 5), lowest_common_ancestors(G, 2, 4)
    ([2], [2])
    """
    for n in (a, b):
        if n not in G:
            raise nx.NodeNotFound(f"node {n} is not in the graph")
    pred = G._pred
    common = walk_up(G, [a]) & walk_up(G, [b])
    has_common_child = {p for c in common for p in pred[c] if p in common and p != c}
    return sorted(common - has_common_child)


def shortest_path_to_mission(G: nx.DiGraph, node: int) -> list[int] | None:
    """Return one shortest path ``[node, ..., mission]`` up to a mission, or ``None``.

    A path to a live mission through nodes that are not cancelled or archived (the kind of
    path that makes a node aligned) is preferred; failing that, a path to any mission.
    Among equally short paths, the one through the smallest ids is taken.
    """
    if node not in G:
        raise nx.NodeNotFound(f"node {node} is not in the graph")
    nodes = G._node

    def is_live_mission(n):
        return nodes[n].get("kind") == "mission" and nodes[n].get("status") in LIVE

    def is_usable(n):
        return nodes[n].get("status") not in INACTIVE

    path = _bfs_up(G, node, is_live_mission, is_usable)
    if path is None:
        path = _bfs_up(G, node, lambda n: nodes[n].get("kind") == "mission", None)
    return path


def _shortest_paths(nodes, pred, node, hops, cyclic):
    """Yield the paths from ``node`` up to a mission, shortest first (best-first search).

    Heap entries are ``(length so far + hops left, -length so far, seq, partial path)``:
    among equally promising entries the longest goes first, so completing a path is a
    straight climb rather than a sweep over every partial path of the same length.
    Partial paths are linked lists ``(node, rest)`` so extending one costs O(1).
    """
    seq = 0
    heap = [(hops[node], 0, seq, (node, None))]
    while heap:
        _, minus_length, _, partial = heapq.heappop(heap)
        v = partial[0]
        if nodes[v].get("kind") == "mission":
            path = []
            while partial is not None:
                path.append(partial[0])
                partial = partial[1]
            path.reverse()
            yield path
            continue
        length = 1 - minus_length
        for parent in sorted(pred[v]):
            if parent in hops and not (cyclic and _on_path(partial, parent)):
                seq += 1
                entry = (length + hops[parent], -length, seq, (parent, partial))
                heapq.heappush(heap, entry)


def _on_path(partial, n):
    while partial is not None:
        if partial[0] == n:
            return True
        partial = partial[1]
    return False


def _has_cycle(subset, pred, children):
    """Whether the links among ``subset`` (closed under parents) contain a cycle (Kahn)."""
    waiting = {n: len(pred[n]) for n in subset}
    ready = [n for n, count in waiting.items() if count == 0]
    done = 0
    while ready:
        v = ready.pop()
        done += 1
        for child in children.get(v, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return done < len(subset)


def _bfs_up(G, node, is_target, enter):
    pred = G._pred
    came_from = {node: None}
    queue = deque([node])
    while queue:
        v = queue.popleft()
        if is_target(v):
            path = []
            while v is not None:
                path.append(v)
                v = came_from[v]
            path.reverse()
            return path
        for parent in sorted(pred[v]):
            if parent not in came_from and (enter is None or enter(parent)):
                came_from[parent] = v
                queue.append(parent)
    return None
