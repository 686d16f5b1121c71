"""Whole-graph findings, each computed once per revision and shared by several answers.

Each takes the current graph and returns what the pure analyses of ``service.graph``
find on it, kept in the graph's per-revision cache.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from service import graph as analysis
from service.graphstore import Graph


def orphan_list(graph: Graph) -> list[analysis.Orphan]:
    return graph.derived(
        "orphans",
        lambda: analysis.orphans(graph.G, census=graph.census, aligned=aligned_set(graph)),
    )


def unsupported_list(graph: Graph) -> list[int]:
    def compute():
        support = graph.kept(
            "support",
            lambda: analysis.Support(graph.G, graph.census, internal_order(graph)),
            lambda held, written: held.update(graph.G, graph.census, written),
        )
        return analysis.unsupported(graph.G, census=graph.census, support=support)

    return graph.derived("unsupported", compute)


def conflict_list(graph: Graph) -> list[dict]:
    def compute():
        declared = [(link_id, a, b) for link_id, (a, b) in graph.declared.items()]
        links = graph.kept(
            "link_conflicts",
            lambda: analysis.LinkConflicts(graph.G, graph.periods, graph.census),
            lambda held, written: held.update(graph.G, graph.periods, graph.census, written),
            key=graph.periods,  # a change of periods, with no node written, takes them afresh
        )
        by_goal = graph.key_results_by_goal()
        # Only nodes with key results take part: a write to any other node moves none.
        # Key results or periods written give new objects, and a new key takes them afresh.
        metric = graph.kept(
            "metric_conflicts",
            lambda: analysis.metric_conflicts(graph.G, links.bounds, by_goal),
            lambda _held, written: by_goal.keys().isdisjoint(written),
            key=(graph.periods, by_goal),
        )
        return analysis.conflicts(
            graph.G,
            graph.periods,
            by_goal,
            declared,
            depends=graph.depends.values(),
            census=graph.census,
            links=links,
            metric=metric,
        )

    return graph.derived("conflicts", compute)


def aligned_set(graph: Graph) -> set[int]:
    """The aligned nodes, kept while the shape and what flows down it stay the same (a
    write to a leaf, most writes, moves no node's alignment)."""
    return graph.by_shape(
        "aligned", lambda: analysis.aligned_nodes(graph.G, census=graph.census), key=graph.flow
    )


def internal_order(graph: Graph) -> analysis.InternalOrder:
    """The nodes with children in topological order, shared by the gatherings below and
    kept while no node or supports edge comes or goes (most writes change attributes)."""
    return graph.by_shape("internal_order", lambda: analysis.internal_order(graph.G))


def market_findings(graph: Graph) -> dict[str, Any]:
    """Market alignment of the whole graph (DOMAIN.md section 10), once per revision."""

    def gather(seeds: dict[int, int]) -> dict[int, int]:
        # The needs above every node, kept while the shape and the needs served stay.
        return graph.by_shape(
            "needs above",
            lambda: analysis.gather_from_above(graph.G, seeds, order=internal_order(graph)),
            key=frozenset(seeds.items()),
        )

    return graph.derived(
        "market",
        lambda: analysis.market(
            graph.G,
            graph.serves.values(),
            aligned_set(graph),
            census=graph.census,
            order=internal_order(graph),
            gather=gather,
        ),
    )


def unanchored(graph: Graph) -> list[int]:
    """The live visions serving no live need, without the rest of market alignment."""
    if "market" in graph._derived:
        return market_findings(graph)["unanchored"]
    return graph.derived(
        "unanchored",
        lambda: analysis.unanchored_visions(graph.G, graph.serves.values(), graph.census),
    )


def teams_below(graph: Graph) -> analysis.TeamsBelow:
    """The teams below every node: taken afresh when the shape of the graph changed, else
    brought up to date with the nodes written since."""
    return graph.kept(
        "teams_below",
        lambda: analysis.TeamsBelow(graph.G, graph.census, internal_order(graph)),
        lambda held, written: held.update(graph.G, graph.census, written),
    )


def team_ground(graph: Graph) -> analysis.TeamGround:
    """Shared ground, dependencies and silos of every team, once per revision; the shared
    ground is counted again only when some meeting point's teams moved."""

    def compute():
        below = teams_below(graph)
        found = analysis.team_ground(
            graph.G,
            graph.depends.values(),
            census=graph.census,
            below=below,
            shared_before=below.last,
        )
        below.last = (found.teams_below, found.shared)
        return found

    return graph.derived("team_ground", compute)


def clarity_list(graph: Graph) -> list[dict]:
    """Visions and goals with something unsaid or divergent (DOMAIN.md 13), once per revision."""

    def compute():
        restated: dict[int, list[str]] = {}
        for node, text in graph.restatements.values():
            restated.setdefault(node, []).append(text)
        return analysis.clarity(
            graph.G,
            graph.key_results_by_goal().keys(),
            unanchored(graph),
            restated,
            candidates=graph.census.live_middle,
        )

    return graph.derived("clarity", compute)


def overrun_counts(graph: Graph, today: dt.date) -> analysis.OverrunCounts:
    """The overrun counts of the graph (DOMAIN.md 14) on ``today``: taken afresh when the
    shape of the graph or the day changed, else brought up to date with the nodes written
    since (a write costs what it touched, not the graph)."""
    return graph.kept(
        "overrun_counts",
        lambda: analysis.OverrunCounts.taken(graph.G, internal_order(graph), today, graph.census),
        lambda counts, written: counts.update(graph.G, written),
        key=today,
    )


def overrun_list(graph: Graph, today: dt.date) -> list[dict]:
    """Late work and spending under each vision, strategy and goal (DOMAIN.md 14), once per
    revision and day; ``overrun_counts(...).late_work(node)`` names an entry's late work."""
    return graph.derived(
        f"overruns {today.isoformat()}",
        lambda: overrun_counts(graph, today).entries(graph.G, graph.census.live_middle),
    )


def late_work(graph: Graph, today: dt.date) -> list[int]:
    """Every late work item, done-late ones included (health, DOMAIN.md 15)."""
    return graph.derived(
        f"late work {today.isoformat()}", lambda: sorted(overrun_counts(graph, today).late)
    )


def serves_by_source(graph: Graph) -> dict[int, list[int]]:
    """The needs each node serves."""

    def compute():
        found: dict[int, list[int]] = {}
        for source, need in graph.serves.values():
            found.setdefault(source, []).append(need)
        return found

    return graph.derived("serves_by_source", compute)
