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

from service.graph.codes import LIVE
from service.graph.gather import gather_from_below

__all__ = ["TeamGround", "shared_nodes", "team_ground"]

ASSESSED_KINDS = frozenset({"strategy", "goal", "work"})
_MEETING_KINDS = frozenset({"strategy", "goal"})

Pair = tuple[int, int]


class TeamGround(NamedTuple):
    """What ties teams together.

    ``assessed``: team -> its assessed nodes; ``shared`` and ``dependencies``: ``(a, b)``
    with ``a < b`` -> count, only pairs above zero; ``silos``: sorted team ids;
    ``teams_below``: each live strategy and goal -> the teams with an assessed node in its
    descendants-or-self (only those with at least one).
    """

    assessed: Counter
    shared: Counter
    dependencies: Counter
    silos: list[int]
    teams_below: dict[int, frozenset]

    def connected(self, team: int) -> dict[int, tuple[int, int]]:
        """The teams tied to ``team``: other team -> (shared, dependencies)."""
        found: dict[int, tuple[int, int]] = {}
        for pair in {*self.shared, *self.dependencies}:
            if team in pair:
                other = pair[1] if pair[0] == team else pair[0]
                found[other] = (self.shared.get(pair, 0), self.dependencies.get(pair, 0))
        return dict(sorted(found.items()))


def team_ground(G: nx.DiGraph, depends: Iterable[tuple[int, int]] = ()) -> TeamGround:
    """Return the assessed counts, shared ground, dependencies and silos of every team.

    Parameters
    ----------
    G : the supports graph (parent -> child edges), nodes with ``kind``, ``status``,
        ``team_id`` and ``standalone``.
    depends : ``(a, b)`` for each ``depends_on`` link.

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
    assessed: Counter = Counter()
    seeds: dict[int, frozenset] = {}
    singles: dict[int, frozenset] = {}
    for n, data in nodes.items():
        team = data.get("team_id")
        if (
            team is not None
            and data.get("kind") in ASSESSED_KINDS
            and data.get("status") in LIVE
            and not data.get("standalone")
        ):
            assessed[team] += 1
            seeds[n] = singles.setdefault(team, frozenset((team,)))
    below = gather_from_below(G, seeds)
    teams_below = {
        n: teams
        for n, teams in below.items()
        if nodes[n].get("kind") in _MEETING_KINDS and nodes[n].get("status") in LIVE
    }
    shared: Counter = Counter()
    for teams, count in Counter(teams_below.values()).items():
        for pair in combinations(sorted(teams), 2):
            shared[pair] += count
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
    return TeamGround(assessed, shared, dependencies, silos, teams_below)


def shared_nodes(ground: TeamGround, a: int, b: int) -> list[int]:
    """The live strategies and goals where teams ``a`` and ``b`` meet, sorted."""
    return sorted(n for n, teams in ground.teams_below.items() if a in teams and b in teams)
