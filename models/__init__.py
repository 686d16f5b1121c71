"""Throughline's database models and migrations (no Flask, no HTTP)."""

from models.alignment import INACTIVE, KINDS, LEVELS, LINK_TYPES, LIVE, STATUSES, Link, Node
from models.audit import AuditEvent, GraphState
from models.base import Base
from models.okr import CheckIn, KeyResult
from models.org import Period, Person, Team, person_teams
from models.security import ROLES, ApiToken, AuthFailure

__all__ = [
    "INACTIVE",
    "KINDS",
    "LEVELS",
    "LINK_TYPES",
    "LIVE",
    "ROLES",
    "STATUSES",
    "ApiToken",
    "AuditEvent",
    "AuthFailure",
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
