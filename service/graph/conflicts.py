"""Conflicts: places where the alignment graph pulls in two directions.

Each conflict is a dict ``{"type", "severity", "node_ids", "message"}`` (metric conflicts
add ``key_result_ids``). Messages name node ids, as titles are not in the graph.
"""

from collections.abc import Iterable, Mapping
from datetime import date

import networkx as nx

from service.graph.census import Census, take_census
from service.graph.codes import INACTIVE, LIVE
from service.graph.walks import walk_down

__all__ = ["LinkConflicts", "conflicts", "metric_conflicts"]

Period = tuple[date, date]


def conflicts(
    G: nx.DiGraph,
    periods: Mapping[int, Period],
    key_results: Mapping[int, Iterable[Mapping]],
    declared: Iterable[tuple[int, int, int]],
    *,
    depends: Iterable[tuple[int, int]] = (),
    census: Census | None = None,
    links: "LinkConflicts | None" = None,
    metric: list[dict] | None = None,
) -> list[dict]:
    """Return every conflict, ordered by type, then node ids.

    Parameters
    ----------
    G : the supports graph (parent -> child edges).
    periods : ``period_id -> (start, end)``.
    key_results : goal node id -> its key results (dicts with ``id``, ``metric``,
        ``direction``...).
    declared : ``(link_id, a, b)`` for each ``conflicts_with`` link.
    depends : ``(a, b)`` for each ``depends_on`` link (a depends on b).
    census : the graph's census, when already taken.
    links : the graph's ``LinkConflicts`` for these ``periods``, when kept up to date by
        the caller.
    metric : the ``metric_conflicts`` of these key results and periods, when kept by the
        caller (a write to a node without key results moves none of them).

    Types and severities:

    - ``competing_missions`` (violation): more than one live mission.
    - ``declared`` (warning): a ``conflicts_with`` link joins two live nodes; the node
      ids are the two sides, then the live nodes that have both among their ancestors.
    - ``dependency``: a live node depends on a cancelled or archived one (violation), or
      on one due after it (warning); node ids are the two ends, the dependent first.
    - ``metric`` (warning): two live goals have key results on the same metric in opposite
      directions, in overlapping periods (a goal without a period overlaps every period).
    - ``period`` (warning): a live child's period or due date falls outside its parent's
      period (a parent without a period constrains nothing); node ids are child, parent.
    - ``status``: a live child supports a parent that is done (warning) or cancelled or
      archived (violation); node ids are child, parent.
    """
    census = take_census(G) if census is None else census
    if links is None:
        links = LinkConflicts(G, periods, census)
    bounds = links.bounds
    period_links, status_links = sorted(links.period_links), sorted(links.status_links)
    return [
        *_competing_missions(census.live_missions),
        *_declared(G, declared),
        *_dependency(G, depends),
        *(metric_conflicts(G, bounds, key_results) if metric is None else metric),
        *(_period_conflict(G, child, parent, bounds) for child, parent in period_links),
        *(_status_conflict(G, child, parent) for child, parent in status_links),
    ]


def _conflict(type_, severity, node_ids, message, **extra):
    return {"type": type_, "severity": severity, "node_ids": node_ids, "message": message, **extra}


def _ids(ids):
    return ", ".join(str(n) for n in ids)


def _competing_missions(missions):
    if len(missions) < 2:
        return []
    message = (
        f"{len(missions)} missions are live (nodes {_ids(missions)}); keep one live and "
        "archive the others."
    )
    return [_conflict("competing_missions", "violation", missions, message)]


def _declared(G, declared):
    nodes = G._node
    found = []
    for _link_id, a, b in declared:
        if a == b or a not in G or b not in G:
            continue
        if nodes[a].get("status") not in LIVE or nodes[b].get("status") not in LIVE:
            continue
        a, b = sorted((a, b))
        caught = sorted(
            n
            for n in (walk_down(G, [a]) & walk_down(G, [b])) - {a, b}
            if nodes[n].get("status") in LIVE
        )
        message = f"Nodes {a} and {b} are declared to conflict."
        if caught:
            message += f" Nodes {_ids(caught)} serve both and are caught in the middle."
        message += " Resolve the tension, or cancel one side."
        found.append(_conflict("declared", "warning", [a, b, *caught], message))
    found.sort(key=lambda c: (c["node_ids"], c["message"]))
    return found


def _dependency(G, depends):
    nodes = G._node
    found = []
    for a, b in sorted(set(depends)):
        if a not in nodes or b not in nodes or nodes[a].get("status") not in LIVE:
            continue
        status = nodes[b].get("status")
        due, awaited = nodes[a].get("due_date"), nodes[b].get("due_date")
        if status in INACTIVE:
            message = (
                f"Node {a} depends on node {b}, which is {status}. Find another way to "
                f"deliver node {a}, or drop the dependency."
            )
            found.append(_conflict("dependency", "violation", [a, b], message))
        elif due is not None and awaited is not None and awaited > due:
            message = (
                f"Node {a} is due {due} but depends on node {b}, due {awaited}. Move one "
                "of the dates, or find another way."
            )
            found.append(_conflict("dependency", "warning", [a, b], message))
    return found


def metric_conflicts(G: nx.DiGraph, bounds, key_results: Mapping[int, Iterable[Mapping]]):
    """The ``metric`` conflicts: opposite key results of live goals in overlapping periods.

    They are paired metric by metric, so unrelated metrics are never compared. ``bounds``
    maps a node to its period (``LinkConflicts.bounds``).
    """
    nodes = G._node
    by_metric: dict[str, dict[str, dict[int, list]]] = {}
    for goal, krs in key_results.items():
        data = nodes.get(goal)
        if data is None or data.get("kind") != "goal" or data.get("status") not in LIVE:
            continue
        for kr in krs:
            direction = kr.get("direction")
            if direction in ("increase", "decrease"):
                sides = by_metric.setdefault(kr["metric"], {"increase": {}, "decrease": {}})
                sides[direction].setdefault(goal, []).append(kr["id"])
    found = []
    for metric, sides in by_metric.items():
        for up, up_krs in sides["increase"].items():
            for down, down_krs in sides["decrease"].items():
                if up == down or not _overlap(bounds.get(up), bounds.get(down)):
                    continue
                message = (
                    f"Goal {up} aims to increase {metric!r} while goal {down} aims to decrease "
                    "it in an overlapping period. Agree on one direction, or measure "
                    "different things."
                )
                found.append(
                    _conflict(
                        "metric",
                        "warning",
                        sorted((up, down)),
                        message,
                        key_result_ids=sorted(up_krs + down_krs),
                    )
                )
    found.sort(key=lambda c: (c["node_ids"], c["key_result_ids"]))
    return found


class Bounds:
    """Each node's period, read through the census's period ids (not copied)."""

    def __init__(self, period_ids: Mapping[int, int], periods: Mapping[int, Period]) -> None:
        self._period_ids, self._periods = period_ids, periods

    def get(self, n: int) -> Period | None:
        period = self._period_ids.get(n)
        return None if period is None else self._periods.get(period)

    def __getitem__(self, n: int) -> Period:
        return self._periods[self._period_ids[n]]

    def nodes(self) -> list[int]:
        """The nodes with a period that exists."""
        periods = self._periods
        return [n for n, p in self._period_ids.items() if p in periods]


class LinkConflicts:
    """The ``supports`` links with a period conflict and those with a status conflict,
    kept up to date write by write; ``bounds`` maps each node to its period.

    Only parents with a period or a closed status can be in conflict, so only their
    children are looked at when taken; after a write that changes no shape, ``update``
    looks again at just the links of the nodes written.
    """

    def __init__(self, G: nx.DiGraph, periods: Mapping[int, Period], census: Census) -> None:
        self.periods = periods
        self.bounds = Bounds(census.period_ids, periods)
        self.period_links: set[tuple[int, int]] = set()
        self.status_links: set[tuple[int, int]] = set()
        succ, live, closed = G._succ, census.live, census.closed
        for parent in closed:
            self.status_links.update((child, parent) for child in succ[parent] if child in live)
        for parent in self.bounds.nodes():
            self.period_links.update(
                (child, parent)
                for child in succ[parent]
                if self._period_link(child, parent, census)
            )

    def _period_link(self, child: int, parent: int, census: Census) -> bool:
        """A live child whose period or due date falls outside its parent's period."""
        period = self.bounds.get(parent)
        if period is None or child not in census.live:
            return False
        start, end = period
        own = self.bounds.get(child)
        # ``own is period``: the very period of the parent, so within it.
        if own is not None and own is not period and (own[0] < start or own[1] > end):
            return True
        due = census.due_dates.get(child)
        return due is not None and (due < start or due > end)

    def update(
        self,
        G: nx.DiGraph,
        periods: Mapping[int, Period],
        census: Census,
        written: Iterable[int],
    ) -> bool:
        """Look again at the links of the nodes ``written`` (no node or supports edge came
        or went); False when only taking them afresh will do (the periods changed)."""
        if periods != self.periods:
            return False
        periods = self.periods
        succ, pred = G._succ, G._pred
        written = [n for n in written if n in succ]
        live, closed = census.live, census.closed
        for n in written:
            for child, parent in [*((n, p) for p in pred[n]), *((c, n) for c in succ[n])]:
                link = (child, parent)
                if parent in closed and child in live:
                    self.status_links.add(link)
                else:
                    self.status_links.discard(link)
                if self._period_link(child, parent, census):
                    self.period_links.add(link)
                else:
                    self.period_links.discard(link)
        return True


def _period_conflict(G, child, parent, bounds):
    start, end = bounds[parent]
    own, due = bounds.get(child), G._node[child].get("due_date")
    parts = []
    if _outside(own, None, (start, end)):
        parts.append(f"its period runs {own[0]} to {own[1]}")
    if _outside(None, due, (start, end)):
        parts.append(f"it is due {due}")
    message = (
        f"Node {child} supports node {parent} but {' and '.join(parts)}, outside node "
        f"{parent}'s period ({start} to {end}). Move the dates, or link node {child} to a "
        "parent whose period covers them."
    )
    return _conflict("period", "warning", [child, parent], message)


def _status_conflict(G, child, parent):
    child_status, status = G._node[child].get("status"), G._node[parent].get("status")
    severity = "violation" if status in INACTIVE else "warning"
    message = (
        f"Node {child} is {child_status} but supports node {parent}, which is {status}. "
        f"Link node {child} to a live parent, or close it."
    )
    return _conflict("status", severity, [child, parent], message)


def _outside(own, due, period):
    start, end = period
    return (own is not None and (own[0] < start or own[1] > end)) or (
        due is not None and not start <= due <= end
    )


def _overlap(a, b):
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])
