"""Answers about two signs of misalignment: what visions and goals leave unsaid (clarity,
DOMAIN.md 13) and where late work and spending concentrate (overruns, section 14).

Built from the in-memory graph like ``service.analysis``. Nodes the caller may not see are
redacted placeholders; the late work an overrun names leaves them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from service.analysis import page_of_list, summaries
from service.auth.principal import Principal
from service.findings import clarity_list, overrun_counts, overrun_list
from service.graphstore import Graph


def utc_today() -> dt.date:
    """The day lateness is judged on: today in UTC."""
    return dt.datetime.now(dt.UTC).date()


def _keeps(graph: Graph, args: dict[str, Any]) -> Callable[[int], bool]:
    nodes = graph.G._node
    kind, team = args.get("kind"), args.get("team_id")
    return lambda n: (
        (kind is None or nodes[n]["kind"] == kind)
        and (team is None or nodes[n].get("team_id") == team)
    )


def clarity(graph: Graph, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A page of live visions and goals with parts missing or restatements divergent."""
    keep = _keeps(graph, args)
    missing = args.get("missing")
    found = [
        entry
        for entry in clarity_list(graph)
        if keep(entry["node"]) and (missing is None or missing in entry["missing"])
    ]
    page = page_of_list(found, args)
    known = summaries(graph, (entry["node"] for entry in page["items"]), principal)
    page["items"] = [{**entry, "node": known[entry["node"]]} for entry in page["items"]]
    return page


def overruns(
    graph: Graph, args: dict[str, Any], principal: Principal, today: dt.date
) -> dict[str, Any]:
    """A page of live visions, strategies and goals with dated work, hotspots first."""
    keep = _keeps(graph, args)
    hotspots_only = args.get("hotspots_only", False)
    found = [
        entry
        for entry in overrun_list(graph, today)
        if keep(entry["node"]) and (entry["hotspot"] or not hotspots_only)
    ]
    page = page_of_list(found, args)
    counts = overrun_counts(graph, today)
    page["items"] = [
        {**entry, "late_work": counts.late_work(entry["node"])} for entry in page["items"]
    ]
    shown = {n for entry in page["items"] for n in (entry["node"], *entry["late_work"])}
    known = summaries(graph, shown, principal)
    page["items"] = [
        {
            **entry,
            "node": known[entry["node"]],
            "late_work": [n for n in entry["late_work"] if not known[n].get("redacted")],
        }
        for entry in page["items"]
    ]
    return {**page, "today": today}
