"""Who may see and change what (the security issue's roles and node visibility).

``viewer`` reads what they may see. ``editor`` creates strategies, goals and work, changes
nodes that they or their team own, links those nodes to any node they can see, manages key
results and check-ins of such goals and reviews their nodes' links. ``admin`` does all.
A node is seen by everyone (``public``), its team and admins (``team``), or its owner and
admins (``private``); owners always see their own nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import false, or_

from service.auth.principal import Principal
from service.domain.errors import DomainError, NotFound

EDITOR_KINDS = frozenset({"strategy", "goal", "work"})


class Forbidden(DomainError):
    status = 403

    def __init__(self, detail: str):
        super().__init__("forbidden", detail)


def _get(node: Any, name: str):
    return node.get(name) if isinstance(node, Mapping) else getattr(node, name)


def can_see(principal: Principal, node: Any) -> bool:
    """Whether ``node`` (an ORM node or a mapping of its fields) is visible to the caller."""
    if principal.is_admin:
        return True
    visibility = _get(node, "visibility")
    if visibility == "public":
        return True
    if principal.person_id is not None and _get(node, "owner_id") == principal.person_id:
        return True
    return visibility == "team" and _get(node, "team_id") in principal.team_ids


def visible(principal: Principal, model):
    """A SQL condition selecting the nodes of ``model`` the caller may see (None: all)."""
    if principal.is_admin:
        return None
    conditions = [model.visibility == "public"]
    if principal.person_id is not None:
        conditions.append(model.owner_id == principal.person_id)
    if principal.team_ids:
        conditions.append((model.visibility == "team") & model.team_id.in_(principal.team_ids))
    return or_(*conditions) if conditions else false()


def redacted(node: Any) -> dict[str, Any]:
    """What a caller who may not see a node learns of it: enough to keep a path's shape."""
    return {"id": _get(node, "id"), "kind": _get(node, "kind"), "redacted": True}


def require_visible(principal: Principal, node: Any, entity: str = "Node") -> None:
    """Hidden nodes answer 404, exactly like missing ones: their existence is not leaked."""
    if not can_see(principal, node):
        raise NotFound(entity, _get(node, "id"))


def owns(principal: Principal, node: Any) -> bool:
    """The caller, or one of the caller's teams, owns the node."""
    if principal.person_id is not None and _get(node, "owner_id") == principal.person_id:
        return True
    return _get(node, "team_id") in principal.team_ids


def require_editor(principal: Principal) -> None:
    """The caller is an editor or an admin."""
    if not principal.at_least("editor"):
        raise Forbidden("Viewers may not change anything.")


def require_admin(principal: Principal, what: str) -> None:
    if not principal.is_admin:
        raise Forbidden(f"Only admins may {what}.")


def require_edit(principal: Principal, node: Any) -> None:
    """The caller may change this node (and its key results, links and reviews)."""
    require_visible(principal, node)
    if principal.is_admin:
        return
    if principal.role != "editor":
        raise Forbidden("Viewers may not change anything.")
    if not owns(principal, node):
        raise Forbidden(f"Node {_get(node, 'id')} belongs to another person or team.")


def require_define(principal: Principal, team_id: int | None) -> None:
    """The caller may write a team's definition of a term (``team_id`` None: the company's).

    Admins define for any team and for the company; editors for their own teams only.
    """
    if principal.is_admin:
        return
    if principal.role != "editor":
        raise Forbidden("Viewers may not change anything.")
    if team_id is None:
        raise Forbidden("Only admins may write a company-wide definition.")
    if team_id not in principal.team_ids:
        raise Forbidden(f"Team {team_id} is not one of yours; its members define its terms.")


def require_term_edit(principal: Principal, defined_by: Iterable[int | None]) -> None:
    """The caller may rename or delete a term that these teams (None: the company) define.

    Any editor may create a term; once other teams, or the company, define it, it is theirs
    too: an editor changes a term only while every definition of it is one of their teams'.
    """
    if principal.is_admin:
        return
    if principal.role != "editor":
        raise Forbidden("Viewers may not change anything.")
    others = [team for team in defined_by if team is None or team not in principal.team_ids]
    if others:
        raise Forbidden(
            "Other teams, or the company, define this term; only admins may change or delete it."
        )


def check_node_fields(principal: Principal, data: Mapping[str, Any]) -> None:
    """An editor's node must stay theirs and at a level editors work at."""
    if principal.is_admin:
        return
    if principal.role != "editor":
        raise Forbidden("Viewers may not change anything.")
    if data.get("kind") not in EDITOR_KINDS:
        raise Forbidden("Editors create and change strategies, goals and work only.")
    if not owns(principal, data):
        raise Forbidden("An editor's node must be owned by them or one of their teams.")
