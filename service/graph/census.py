"""The census: what the whole-graph analyses need from every node, kept as nodes change.

Orphans, hollow strategies, conflicts and health each need some slice of the nodes (the
live ones, the live missions, the dated ones, counts by team). A scan for each slice
costs tens of milliseconds at a hundred thousand nodes; the census is taken once, then
each changed node is taken out with its old attributes and put back with its new ones,
so after a write the analyses start from it at no cost.
"""

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

import networkx as nx

from service.graph.codes import INACTIVE, LIVE

__all__ = ["Census", "take_census"]

_MIDDLE_KINDS = frozenset({"vision", "strategy", "goal"})
_CLOSED = INACTIVE | {"done"}


class Census:
    """Slices of the nodes, as sets and maps (sort where an order matters).

    - ``live``: draft or active nodes; ``live_work``, ``live_middle`` (visions,
      strategies, goals), ``live_needs`` and ``live_standalone`` among them;
      ``live_missions`` (sorted).
    - ``closed``: done, cancelled or archived nodes; ``inactive``: cancelled or archived.
    - ``due_dates`` and ``period_ids`` of the nodes that have them; ``costed``: the nodes
      with both a ``budget`` and a ``spent`` amount.
    - ``tallies``: nodes by ``(team_id, kind, status, standalone)``.
    """

    def __init__(self) -> None:
        self.live: set[int] = set()
        self.missions: set[int] = set()  # live ones
        self.live_work: set[int] = set()
        self.live_middle: set[int] = set()
        self.live_needs: set[int] = set()
        self.live_standalone: set[int] = set()
        self.closed: set[int] = set()
        self.inactive: set[int] = set()
        self.due_dates: dict[int, date] = {}
        self.period_ids: dict[int, int] = {}
        self.costed: set[int] = set()  # nodes with both a budget and a spent amount
        self.tallies: Counter = Counter()

    @property
    def live_missions(self) -> list[int]:
        return sorted(self.missions)

    def add(self, n: int, data: Mapping[str, Any]) -> None:
        """Count node ``n`` with attributes ``data`` (not counted yet)."""
        kind, status = data.get("kind"), data.get("status")
        alone = bool(data.get("standalone"))
        self.tallies[_tally(data)] += 1
        if status in LIVE:
            self.live.add(n)
            if kind == "work":
                self.live_work.add(n)
            elif kind == "mission":
                self.missions.add(n)
            elif kind in _MIDDLE_KINDS:
                self.live_middle.add(n)
            elif kind == "need":
                self.live_needs.add(n)
            if alone:
                self.live_standalone.add(n)
        elif status in _CLOSED:
            self.closed.add(n)
            if status in INACTIVE:
                self.inactive.add(n)
        due = data.get("due_date")
        if due is not None:
            self.due_dates[n] = due
        period = data.get("period_id")
        if period is not None:
            self.period_ids[n] = period
        if data.get("budget") is not None and data.get("spent") is not None:
            self.costed.add(n)

    def remove(self, n: int, data: Mapping[str, Any]) -> None:
        """Stop counting node ``n``, counted with attributes ``data``."""
        key = _tally(data)
        self.tallies[key] -= 1
        if not self.tallies[key]:
            del self.tallies[key]
        for part in (
            self.live,
            self.live_work,
            self.missions,
            self.live_middle,
            self.live_needs,
            self.live_standalone,
            self.closed,
            self.inactive,
            self.costed,
        ):
            part.discard(n)
        self.due_dates.pop(n, None)
        self.period_ids.pop(n, None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Census) and vars(self) == vars(other)


def _tally(data: Mapping[str, Any]) -> tuple:
    """The key a node is counted under in ``Census.tallies``."""
    return (data.get("team_id"), data.get("kind"), data.get("status"), bool(data.get("standalone")))


def take_census(G: nx.DiGraph) -> Census:
    """Take the census of ``G``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node(1, kind="mission", status="active")
    >>> G.add_node(2, kind="work", status="done", team_id=7)
    >>> found = take_census(G)
    >>> found.live, found.live_missions, found.closed, found.tallies[(7, "work", "done", False)]
    ({1}, [1], {2}, 1)
    """
    census = Census()
    add = census.add
    for n, data in G._node.items():
        add(n, data)
    return census
