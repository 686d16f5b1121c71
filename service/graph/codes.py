"""Kinds, statuses and the other codes of the domain.

The strings here are part of the public API: responses, tests and clients rely on them.
"""

__all__ = [
    "CONFLICT_TYPES",
    "INACTIVE",
    "KINDS",
    "LEVELS",
    "LIVE",
    "ORPHAN_REASONS",
    "SEVERITIES",
    "STATUSES",
]

KINDS = ("mission", "vision", "strategy", "goal", "work")
"""Node kinds, from the most general to the most specific."""

LEVELS = {kind: level for level, kind in enumerate(KINDS)}
"""Level of each kind: a parent's level is never greater than its child's."""

STATUSES = ("draft", "active", "done", "cancelled", "archived")

LIVE = frozenset({"draft", "active"})
"""Statuses of nodes that are still being pursued."""

INACTIVE = frozenset({"cancelled", "archived"})
"""Statuses that break an alignment chain; ``done`` is neither live nor inactive."""

ORPHAN_REASONS = ("no_mission", "unlinked", "inactive_path", "broken_chain")
"""Reasons a node is an orphan, in the order they are tested."""

CONFLICT_TYPES = ("competing_missions", "declared", "metric", "period", "status")

SEVERITIES = ("info", "warning", "violation")
