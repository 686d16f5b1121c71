"""Throughline's database models and migrations (no Flask, no HTTP)."""

from models.alignment import (
    CHAIN_KINDS,
    CLARITY_FIELDS,
    INACTIVE,
    KINDS,
    LEVELS,
    LINK_TYPES,
    LIVE,
    NEED_TYPES,
    STATUSES,
    Link,
    Node,
    Restatement,
)
from models.audit import AuditEvent, GraphState
from models.base import Base
from models.language import Definition, Term
from models.okr import CheckIn, KeyResult
from models.org import Period, Person, Team, person_teams
from models.security import ROLES, ApiToken, AuthFailure

__all__ = [
    "CHAIN_KINDS",
    "CLARITY_FIELDS",
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
    "Definition",
    "GraphState",
    "KeyResult",
    "Link",
    "Node",
    "Period",
    "Person",
    "Restatement",
    "Team",
    "Term",
    "person_teams",
]
