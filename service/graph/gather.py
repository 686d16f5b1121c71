"""Bits gathered along ``supports`` links in one pass: what lies below or above each node.

Asking "which teams work below this strategy?" for every strategy with one walk each
costs the size of the graph per strategy. Gathering instead visits each node once, in
topological order, and ORs its children's (or parents') bit masks into its own: a set of
teams or needs is an int with one bit per member, so a union is one machine-word
operation per 64 members.

Only nodes with children need ordering (every parent has a child), so the order is
taken over them alone (``internal_order``, which callers may compute once and pass to
several gatherings); the leaves, most of a company, are read once.
"""

from collections.abc import Iterable, Mapping
from functools import reduce
from operator import or_
from typing import NamedTuple

import networkx as nx

from service.graph.walks import walk_down, walk_up

__all__ = [
    "InternalOrder",
    "bits",
    "gather_from_above",
    "gather_from_below",
    "internal_order",
    "members",
]

Masks = Mapping[int, int]


class InternalOrder(NamedTuple):
    """The nodes with children, parents first, and those a cycle kept out of the order."""

    order: list[int]
    stuck: set[int]


def bits(indexes: Iterable[int]) -> int:
    """The mask with the given bit indexes set.

    >>> bits([0, 3])
    9
    """
    return reduce(or_, (1 << index for index in indexes), 0)


def members(mask: int) -> list[int]:
    """The indexes of the bits set in ``mask``, ascending.

    >>> members(9)
    [0, 3]
    """
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def internal_order(G: nx.DiGraph) -> InternalOrder:
    """The nodes with children in topological order, parents first (Kahn's algorithm).

    Nodes on a cycle, and those below one, are left out of ``order`` and listed in
    ``stuck`` (the link rules refuse cycles, but a graph may be handed one).

    >>> internal_order(nx.DiGraph([(1, 2), (2, 3), (1, 4)]))
    InternalOrder(order=[1, 2], stuck=set())
    """
    succ, pred = G._succ, G._pred
    internal = {n for n, children in succ.items() if children}
    waiting = {n: len(pred[n]) for n in internal}
    ready = [n for n, count in waiting.items() if count == 0]
    order = []
    while ready:
        v = ready.pop()
        order.append(v)
        for child in succ[v].keys() & internal:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    stuck = set()
    if len(order) < len(internal):
        stuck = {n for n, count in waiting.items() if count > 0}
    return InternalOrder(order, stuck)


def gather_from_below(
    G: nx.DiGraph, seeds: Masks, order: InternalOrder | None = None
) -> dict[int, int]:
    """Return, for every node, the OR of the seeds of the node and of all its
    descendants (by any path, whatever their status); 0 where there are none.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4)])
    >>> found = gather_from_below(G, {3: 0b01, 4: 0b10})
    >>> found[1], found[2], found[4], found[3]
    (3, 2, 2, 1)
    """
    succ = G._succ
    order = internal_order(G) if order is None else order
    found = dict.fromkeys(succ, 0)
    found.update(seeds)  # seeds of nodes not in ``G`` are answered as given
    get = found.__getitem__
    for v in reversed(order.order):
        found[v] = reduce(or_, map(get, succ[v]), found[v])
    if order.stuck:  # they, and every node above them, were answered without them
        _finish_cycles(G, seeds, walk_up(G, order.stuck), found, walk_down)
    return found


def gather_from_above(
    G: nx.DiGraph,
    seeds: Masks,
    leaves: Iterable[int] | None = None,
    order: InternalOrder | None = None,
) -> dict[int, int]:
    """Return, for every node with children and every leaf of ``leaves`` (default: all),
    the OR of the seeds of the node and of all its ancestors (by any path, whatever
    their status); 0 where there are none.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4)])
    >>> found = gather_from_above(G, {1: 0b01, 2: 0b10})
    >>> found[4], found[3], found[1]
    (3, 1, 1)
    """
    succ, pred = G._succ, G._pred
    order = internal_order(G) if order is None else order
    found: dict[int, int] = {}
    get = found.__getitem__
    for v in order.order:  # every parent of ``v`` is in the order before it
        found[v] = reduce(or_, map(get, pred[v]), seeds.get(v, 0))
    stuck: set[int] = set()
    if order.stuck:  # they, and every node below them, are answered apart
        stuck = walk_down(G, order.stuck)
        _finish_cycles(G, seeds, stuck, found, walk_up)
    for v in succ if leaves is None else leaves:
        if v in found or v in stuck or v not in succ:
            continue
        found[v] = reduce(or_, map(get, pred[v]), seeds.get(v, 0))
    return found


def _finish_cycles(G, seeds, affected, found, walk):
    """Answer the ``affected`` nodes, on or beside a cycle, each by a ``walk`` of its own."""
    for v in affected:
        found[v] = reduce(or_, (seeds.get(n, 0) for n in walk(G, [v])), 0)
