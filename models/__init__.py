"""Throughline's database models and migrations (no Flask, no HTTP)."""

from models.alignment import INACTIVE, KINDS, LEVELS, LINK_TYPES, LIVE, STATUSES, Link, Node
from models.audit import AuditEvent, GraphState
from models.base import Base
from models.okr import CheckIn, KeyResult
from models.org import Period, Person, Team, person_teams

__all__ = [
    "INACTIVE",
    "KINDS",
    "LEVELS",
    "LINK_TYPES",
    "LIVE",
    "STATUSES",
    "AuditEvent",
    "Base",
    "CheckIn",
    "GraphState",
    "KeyResult",
    "Link",
    "Node",
    "Period",
    "Person",
    "Team",
    "person_teams",
]
