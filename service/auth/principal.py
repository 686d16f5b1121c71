"""Who is calling: a role, maybe a person and their teams, and a name for the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLE_RANK = {"viewer": 0, "editor": 1, "admin": 2}


@dataclass(frozen=True)
class Principal:
    role: str
    actor: str
    person_id: int | None = None
    team_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def system(cls, actor: str) -> Principal:
        """The service itself (CLI, demo, import from a file): may do everything."""
        return cls(role="admin", actor=actor)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def at_least(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]
