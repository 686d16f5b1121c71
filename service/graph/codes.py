"""Kinds, statuses and the other codes of the domain.

The strings here are part of the public API: responses, tests and clients rely on them.
"""

__all__ = [
    "CHAIN_KINDS",
    "CLARITY_GAPS",
    "CONFLICT_TYPES",
    "INACTIVE",
    "KINDS",
    "LEVELS",
    "LIVE",
    "NEED_TYPES",
    "ORPHAN_REASONS",
    "SERVING_KINDS",
    "SEVERITIES",
    "STATUSES",
]

CHAIN_KINDS = ("mission", "vision", "strategy", "goal", "work")
"""Kinds of the alignment chain, from the most general to the most specific."""

KINDS = (*CHAIN_KINDS, "need")
"""Every node kind: the chain, then ``need`` (a market need, outside the chain)."""

LEVELS = {kind: level for level, kind in enumerate(CHAIN_KINDS)}
"""Level of each kind: a parent's level is never greater than its child's."""

STATUSES = ("draft", "active", "done", "cancelled", "archived")

LIVE = frozenset({"draft", "active"})
"""Statuses of nodes that are still being pursued."""

INACTIVE = frozenset({"cancelled", "archived"})
"""Statuses that break an alignment chain; ``done`` is neither live nor inactive."""

ORPHAN_REASONS = ("no_mission", "unlinked", "inactive_path", "broken_chain")
"""Reasons a node is an orphan, in the order they are tested."""

NEED_TYPES = ("functional", "psychological")
"""Kinds of market need: what a product does, and what it means to whoever has the need."""

SERVING_KINDS = ("vision", "strategy", "goal")
"""Kinds that may serve a need (a ``serves`` link's source)."""

CONFLICT_TYPES = ("competing_missions", "declared", "dependency", "metric", "period", "status")

SEVERITIES = ("info", "warning", "violation")

CLARITY_GAPS = (
    "destination",
    "measure",
    "user_outcome",
    "business_outcome",
    "target_group",
    "need",
)
"""What a vision or goal may leave unsaid (DOMAIN.md 13), in the order a vision lists them."""
