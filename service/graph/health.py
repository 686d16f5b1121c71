"""Health: one summary of the alignment graph for leaders, overall and per team."""

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from service.graph.alignment import Orphan
from service.graph.census import Census, take_census
from service.graph.codes import CONFLICT_TYPES, KINDS, LIVE, ORPHAN_REASONS, STATUSES

__all__ = ["health"]


def health(
    G: nx.DiGraph,
    orphans: Iterable[Orphan],
    unsupported: Iterable[int],
    conflicts: Iterable[dict],
    *,
    suspect_child_ids: Iterable[int] = (),
    stale_goal_ids: Iterable[int] = (),
    silos: Iterable[int] = (),
    unanchored_visions: Iterable[int] = (),
    unserved_needs: Iterable[int] = (),
    clarity: Iterable[int] = (),
    late_work: Iterable[int] = (),
    overrun_hotspots: Iterable[int] = (),
    census: Census | None = None,
) -> dict:
    """Summarise the graph and the findings already computed on it.

    Parameters
    ----------
    G : the supports graph.
    orphans, unsupported, conflicts : as returned by ``orphans``, ``unsupported`` and
        ``conflicts``.
    suspect_child_ids : the child (source) node of each suspect link, one per link.
    stale_goal_ids : the goal of each stale key result, one per key result.
    silos : the silo teams (``team_ground``).
    unanchored_visions, unserved_needs : as ``market`` finds them.
    clarity : the visions and goals ``clarity`` lists.
    late_work : every late work item, done-late ones included.
    overrun_hotspots : the hotspots ``overruns`` finds.
    census : the graph's census, when already taken.

    Returns
    -------
    dict with ``counts`` (``total``, ``by_kind``, ``by_status``), ``work_aligned_ratio``
    (aligned live work over live work that is not standalone; ``None`` without such
    work), ``orphans`` (``total``, ``by_reason``), ``unsupported`` (a count),
    ``conflicts`` (``total``, ``by_type``), ``suspect_links``, ``stale_key_results``,
    ``standalone`` (``total`` and sorted ``node_ids`` of live standalone nodes),
    ``silos``, ``unanchored_visions``, ``unserved_needs``, ``clarity``, ``late_work``,
    ``overrun_hotspots`` (counts) and ``teams``: team
    id -> the same summary over that team's nodes (``silos`` there is 1 for a silo).
    A conflict counts for a team when any of its nodes belongs to the team; a suspect
    link counts for its child's team, a stale key result for its goal's team.
    """
    nodes = G._node
    census = take_census(G) if census is None else census
    conflicts = list(conflicts)

    get = nodes.get

    def team_of(n):
        data = get(n)
        return None if data is None else data.get("team_id")

    # Each input is counted in one pass, keyed by team; the tallies then add the counts
    # up overall and per team, so the cost per team is the number of distinct keys.
    node_counts = census.tallies
    standalone = census.live_standalone
    orphan_counts = Counter(
        (team_of(o.node), o.reason, o.node in nodes and nodes[o.node].get("kind") == "work")
        for o in orphans
    )
    conflict_counts = Counter(
        (team, c["type"]) for c in conflicts for team in set(map(team_of, c["node_ids"]))
    )
    totals = Counter(c["type"] for c in conflicts)

    overall = _Tally()
    teams: dict[int, _Tally] = {}

    def tallies(team):
        if team is None:
            return (overall,)
        if team not in teams:
            teams[team] = _Tally()
        return overall, teams[team]

    for (team, kind, status, alone), count in node_counts.items():
        for tally in tallies(team):
            tally.add_nodes(kind, status, alone, count)
    for n in standalone:
        for tally in tallies(team_of(n)):
            tally.standalone.append(n)
    for (team, reason, is_work), count in orphan_counts.items():
        for tally in tallies(team):
            tally.add_orphans(reason, is_work, count)
    for team, count in Counter(map(team_of, unsupported)).items():
        for tally in tallies(team):
            tally.unsupported += count
    for (team, type_), count in conflict_counts.items():
        if team is not None:
            tallies(team)[-1].add_conflicts(type_, count)
    for type_, count in totals.items():
        overall.add_conflicts(type_, count)
    for team, count in Counter(map(team_of, suspect_child_ids)).items():
        for tally in tallies(team):
            tally.suspect_links += count
    for team, count in Counter(map(team_of, stale_goal_ids)).items():
        for tally in tallies(team):
            tally.stale_key_results += count
    for team in silos:
        for tally in tallies(team):
            tally.silos += 1
    for name, found in (
        ("unanchored_visions", unanchored_visions),
        ("unserved_needs", unserved_needs),
        ("clarity", clarity),
        ("late_work", late_work),
        ("overrun_hotspots", overrun_hotspots),
    ):
        for team, count in Counter(map(team_of, found)).items():
            for tally in tallies(team):
                setattr(tally, name, getattr(tally, name) + count)

    summary = overall.summary()
    summary["teams"] = {team: teams[team].summary() for team in sorted(teams)}
    return summary


class _Tally:
    """Counters for one summary."""

    def __init__(self):
        self.by_kind = dict.fromkeys(KINDS, 0)
        self.by_status = dict.fromkeys(STATUSES, 0)
        self.total = 0
        self.live_work = 0
        self.orphan_work = 0
        self.orphans = dict.fromkeys(ORPHAN_REASONS, 0)
        self.unsupported = 0
        self.conflicts = dict.fromkeys(CONFLICT_TYPES, 0)
        self.suspect_links = 0
        self.stale_key_results = 0
        self.standalone: list[int] = []
        self.silos = 0
        self.unanchored_visions = 0
        self.unserved_needs = 0
        self.clarity = 0
        self.late_work = 0
        self.overrun_hotspots = 0

    def add_nodes(self, kind, status, standalone, count):
        self.total += count
        self.by_kind[kind] = self.by_kind.get(kind, 0) + count
        self.by_status[status] = self.by_status.get(status, 0) + count
        if status in LIVE and kind == "work" and not standalone:
            self.live_work += count

    def add_orphans(self, reason, is_work, count):
        self.orphans[reason] = self.orphans.get(reason, 0) + count
        if is_work:
            self.orphan_work += count

    def add_conflicts(self, type_, count):
        self.conflicts[type_] = self.conflicts.get(type_, 0) + count

    def summary(self):
        ratio = None
        if self.live_work:
            ratio = (self.live_work - self.orphan_work) / self.live_work
        return {
            "counts": {"total": self.total, "by_kind": self.by_kind, "by_status": self.by_status},
            "work_aligned_ratio": ratio,
            "orphans": {"total": sum(self.orphans.values()), "by_reason": self.orphans},
            "unsupported": self.unsupported,
            "conflicts": {"total": sum(self.conflicts.values()), "by_type": self.conflicts},
            "suspect_links": self.suspect_links,
            "stale_key_results": self.stale_key_results,
            "standalone": {"total": len(self.standalone), "node_ids": sorted(self.standalone)},
            "silos": self.silos,
            "unanchored_visions": self.unanchored_visions,
            "unserved_needs": self.unserved_needs,
            "clarity": self.clarity,
            "late_work": self.late_work,
            "overrun_hotspots": self.overrun_hotspots,
        }
