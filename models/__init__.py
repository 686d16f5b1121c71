"""Throughline's database models and migrations (no Flask, no HTTP)."""

from models.alignment import (
    CHAIN_KINDS,
    INACTIVE,
    KINDS,
    LEVELS,
    LINK_TYPES,
    LIVE,
    NEED_TYPES,
    STATUSES,
    Link,
    Node,
)
from models.audit import AuditEvent, GraphState
from models.base import Base
from models.okr import CheckIn, KeyResult
from models.org import Period, Person, Team, person_teams
from models.security import ROLES, ApiToken, AuthFailure

__all__ = [
    "CHAIN_KINDS",
    "INACTIVE",
    "KINDS",
    "LEVELS",
    "LINK_TYPES",
    "LIVE",
    "NEED_TYPES",
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
