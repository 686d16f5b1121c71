"""Market alignment (DOMAIN.md section 10): which needs the company's visions serve.

A need is a market segment's need (functional or psychological); ``serves`` links join
visions, strategies and goals to needs and are passed as plain ``(source, need)`` pairs,
apart from the supports graph.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

import networkx as nx

from service.graph.census import Census
from service.graph.codes import LIVE
from service.graph.gather import InternalOrder, gather_from_above, members
from service.graph.walks import walk_up

__all__ = ["market", "needs_above", "unanchored_visions"]

Serves = Iterable[tuple[int, int]]


def market(
    G: nx.DiGraph,
    serves: Serves,
    aligned: Collection[int],
    *,
    census: Census | None = None,
    order: InternalOrder | None = None,
    gather: Callable[[dict[int, int]], Mapping[int, int]] | None = None,
) -> dict:
    """Return the unanchored and one-sided visions, the unserved needs, and every live
    need with what serves it.

    Parameters
    ----------
    G : the supports graph, needs included as nodes (``kind`` "need", ``need_type``).
    serves : ``(source, need)`` for each ``serves`` link.
    aligned : the aligned nodes (as ``aligned_nodes`` returns them).
    census : the graph's census, when already taken (spares a scan for live needs,
        visions and work).
    order : the graph's ``internal_order``, when already taken.
    gather : ``gather(seeds)`` answers what ``gather_from_above(G, seeds)`` would (at
        least for the live work), for a caller that keeps the answer while the shape
        and the seeds stay the same (most writes change neither).

    Returns
    -------
    dict with ``unanchored`` (live visions serving no live need themselves),
    ``unserved`` (live needs no live vision, strategy or goal serves), ``one_sided``
    (live visions whose live needs are all of one ``need_type``), each sorted, and
    ``needs``: for each live need by id, ``{"node", "served_by", "work"}`` where
    ``served_by`` lists the live nodes serving it and ``work`` counts the live aligned
    work below them, each item once.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> G.add_node(1, kind="vision", status="active")
    >>> G.add_node(2, kind="strategy", status="active")
    >>> G.add_node(3, kind="work", status="active")
    >>> G.add_node(8, kind="need", status="active", need_type="functional")
    >>> G.add_node(9, kind="need", status="active", need_type="psychological")
    >>> found = market(G, [(2, 8)], aligned={1, 2, 3})
    >>> found["unanchored"], found["unserved"], found["needs"][0]
    ([1], [9], {'node': 8, 'served_by': [2], 'work': 1})
    """
    nodes = G._node
    served_by, own_needs = _live_serves(G, serves)
    visions = _live_visions(G, census)
    if census is not None:
        needs = sorted(census.live_needs)
    else:
        needs = sorted(n for n, data in nodes.items() if data.get("kind") == "need" and _live(data))
    one_sided = [
        v
        for v in visions
        if own_needs.get(v) and len({nodes[need].get("need_type") for need in own_needs[v]}) == 1
    ]
    if census is not None:
        live_work = census.live_work
    else:
        live_work = {n for n, data in nodes.items() if data.get("kind") == "work" and _live(data)}
    counted = live_work.intersection(aligned)
    if gather is None:

        def gather(seeds):
            return gather_from_above(G, seeds, leaves=counted, order=order)

    work = _work_per_need(needs, own_needs, counted, gather)
    return {
        "unanchored": [v for v in visions if not own_needs.get(v)],
        "unserved": [n for n in needs if not served_by.get(n)],
        "one_sided": one_sided,
        "needs": [
            {"node": n, "served_by": served_by.get(n, []), "work": work.get(n, 0)} for n in needs
        ],
    }


def unanchored_visions(G: nx.DiGraph, serves: Serves, census: Census | None = None) -> list[int]:
    """The live visions that serve no live need themselves, sorted (as ``market`` finds
    them, without counting the work below each need).

    >>> G = nx.DiGraph()
    >>> G.add_node(1, kind="vision", status="active")
    >>> G.add_node(2, kind="vision", status="active")
    >>> G.add_node(9, kind="need", status="active", need_type="functional")
    >>> unanchored_visions(G, [(2, 9)])
    [1]
    """
    _served_by, own_needs = _live_serves(G, serves)
    return [v for v in _live_visions(G, census) if not own_needs.get(v)]


def _live(data: dict | None, kind: str | None = None) -> bool:
    return (
        data is not None
        and data.get("status") in LIVE
        and (kind is None or data.get("kind") == kind)
    )


def _live_serves(G: nx.DiGraph, serves: Serves):
    """Who serves each live need and which live needs each node serves, live ends only."""
    nodes = G._node
    live_serves = sorted(
        {(s, t) for s, t in serves if _live(nodes.get(s)) and _live(nodes.get(t), "need")}
    )
    served_by: dict[int, list[int]] = defaultdict(list)
    own_needs: dict[int, set[int]] = defaultdict(set)
    for source, need in live_serves:
        served_by[need].append(source)
        own_needs[source].add(need)
    return served_by, own_needs


def _live_visions(G: nx.DiGraph, census: Census | None) -> list[int]:
    nodes = G._node
    if census is not None:
        return sorted(n for n in census.live_middle if nodes[n].get("kind") == "vision")
    return sorted(n for n, data in nodes.items() if data.get("kind") == "vision" and _live(data))


def need_seeds(needs: list[int], own_needs: Mapping[int, Iterable[int]]) -> dict[int, int]:
    """Each node serving needs -> a mask of them, one bit per need in ``needs`` order."""
    bit = {need: index for index, need in enumerate(needs)}
    return {source: sum(1 << bit[need] for need in served) for source, served in own_needs.items()}


def _work_per_need(needs, own_needs, counted, gather) -> Counter:
    """The ``counted`` work below the nodes serving each need: needs gathered from above,
    one bit per need, then work counted by the set of needs above it."""
    seeds = need_seeds(needs, own_needs)
    if not seeds:
        return Counter()
    found = gather(seeds)
    get = found.get
    by_mask = Counter(mask for mask in map(get, counted) if mask)
    counts: Counter = Counter()
    for mask, count in by_mask.items():
        for index in members(mask):
            counts[needs[index]] += count
    return counts


def needs_above(G: nx.DiGraph, serves_by_source: dict[int, list[int]], node: int) -> list[int]:
    """The live needs served by ``node`` or any of its ancestors, sorted.

    ``serves_by_source`` maps each node to the needs it serves.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2)])
    >>> G.add_node(1, kind="vision", status="active")
    >>> G.add_node(2, kind="goal", status="active")
    >>> G.add_node(9, kind="need", status="active", need_type="functional")
    >>> needs_above(G, {1: [9]}, 2)
    [9]
    """
    nodes = G._node
    found = {
        need
        for n in walk_up(G, [node])
        for need in serves_by_source.get(n, ())
        if need in nodes and nodes[need].get("status") in LIVE
    }
    return sorted(found)
