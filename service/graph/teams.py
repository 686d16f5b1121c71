"""Team alignment (DOMAIN.md section 11): where teams share ground, and which are silos.

A team's *assessed* nodes are its live, non-standalone strategies, goals and work.
Two teams share a live strategy or goal X when X's descendants-or-self hold an assessed
node of each; ``depends_on`` links between their live nodes tie them too. A team with
assessed nodes tied to no other team is a *silo*.
"""

from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

import networkx as nx

from service.graph.census import Census, take_census
from service.graph.codes import LIVE
from service.graph.gather import InternalOrder, gather_from_below, internal_order, members

__all__ = ["TeamGround", "TeamsBelow", "shared_nodes", "team_ground"]

_MEETING_KINDS = frozenset({"strategy", "goal"})
_ASSESSED_KINDS = _MEETING_KINDS | {"work"}

Pair = tuple[int, int]


class TeamGround(NamedTuple):
    """What ties teams together.

    ``assessed``: team -> its assessed nodes; ``shared`` and ``dependencies``: ``(a, b)``
    with ``a < b`` -> count, only pairs above zero; ``silos``: sorted team ids;
    ``teams_below``: each live strategy and goal -> a mask of the teams with an assessed
    node in its descendants-or-self (bit ``bit[team]``; only those with at least one).
    """

    assessed: Counter
    shared: Counter
    dependencies: Counter
    silos: list[int]
    teams_below: dict[int, int]
    bit: dict[int, int]

    def connected(self, team: int) -> dict[int, tuple[int, int]]:
        """The teams tied to ``team``: other team -> (shared, dependencies)."""
        found: dict[int, tuple[int, int]] = {}
        for pair in {*self.shared, *self.dependencies}:
            if team in pair:
                other = pair[1] if pair[0] == team else pair[0]
                found[other] = (self.shared.get(pair, 0), self.dependencies.get(pair, 0))
        return dict(sorted(found.items()))


class TeamsBelow:
    """Which teams have assessed nodes below each node, kept up to date write by write.

    Each assessed node is seeded with its team's bit, and every node's mask is the OR of
    the seeds of itself and its descendants (``gather_from_below``). Only nodes with
    children and a mask are held: a node without children has its own seed for a mask,
    read from its attributes when asked. Taken once per shape of the graph; after a write
    that changes no shape, ``update`` looks again upward from the nodes written, only as
    far as a mask moves (a few dozen nodes, not the graph).
    """

    def __init__(self, G: nx.DiGraph, census: Census, order: InternalOrder | None = None) -> None:
        self.bit: dict[int, int] = {}  # team -> its bit, in the order teams are met
        self.teams: list[int] = []  # bit -> team
        self.order = order if order is not None else internal_order(G)
        # The last answer's (teams_below, shared), for ``team_ground(shared_before=...)``.
        self.last: tuple[dict[int, int], Counter] | None = None
        nodes = G._node
        seeds: dict[int, int] = {}
        meeting = (n for n in census.live_middle if nodes[n].get("kind") in _MEETING_KINDS)
        for group in (census.live_work, meeting):
            for n in group:
                seed = self.seed(n, nodes[n], census)
                if seed:
                    seeds[n] = seed
        succ = G._succ
        found = gather_from_below(G, seeds, self.order)
        self.below = {n: mask for n, mask in found.items() if mask and succ[n]}

    def mask(self, G: nx.DiGraph, census: Census, n: int) -> int:
        """The teams with an assessed node among ``n`` and its descendants, as a mask."""
        held = self.below.get(n)
        if held is not None:
            return held
        return 0 if G._succ[n] else self.seed(n, G._node[n], census)

    def seed(self, n: int, data: dict, census: Census) -> int:
        """The bit of ``n``'s team when ``n`` is assessed (a new team gets a new bit), else 0."""
        team = data.get("team_id")
        if team is None or n in census.live_standalone:
            return 0
        if not (
            n in census.live_work
            or (n in census.live_middle and data.get("kind") in _MEETING_KINDS)
        ):
            return 0
        index = self.bit.get(team)
        if index is None:
            index = self.bit[team] = len(self.teams)
            self.teams.append(team)
        return 1 << index

    def update(self, G: nx.DiGraph, census: Census, changed: Iterable[int]) -> bool:
        """Bring the masks up to date after the nodes ``changed`` were written (no node
        or supports edge came or went); False when only taking them afresh will do."""
        if self.order.stuck:  # a cycle: masks there were found by walks of their own
            return False
        nodes, succ, pred, below = G._node, G._succ, G._pred, self.below
        stack = list(changed)
        if any(n not in nodes for n in stack):
            return False
        while stack:  # a node whose mask may have moved has its parents looked at again
            v = stack.pop()
            if succ[v]:
                mask = self.seed(v, nodes[v], census)
                for child in succ[v]:
                    mask |= self.mask(G, census, child)
                if mask == below.get(v, 0):
                    continue
                if mask:
                    below[v] = mask
                else:
                    del below[v]
            stack.extend(pred[v])
        return True


def team_ground(
    G: nx.DiGraph,
    depends: Iterable[tuple[int, int]] = (),
    *,
    census: Census | None = None,
    order: InternalOrder | None = None,
    below: TeamsBelow | None = None,
    shared_before: tuple[dict[int, int], Counter] | None = None,
) -> TeamGround:
    """Return the assessed counts, shared ground, dependencies and silos of every team.

    Parameters
    ----------
    G : the supports graph (parent -> child edges), nodes with ``kind``, ``status``,
        ``team_id`` and ``standalone``.
    depends : ``(a, b)`` for each ``depends_on`` link.
    census, order : the graph's census and ``internal_order``, when already taken.
    below : the graph's ``TeamsBelow``, when kept up to date by the caller.
    shared_before : ``(teams_below, shared)`` of an earlier answer on the same
        ``below``: its shared ground is reused when no meeting point's teams moved.

    Examples
    --------
    A vision above two teams' strategies is no shared ground (visions sit above the
    level where silos form); a strategy above both teams' goals is:

    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (2, 5)])
    >>> G.add_node(1, kind="vision", status="active", team_id=9)
    >>> for n, kind, team in [(2, "strategy", 7), (3, "strategy", 8), (4, "goal", 7),
    ...                       (5, "goal", 6)]:
    ...     G.add_node(n, kind=kind, status="active", team_id=team)
    >>> found = team_ground(G)
    >>> dict(found.shared), found.silos
    ({(6, 7): 1}, [8])
    """
    nodes = G._node
    if census is None:
        census = take_census(G)
    if below is None:
        below = TeamsBelow(G, census, order)
    teams = below.teams
    assessed: Counter = Counter()  # from the census's tallies, kept as nodes change
    for (team, kind, status, alone), count in census.tallies.items():
        if team is not None and not alone and status in LIVE and kind in _ASSESSED_KINDS:
            assessed[team] += count
    meeting = sorted(n for n in census.live_middle if nodes[n].get("kind") in _MEETING_KINDS)
    teams_below = {n: mask for n in meeting if (mask := below.mask(G, census, n))}
    if shared_before is not None and shared_before[0] == teams_below:
        shared = shared_before[1]
    else:
        shared = _shared(teams, teams_below)
    dependencies: Counter = Counter()
    for a, b in depends:
        if a not in nodes or b not in nodes:
            continue
        if nodes[a].get("status") not in LIVE or nodes[b].get("status") not in LIVE:
            continue
        team_a, team_b = nodes[a].get("team_id"), nodes[b].get("team_id")
        if team_a is not None and team_b is not None and team_a != team_b:
            dependencies[(min(team_a, team_b), max(team_a, team_b))] += 1
    tied = {team for pair in (*shared, *dependencies) for team in pair}
    silos = sorted(team for team in assessed if team not in tied)
    return TeamGround(assessed, shared, dependencies, silos, teams_below, dict(below.bit))


def _shared(teams: list[int], teams_below: dict[int, int]) -> Counter:
    """Pairs of teams -> the meeting points both are below.

    Meeting points with the same teams below are counted together, and each set of teams
    gives its pairs once: the cost follows the pairs found, not the square of the teams
    (at a million nodes, thousands of teams meet at a few thousand distinct sets).
    """
    by_teams = Counter(mask for mask in teams_below.values() if mask & (mask - 1))
    shared: Counter = Counter()
    for mask, count in by_teams.items():
        pairs = combinations(sorted(teams[index] for index in members(mask)), 2)
        if count == 1:
            shared.update(pairs)
        else:
            for pair in pairs:
                shared[pair] += count
    return shared


def shared_nodes(ground: TeamGround, a: int, b: int) -> list[int]:
    """The live strategies and goals where teams ``a`` and ``b`` meet, sorted."""
    if a not in ground.bit or b not in ground.bit:
        return []
    both = (1 << ground.bit[a]) | (1 << ground.bit[b])
    return sorted(n for n, mask in ground.teams_below.items() if mask & both == both)
