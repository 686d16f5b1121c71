"""Alignment: which nodes connect to a live mission, and why the others do not.

A node is *aligned* when some chain of ``supports`` links leads from it to a live mission
and no node on that chain, apart from the node itself, is cancelled or archived. A live
mission is aligned by definition. Every live node that is not a mission, not standalone
and not aligned is an *orphan*, with exactly one reason (see ``ORPHAN_REASONS``).

Whole-graph functions here run in time linear in nodes plus links; ``alignment_of``
answers for one node from its ancestors only.
"""

from collections.abc import Collection, Iterable
from typing import NamedTuple

import networkx as nx

from service.graph.census import Census, take_census
from service.graph.codes import INACTIVE, LIVE
from service.graph.gather import InternalOrder
from service.graph.walks import reached_from_live_missions, walk_up

__all__ = [
    "Orphan",
    "Support",
    "aligned_nodes",
    "alignment_of",
    "live_missions",
    "orphans",
    "unsupported",
]

_EMPTY: frozenset[int] = frozenset()


class Orphan(NamedTuple):
    """A live node that does not connect to a live mission."""

    node: int
    reason: str
    root_causes: tuple[int, ...]


def live_missions(G: nx.DiGraph) -> list[int]:
    """Return the live missions, sorted.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node(1, kind="mission", status="active")
    >>> G.add_node(2, kind="mission", status="cancelled")
    >>> live_missions(G)
    [1]
    """
    return sorted(
        n
        for n, data in G._node.items()
        if data.get("kind") == "mission" and data.get("status") in LIVE
    )


def aligned_nodes(G: nx.DiGraph, *, census: Census | None = None) -> set[int]:
    """Return every aligned node (``census``: the graph's, when already taken).

    One pass down from the live missions: any child of an aligned node is aligned (its
    own status does not matter), but the walk only continues through children that are
    not cancelled or archived.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> G.add_node(1, kind="mission", status="active")
    >>> G.add_node(2, kind="strategy", status="cancelled")
    >>> G.add_node(3, kind="goal", status="active")
    >>> sorted(aligned_nodes(G))
    [1, 2]
    """
    return _aligned_below(G, live_missions(G) if census is None else census.live_missions)


def _aligned_below(G, missions):
    nodes, succ = G._node, G._succ
    frontier = list(missions)
    aligned = set(frontier)
    while frontier:
        fresh = set()
        for v in frontier:
            fresh.update(succ[v])
        fresh -= aligned
        aligned |= fresh
        frontier = [n for n in fresh if nodes[n].get("status") not in INACTIVE]
    return aligned


def alignment_of(
    G: nx.DiGraph, node: int, *, live_missions: Collection[int] | None = None
) -> tuple[bool, str | None]:
    """Return ``(aligned, reason)`` for one node, looking at its ancestors only.

    ``reason`` is ``None`` when the node is aligned, otherwise the orphan reason the node
    would have, whatever its own status and ``standalone`` flag; a need, outside the
    chain, is never aligned and has no reason. Telling ``no_mission``
    from ``unlinked`` or ``broken_chain`` needs to know whether any live mission exists:
    pass ``live_missions`` when it is already known, or the nodes are scanned for one
    (only in that case).

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> G.add_node(1, kind="mission", status="active")
    >>> G.add_node(2, kind="strategy", status="archived")
    >>> G.add_node(3, kind="goal", status="active")
    >>> alignment_of(G, 2), alignment_of(G, 3)
    ((True, None), (False, 'inactive_path'))
    """
    if node not in G:
        raise nx.NodeNotFound(f"node {node} is not in the graph")
    nodes, pred = G._node, G._pred

    def is_live_mission(n):
        data = nodes[n]
        return data.get("kind") == "mission" and data.get("status") in LIVE

    if is_live_mission(node):
        return True, None
    if nodes[node].get("kind") == "need":
        return False, None
    usable = walk_up(G, [node], enter=lambda n: nodes[n].get("status") not in INACTIVE)
    if any(is_live_mission(n) for n in usable):
        return True, None
    if any(is_live_mission(n) for n in walk_up(G, [node])):
        return False, "inactive_path"
    if live_missions is None:
        has_mission = any(
            d.get("kind") == "mission" and d.get("status") in LIVE for d in nodes.values()
        )
    else:
        has_mission = bool(live_missions)
    if not has_mission:
        return False, "no_mission"
    return False, ("broken_chain" if pred[node] else "unlinked")


def orphans(
    G: nx.DiGraph, *, census: Census | None = None, aligned: set[int] | None = None
) -> list[Orphan]:
    """Return the orphans, sorted by node id, each with its reason and root causes.

    Reasons are tested in this order: ``no_mission`` (no live mission anywhere),
    ``unlinked`` (no parent), ``inactive_path`` (a live mission is an ancestor but every
    chain to one passes a cancelled or archived node; root causes: those inactive
    ancestors from which a live mission is reachable), ``broken_chain`` (no live mission
    among the ancestors; root causes: the ancestors without a parent).

    Root causes are gathered once per ancestor and shared between orphans, so many
    orphans under one broken node cost little more than one. ``census`` is the graph's
    census and ``aligned`` its aligned nodes, when already found.
    """
    nodes, pred = G._node, G._pred
    census = take_census(G) if census is None else census
    missions = census.live_missions
    if aligned is None:
        aligned = _aligned_below(G, missions)
    candidates = sorted(
        n
        for n in census.live - aligned - census.live_needs
        if nodes[n].get("kind") != "mission" and not nodes[n].get("standalone")
    )
    if not missions:
        return [Orphan(n, "no_mission", ()) for n in candidates]

    linked = [n for n in candidates if pred[n]]
    reaching = _reaching_live_mission(G, linked)
    inactive_memo: dict[int, frozenset[int]] = {}
    root_memo: dict[int, frozenset[int]] = {}

    def is_inactive(v):
        return nodes[v].get("status") in INACTIVE

    def is_root(v):
        return not pred[v]

    result = []
    for n in candidates:
        if not pred[n]:
            result.append(Orphan(n, "unlinked", ()))
        elif n in reaching:
            causes = _gather_up(pred, n, inactive_memo, reaching.__contains__, is_inactive)
            result.append(Orphan(n, "inactive_path", tuple(sorted(causes))))
        else:
            causes = _gather_up(pred, n, root_memo, None, is_root)
            result.append(Orphan(n, "broken_chain", tuple(sorted(causes))))
    return result


def unsupported(
    G: nx.DiGraph, *, census: Census | None = None, support: "Support | None" = None
) -> list[int]:
    """Return the live visions, strategies and goals with no live work below them, sorted.

    One walk up from every live work node, whatever the status of the nodes passed.
    ``census`` is the graph's census when already taken; ``support`` the graph's
    ``Support``, when kept up to date by the caller.
    """
    census = take_census(G) if census is None else census
    if support is None:
        supported = walk_up(G, census.live_work)
        return sorted(n for n in census.live_middle if n not in supported)
    return sorted(n for n in census.live_middle if not support.below(census, n))


class Support:
    """The nodes with children that have live work below them or are live work.

    A node without children has live work below it (or is live work) exactly when it is
    live work, so only nodes with children are held. Taken once per shape of the graph;
    after a write, ``update`` looks again from the nodes written upward, only as far as an
    answer flips.
    """

    def __init__(self, G: nx.DiGraph, census: Census, order: InternalOrder) -> None:
        self.cycles = bool(order.stuck)
        if self.cycles:  # walks, and no updates: see ``update``
            found = walk_up(G, census.live_work)
            self.supported = {n for n in found if G._succ[n]}
            return
        self.supported: set[int] = set()
        for v in reversed(order.order):  # children first
            if self._holds(G, census, v):
                self.supported.add(v)

    def _holds(self, G: nx.DiGraph, census: Census, v: int) -> bool:
        live_work, supported = census.live_work, self.supported
        return v in live_work or any(c in live_work or c in supported for c in G._succ[v])

    def below(self, census: Census, n: int) -> bool:
        """Whether ``n`` has live work below it or is live work."""
        return n in census.live_work or n in self.supported

    def update(self, G: nx.DiGraph, census: Census, written: Iterable[int]) -> bool:
        """Bring the answers up to date after the nodes ``written`` changed (no node or
        supports edge came or went); False when only taking them afresh will do."""
        if self.cycles:
            return False
        succ, pred, supported = G._succ, G._pred, self.supported
        stack: list[int] = []
        for n in written:
            if n in succ:
                # A node with children may flip itself; one without only its parents.
                stack.extend((n,) if succ[n] else pred[n])
        while stack:  # a node whose answer flips sends its parents to be looked at again
            v = stack.pop()
            now = self._holds(G, census, v)
            if now != (v in supported):
                if now:
                    supported.add(v)
                else:
                    supported.discard(v)
                stack.extend(pred[v])
        return True


def _reaching_live_mission(G, sources):
    """Return the nodes above ``sources`` (included) that have a live mission above them.

    Only the ancestors of ``sources`` are visited; a live mission counts as reaching
    itself.
    """
    return reached_from_live_missions(G, walk_up(G, sources))


def _gather_up(pred, start, memo, follow, marked):
    """Return the marked nodes among ``start`` and its ancestors reached through followed ones.

    ``memo`` maps each finished node to its answer and is shared between calls, so a
    node is worked out once however many orphans lie below it. Post-order on an explicit
    stack (no recursion); a parent still on the stack (a cycle) contributes nothing.
    """
    if start in memo:
        return memo[start]
    stack = [(start, iter(pred[start]))]
    open_ = {start}
    while stack:
        v, parents = stack[-1]
        for p in parents:
            if p not in memo and p not in open_ and (follow is None or follow(p)):
                open_.add(p)
                stack.append((p, iter(pred[p])))
                break
        else:
            stack.pop()
            open_.discard(v)
            found = _union(memo[p] for p in pred[v] if p in memo)
            memo[v] = found | {v} if marked(v) else found
    return memo[start]


def _union(sets):
    """Union of frozensets that reuses an operand when it already holds all the others."""
    result = _EMPTY
    for s in sets:
        if s is result or not s or s <= result:
            continue
        result = s if result <= s else result | s
    return result
