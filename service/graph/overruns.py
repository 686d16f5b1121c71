"""Overruns (DOMAIN.md section 14): where late work and spending concentrate.

Consistent overruns are the most visible lagging sign of misalignment; a hotspot is the
highest point of the chain under which most dated work is late, where a leader starts
tracing it back (to delivery, or earlier, to the product's definition).
"""

import datetime as dt
from collections.abc import Iterable

import networkx as nx

from service.graph.codes import LIVE
from service.graph.gather import InternalOrder, internal_order
from service.graph.walks import walk_down, walk_up

__all__ = ["ELIGIBLE_DATED_WORK", "ELIGIBLE_LATE_SHARE", "LATE_WORK_SHOWN", "is_late", "overruns"]

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
) -> list[dict]:
    """Return each live vision, strategy and goal with dated work below it.

    Parameters
    ----------
    G : the supports graph; node attributes ``kind``, ``status``, ``due_date``,
        ``done_on`` (the UTC day a done node was done), ``budget`` and ``spent``.
    today : the day lateness is judged on (UTC).
    candidates : the nodes to assess (default: every node of ``G``); others are left out.
    order : the graph's ``internal_order``, when already taken.

    Returns
    -------
    list of ``{"node", "dated_work", "late", "late_share", "budget", "spent",
    "over_budget", "hotspot", "late_work"}``: counts over the live and done work
    descendants (any path, whatever the status between, each counted once) with a
    due date; budget sums over those descendants, dated or not, that have both a budget
    and a spent amount (None without any); ``late_work`` names the first
    ``LATE_WORK_SHOWN`` late items by id. Hotspots first, then ``late_share``
    descending, then id.

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
    nodes, pred = G._node, G._pred
    order = internal_order(G) if order is None else order
    dated: set[int] = set()
    late: set[int] = set()
    costed: dict[int, tuple[float, float]] = {}
    for n, data in nodes.items():
        if data.get("kind") != "work" or data.get("status") not in _COUNTED:
            continue
        if data.get("due_date") is not None:
            dated.add(n)
            if is_late(data, today):
                late.add(n)
        budget, spent = data.get("budget"), data.get("spent")
        if budget is not None and spent is not None:
            costed[n] = (budget, spent)
    counted = dated | costed.keys()
    below = _work_below(G, order, counted)
    wanted = set(nodes if candidates is None else candidates)
    assessed = {
        n
        for n in wanted
        if n in nodes and nodes[n].get("kind") in _ASSESSED and nodes[n].get("status") in LIVE
    }
    found: dict[int, dict] = {}
    for n in assessed:
        work = below.get(n, frozenset())
        dated_below = work & dated
        if not dated_below:
            continue
        late_below = sorted(work & late)
        costs = [costed[w] for w in work & costed.keys()]
        budget = sum(b for b, _ in costs) if costs else None
        spent = sum(s for _, s in costs) if costs else None
        share = len(late_below) / len(dated_below)
        found[n] = {
            "node": n,
            "dated_work": len(dated_below),
            "late": len(late_below),
            "late_share": share,
            "budget": budget,
            "spent": spent,
            "over_budget": None if budget is None else spent - budget,
            "hotspot": False,
            "late_work": late_below[:LATE_WORK_SHOWN],
        }
    eligible = {
        n
        for n, entry in found.items()
        if entry["dated_work"] >= ELIGIBLE_DATED_WORK and entry["late_share"] >= ELIGIBLE_LATE_SHARE
    }
    for n in eligible:
        found[n]["hotspot"] = not any(parent in eligible for parent in pred[n])
    return sorted(found.values(), key=lambda e: (not e["hotspot"], -e["late_share"], e["node"]))


def _work_below(G: nx.DiGraph, order: InternalOrder, counted: set[int]) -> dict[int, frozenset]:
    """For each node with children, the ``counted`` nodes among its descendants.

    Children come before parents (the internal order reversed); a node with one
    contributing child shares that child's set instead of copying it.
    """
    succ = G._succ
    below: dict[int, frozenset] = {}
    empty: frozenset = frozenset()
    for v in reversed(order.order):
        parts = []
        own = []
        for child in succ[v]:
            held = below.get(child)
            if held:
                parts.append(held)
            if child in counted:
                own.append(child)
        if not own and len(parts) == 1:
            below[v] = parts[0]
        elif parts or own:
            below[v] = frozenset(own).union(*parts)
        else:
            below[v] = empty
    if order.stuck:  # on, below or above a cycle: each answered by a walk of its own
        for v in walk_up(G, order.stuck):
            if succ[v]:
                below[v] = frozenset(walk_down(G, [v]) - {v}) & counted
    return below
