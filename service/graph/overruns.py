"""Overruns (DOMAIN.md section 14): where late work and spending concentrate.

Consistent overruns are the most visible lagging sign of misalignment; a hotspot is the
highest point of the chain under which most dated work is late, where a leader starts
tracing it back (to delivery, or earlier, to the product's definition).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

import networkx as nx

from service.graph.census import Census
from service.graph.codes import LIVE
from service.graph.gather import InternalOrder, internal_order
from service.graph.walks import walk_down, walk_up

__all__ = [
    "ELIGIBLE_DATED_WORK",
    "ELIGIBLE_LATE_SHARE",
    "LATE_WORK_SHOWN",
    "AncestorGroups",
    "OverrunCounts",
    "TooManyAncestors",
    "WalkedCounts",
    "ancestor_groups",
    "ancestor_sets",
    "is_late",
    "overruns",
]

ELIGIBLE_DATED_WORK = 3
ELIGIBLE_LATE_SHARE = 0.5
"""A node is eligible for a hotspot with this much dated work below it, this much late."""
LATE_WORK_SHOWN = 20
"""Late work items named per answer, so the trace back is one call."""

_ASSESSED = frozenset({"vision", "strategy", "goal"})
_COUNTED = LIVE | {"done"}


def is_late(data: dict, today: dt.date) -> bool:
    """A work item (its attributes) is late: live past its due date, or done after it.

    ``done_on`` is the UTC day it was done.

    >>> is_late({"status": "active", "due_date": dt.date(2026, 1, 1)}, dt.date(2026, 1, 2))
    True
    >>> done = {"status": "done", "due_date": dt.date(2026, 1, 1), "done_on": dt.date(2026, 1, 1)}
    >>> is_late(done, dt.date(2026, 6, 1))
    False
    """
    due = data.get("due_date")
    if due is None:
        return False
    status = data.get("status")
    if status in LIVE:
        return due < today
    if status == "done":
        done_on = data.get("done_on")
        return done_on is not None and done_on > due
    return False


def overruns(
    G: nx.DiGraph,
    today: dt.date,
    *,
    candidates: Iterable[int] | None = None,
    order: InternalOrder | None = None,
    groups: AncestorGroups | None = None,
    census: Census | None = None,
) -> list[dict]:
    """Return each live vision, strategy and goal with dated work below it.

    Parameters
    ----------
    G : the supports graph; node attributes ``kind``, ``status``, ``due_date``,
        ``done_on`` (the UTC day a done node was done), ``budget`` and ``spent``.
    today : the day lateness is judged on (UTC).
    candidates : the nodes to assess (default: every node of ``G``); others are left out.
    order : the graph's ``internal_order``, when already taken.
    groups : ``ancestor_groups(G, order)``, when already taken (it depends on the shape of
        the graph alone, so it outlives writes to node attributes).
    census : the graph's census, when already taken (spares a scan for dated and costed
        work).

    Returns
    -------
    list of ``{"node", "dated_work", "late", "late_share", "budget", "spent",
    "over_budget", "hotspot", "late_work"}``: counts over the live and done work
    descendants (any path, whatever the status between, each counted once) with a
    due date; budget sums over those descendants, dated or not, that have both a budget
    and a spent amount (None without any); ``late_work`` names the first
    ``LATE_WORK_SHOWN`` late items by id. Hotspots first, then ``late_share``
    descending, then id.

    Work is tallied by ``ancestor_groups``: a count per group of nodes with the same
    ancestors, added to each of those ancestors.

    Examples
    --------
    >>> G = nx.DiGraph([(1, 2), (2, 3), (2, 4), (2, 5)])
    >>> G.add_node(1, kind="strategy", status="active")
    >>> G.add_node(2, kind="goal", status="active")
    >>> for n in (3, 4, 5):
    ...     G.add_node(n, kind="work", status="active", due_date=dt.date(2026, 1, n))
    >>> [(o["node"], o["late"], o["hotspot"]) for o in overruns(G, dt.date(2026, 1, 5))]
    [(1, 2, True), (2, 2, False)]
    """
    counts = (
        OverrunCounts(G, groups, today, census)
        if groups is not None
        else OverrunCounts.taken(G, internal_order(G) if order is None else order, today, census)
    )
    found = counts.entries(G, candidates)
    for entry in found:
        entry["late_work"] = counts.late_work(entry["node"])
    return found


_MICRO = 1_000_000
"""Amounts are summed exactly, as whole millionths: no sum drifts with the order of its
terms, or as counts are kept up to date write by write."""


_NOTHING = [0, 0, 0, 0, 0]


class OverrunCounts:
    """The counts of ``overruns``, kept up to date as node attributes change.

    Built once per shape of the graph (its ``ancestor_groups``) and day; ``update`` then
    recounts only the groups of the nodes that changed, and adds the difference to each
    of their ancestors: after a write, the cost is that of the write, not of the graph.
    """

    def __init__(
        self,
        G: nx.DiGraph,
        groups: AncestorGroups,
        today: dt.date,
        census: Census | None = None,
    ) -> None:
        self.groups = groups
        self.today = today
        self.dated, self.late, self.costed = _counted_work(G._node, census, today)
        # The parents counted in the groups: a change of kind among them regroups.
        self.assessed = {v for v in groups.above if G._node[v].get("kind") in _ASSESSED}
        self.of_ancestor: dict[int, list[frozenset]] = {}
        for key in groups.members:
            for ancestor in key:
                self.of_ancestor.setdefault(ancestor, []).append(key)
        # Per group and per ancestor: [dated, late, costed, budget, spent] (amounts in
        # millionths); per group also its first late ids.
        self.tallies: dict[frozenset, list] = {}
        self.late_ids: dict[frozenset, list[int]] = {}
        self.totals: dict[int, list[int]] = {}
        for key in groups.members:
            self._recount(key)

    @classmethod
    def taken(
        cls, G: nx.DiGraph, order: InternalOrder, today: dt.date, census: Census | None = None
    ) -> OverrunCounts | WalkedCounts:
        """The counts of ``G`` by ancestor group, or by walks where its chains are too deep
        for ancestor sets (``TooManyAncestors``)."""
        try:
            groups = ancestor_groups(G, order, _ASSESSED)
        except TooManyAncestors:
            return WalkedCounts(G, today, census)
        return cls(G, groups, today, census)

    def update(self, G: nx.DiGraph, changed: Iterable[int]) -> bool:
        """Recount after the attributes of the ``changed`` nodes changed (not the shape);
        False, having changed nothing, when the groups no longer hold (a parent's kind
        changed to or from a counted one): take the counts afresh then."""
        nodes, pred = G._node, G._pred
        changed = list(changed)
        above = self.groups.above
        for n in changed:
            if n in above and (nodes.get(n, {}).get("kind") in _ASSESSED) != (n in self.assessed):
                return False
        touched: set[frozenset] = set()
        for n in changed:
            data = nodes.get(n)
            self.dated.discard(n)
            self.late.discard(n)
            self.costed.pop(n, None)
            if data is not None:
                _classify(n, data, self.today, self.dated, self.late, self.costed)
                touched.update(key for key in self.groups.keys_of(pred[n]) if key)
        for key in touched:
            if key in self.groups.members:
                self._recount(key)
        return True

    def _recount(self, key: frozenset) -> None:
        members = self.groups.members[key]
        dated = self.dated.intersection(members)
        costed = self.costed.keys() & members if self.costed else ()
        late = self.late.intersection(dated)
        budget = sum(self.costed[w][0] for w in costed)
        spent = sum(self.costed[w][1] for w in costed)
        new = [len(dated), len(late), len(costed), budget, spent]
        if late:  # which items are late may change while the counts stay
            self.late_ids[key] = heapq.nsmallest(LATE_WORK_SHOWN, late)
        else:
            self.late_ids.pop(key, None)
        old = self.tallies.get(key)
        if new == (old or _NOTHING):
            return
        if any(new):
            self.tallies[key] = new
        else:
            self.tallies.pop(key, None)
        delta = new if old is None else [a - b for a, b in zip(new, old, strict=True)]
        totals = self.totals
        for x in key:
            total = totals.get(x)
            if total is None:
                totals[x] = list(delta)
            else:
                total[0] += delta[0]
                total[1] += delta[1]
                total[2] += delta[2]
                total[3] += delta[3]
                total[4] += delta[4]

    def entries(self, G: nx.DiGraph, candidates: Iterable[int] | None = None) -> list[dict]:
        """The entries of ``overruns``, without ``late_work`` (see ``late_work``)."""
        nodes, pred = G._node, G._pred
        totals = self.totals
        wanted = totals.keys() if candidates is None else totals.keys() & set(candidates)
        found: dict[int, dict] = {}
        for n in wanted:
            dated, late, costed, budget, spent = totals[n]
            data = nodes.get(n)
            if (
                not dated
                or data is None
                or data.get("kind") not in _ASSESSED
                or data.get("status") not in LIVE
            ):
                continue
            found[n] = _entry(n, dated, late, costed, budget, spent)
        return _ranked(found, pred)

    def late_work(self, n: int) -> list[int]:
        """The first ``LATE_WORK_SHOWN`` late work items below ``n``, by id."""
        held = self.late_ids
        # Each group holds its own first items, sorted: merged, the first ones overall come
        # first, without gathering every late item below a vision.
        groups = (held[key] for key in self.of_ancestor.get(n, ()) if key in held)
        found: list[int] = []
        for w in heapq.merge(*groups):
            if not found or found[-1] != w:
                found.append(w)
                if len(found) == LATE_WORK_SHOWN:
                    break
        return found


class WalkedCounts:
    """The counts of ``overruns`` for a graph whose chains are too deep for ancestor sets:
    each assessed node's work found by a walk down, memory in proportion to the graph."""

    def __init__(self, G: nx.DiGraph, today: dt.date, census: Census | None = None) -> None:
        self.today = today
        self.dated, self.late, self.costed = _counted_work(G._node, census, today)
        self._late_work: dict[int, list[int]] = {}

    def update(self, G: nx.DiGraph, changed: Iterable[int]) -> bool:
        return False  # taken afresh after every write

    def entries(self, G: nx.DiGraph, candidates: Iterable[int] | None = None) -> list[dict]:
        nodes, pred = G._node, G._pred
        found: dict[int, dict] = {}
        for n in nodes if candidates is None else candidates:
            data = nodes.get(n)
            if data is None or data.get("kind") not in _ASSESSED or data.get("status") not in LIVE:
                continue
            below = walk_down(G, [n])
            below.discard(n)
            dated = below & self.dated
            if not dated:
                continue
            late = dated & self.late
            costed = below & self.costed.keys()
            budget = sum(self.costed[w][0] for w in costed)
            spent = sum(self.costed[w][1] for w in costed)
            self._late_work[n] = heapq.nsmallest(LATE_WORK_SHOWN, late)
            found[n] = _entry(n, len(dated), len(late), len(costed), budget, spent)
        return _ranked(found, pred)

    def late_work(self, n: int) -> list[int]:
        return self._late_work.get(n, [])


def _entry(n: int, dated: int, late: int, costed: int, budget: int, spent: int) -> dict:
    """One answer of ``overruns`` without ``late_work`` (amounts given in millionths)."""
    return {
        "node": n,
        "dated_work": dated,
        "late": late,
        "late_share": late / dated,
        "budget": budget / _MICRO if costed else None,
        "spent": spent / _MICRO if costed else None,
        "over_budget": (spent - budget) / _MICRO if costed else None,
        "hotspot": False,
    }


def _ranked(found: dict[int, dict], pred) -> list[dict]:
    """Mark the hotspots (eligible, no parent eligible) and order: hotspots first, then
    ``late_share`` descending, then id."""
    eligible = {
        n
        for n, entry in found.items()
        if entry["dated_work"] >= ELIGIBLE_DATED_WORK and entry["late_share"] >= ELIGIBLE_LATE_SHARE
    }
    for n in eligible:
        found[n]["hotspot"] = not any(parent in eligible for parent in pred[n])
    return sorted(found.values(), key=lambda e: (not e["hotspot"], -e["late_share"], e["node"]))


def _classify(n: int, data: dict, today: dt.date, dated: set, late: set, costed: dict) -> None:
    """Put work item ``n`` in the sets it belongs to (``_counted_work`` for one node)."""
    if data.get("kind") != "work" or data.get("status") not in _COUNTED:
        return
    if data.get("due_date") is not None:
        dated.add(n)
        if is_late(data, today):
            late.add(n)
    budget, spent = data.get("budget"), data.get("spent")
    if budget is not None and spent is not None:
        costed[n] = (round(budget * _MICRO), round(spent * _MICRO))


def _counted_work(
    nodes: Mapping[int, dict], census: Census | None, today: dt.date
) -> tuple[set[int], set[int], dict[int, tuple[float, float]]]:
    """The live and done work with a due date, those of them late, and the live and done
    work with both a budget and a spent amount (with the two, in millionths)."""
    due_dates = (
        {n: data["due_date"] for n, data in nodes.items() if data.get("due_date") is not None}
        if census is None
        else census.due_dates
    )
    dated = {
        n
        for n in due_dates
        if (data := nodes[n]).get("kind") == "work" and data.get("status") in _COUNTED
    }
    # Late (the rule of ``is_late``, spelled out here for speed): live past the due date,
    # or done on a later day.
    late = {
        n
        for n in dated
        if (
            due_dates[n] < today
            if (data := nodes[n])["status"] in LIVE
            else (done := data.get("done_on")) is not None and done > due_dates[n]
        )
    }
    costed: dict[int, tuple[float, float]] = {}
    for n in nodes if census is None else census.costed:
        data = nodes[n]
        budget, spent = data.get("budget"), data.get("spent")
        if (
            budget is not None
            and spent is not None
            and data.get("kind") == "work"
            and data.get("status") in _COUNTED
        ):
            costed[n] = (round(budget * _MICRO), round(spent * _MICRO))
    return dated, late, costed


class AncestorGroups(NamedTuple):
    """Nodes grouped by their ancestors: ``members`` of each group, by its set of
    ancestors, and ``above``: each node with children with its ancestors (``ancestor_sets``).
    """

    above: Mapping[int, frozenset]
    members: Mapping[frozenset, tuple[int, ...]]

    def keys_of(self, parents: Collection[int]) -> tuple[frozenset, ...]:
        """The groups of a node with these parents: its first parent's set, and what the
        others add to it (each ancestor of the node in exactly one of them)."""
        above = self.above
        if len(parents) == 1:
            return (above[next(iter(parents))],)
        if not parents:
            return ()
        first, *others = sorted(parents)
        extra = frozenset().union(*(above[p] for p in others)) - above[first]
        return (above[first], extra) if extra else (above[first],)


def ancestor_groups(
    G: nx.DiGraph, order: InternalOrder, kinds: Collection[str] | None = None
) -> AncestorGroups:
    """Every node with parents, grouped by the set of its ancestors (by any path) of the
    given ``kinds`` (default: every kind); a node with none of them is in no group.

    A node with one parent is in the group of its parent's ``ancestor_sets`` entry; a node
    with several is in its first parent's, and in the group of what its other parents add
    to that set. So each ancestor of a node is in exactly one of the node's groups, and
    nodes under one parent share theirs: a count per group, added to each ancestor in the
    group's set, counts every descendant of an ancestor once.

    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4)])
    >>> found = ancestor_groups(G, internal_order(G))
    >>> sorted((sorted(key), sorted(members)) for key, members in found.members.items())
    [([1], [2, 3]), ([1, 2], [4]), ([3], [4])]
    """
    above = ancestor_sets(G, order, kinds)
    keys_of = AncestorGroups(above, {}).keys_of
    held: dict[frozenset, list[int]] = {}
    for v, parents in G._pred.items():
        for key in keys_of(parents):
            if key:  # no ancestor of the kinds counted
                held.setdefault(key, []).append(v)
    return AncestorGroups(above, {key: tuple(members) for key, members in held.items()})


class TooManyAncestors(Exception):
    """The ancestor sets of a graph would grow past their budget (a chain thousands of
    counted nodes deep): the counts are then taken by walks instead."""


ANCESTOR_BUDGET = 50
_BUDGET_FLOOR = 1_000_000
"""Ancestor-set entries allowed per node (plus a million): a company's chains are a few
levels deep; only a pathological chain of thousands of visions, strategies or goals one
below the other comes near it."""


def ancestor_sets(
    G: nx.DiGraph, order: InternalOrder, kinds: Collection[str] | None = None
) -> dict[int, frozenset]:
    """For each node with children, the set of that node and all its ancestors (by any
    path) of the given ``kinds`` (default: every kind): what a child of the node is
    counted under.

    Parents come first (the internal order), so each set is the node with the union of
    its parents' sets, made once; a node of another kind with one parent shares its
    parent's set, so a chain of work items thousands deep costs no more than one item.
    Past ``ANCESTOR_BUDGET`` entries a node, ``TooManyAncestors`` is raised.

    >>> G = nx.DiGraph([(1, 2), (2, 3), (1, 4), (4, 5)])
    >>> found = ancestor_sets(G, internal_order(G))
    >>> sorted(found[2]), sorted(found[4]), 3 in found
    ([1, 2], [1, 4], False)
    """
    pred, nodes = G._pred, G._node
    budget = ANCESTOR_BUDGET * len(nodes) + _BUDGET_FLOOR
    spent = 0
    empty: frozenset = frozenset()
    above: dict[int, frozenset] = {}
    for v in order.order:  # every parent of ``v`` has a child, so it came before
        parents = pred[v]
        counted = kinds is None or nodes[v].get("kind") in kinds
        if len(parents) == 1:
            held = above[next(iter(parents))]
            found = held | {v} if counted else held
        else:
            found = empty.union(*(above[p] for p in parents))
            if counted:
                found = found | {v}
        above[v] = found
        if len(parents) != 1 or found is not held:  # a new set, not a parent's shared
            spent += len(found)
            if spent > budget:
                raise TooManyAncestors
    if order.stuck:  # on, below or above a cycle: each answered by a walk of its own
        for v in walk_down(G, order.stuck):
            if G._succ[v]:
                above[v] = frozenset(
                    n for n in walk_up(G, [v]) if kinds is None or nodes[n].get("kind") in kinds
                )
    return above
