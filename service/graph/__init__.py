"""Alignment analysis: pure functions over the supports graph.

The graph is a ``networkx.DiGraph`` with one edge ``parent -> child`` per ``supports``
link (``link_id`` and ``weight`` on the edge) and node attributes ``kind``, ``status``,
``standalone``, ``team_id``, ``owner_id``, ``period_id``, ``start_date``, ``due_date``,
``reported_progress`` and, for needs, ``need_type``. Needs are nodes without supports
edges. Other data (periods, key results, declared conflicts, serves and depends_on
links) is passed as plain arguments. Nothing here touches Flask, SQL or I/O.
"""

from service.graph.alignment import (
    Orphan,
    Support,
    aligned_nodes,
    alignment_of,
    live_missions,
    orphans,
    unsupported,
)
from service.graph.census import Census, take_census
from service.graph.clarity import agreement, clarity, clarity_mask, content_stems
from service.graph.conflicts import LinkConflicts, conflicts, metric_conflicts
from service.graph.gather import (
    InternalOrder,
    bits,
    gather_from_above,
    gather_from_below,
    internal_order,
    members,
)
from service.graph.health import health
from service.graph.impact import impact
from service.graph.market import market, needs_above, unanchored_visions
from service.graph.overruns import (
    AncestorGroups,
    OverrunCounts,
    ancestor_groups,
    ancestor_sets,
    is_late,
    overruns,
)
from service.graph.progress import key_result_progress, progress, progress_update
from service.graph.teams import TeamGround, TeamsBelow, shared_nodes, team_ground
from service.graph.trace import (
    lowest_common_ancestors,
    shortest_path_to_mission,
    trace_down,
    trace_up,
)

__all__ = [
    "AncestorGroups",
    "Census",
    "InternalOrder",
    "LinkConflicts",
    "Orphan",
    "OverrunCounts",
    "Support",
    "TeamGround",
    "TeamsBelow",
    "agreement",
    "aligned_nodes",
    "alignment_of",
    "ancestor_groups",
    "ancestor_sets",
    "bits",
    "clarity",
    "clarity_mask",
    "conflicts",
    "content_stems",
    "gather_from_above",
    "gather_from_below",
    "health",
    "impact",
    "internal_order",
    "is_late",
    "key_result_progress",
    "live_missions",
    "lowest_common_ancestors",
    "market",
    "members",
    "metric_conflicts",
    "needs_above",
    "orphans",
    "overruns",
    "progress",
    "progress_update",
    "shared_nodes",
    "shortest_path_to_mission",
    "take_census",
    "team_ground",
    "trace_down",
    "trace_up",
    "unanchored_visions",
    "unsupported",
]
