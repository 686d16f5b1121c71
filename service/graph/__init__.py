"""Alignment analysis: pure functions over the supports graph.

The graph is a ``networkx.DiGraph`` with one edge ``parent -> child`` per ``supports``
link (``link_id`` and ``weight`` on the edge) and node attributes ``kind``, ``status``,
``standalone``, ``team_id``, ``owner_id``, ``period_id``, ``start_date``, ``due_date`` and
``reported_progress``. Other data (periods, key results, declared conflicts) is passed
as plain arguments. Nothing here touches Flask, SQL or I/O.
"""

from service.graph.alignment import (
    Orphan,
    aligned_nodes,
    alignment_of,
    live_missions,
    orphans,
    unsupported,
)
from service.graph.census import Census, take_census
from service.graph.conflicts import conflicts
from service.graph.health import health
from service.graph.impact import impact
from service.graph.progress import key_result_progress, progress, progress_update
from service.graph.trace import (
    lowest_common_ancestors,
    shortest_path_to_mission,
    trace_down,
    trace_up,
)

__all__ = [
    "Census",
    "Orphan",
    "aligned_nodes",
    "alignment_of",
    "conflicts",
    "health",
    "impact",
    "key_result_progress",
    "live_missions",
    "lowest_common_ancestors",
    "orphans",
    "progress",
    "progress_update",
    "shortest_path_to_mission",
    "take_census",
    "trace_down",
    "trace_up",
    "unsupported",
]
