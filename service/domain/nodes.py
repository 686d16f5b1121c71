"""Creating, changing and deleting nodes, with the rules that need stored data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from models import CLARITY_FIELDS, KeyResult, Link, Node, Period, Person, Restatement, Team
from models.base import utcnow
from service.auth.policy import can_see, check_node_fields, require_edit, require_visible, visible
from service.auth.principal import Principal
from service.domain.changes import Changes, columns, snapshot
from service.domain.common import (
    check_if_match,
    get_or_404,
    page,
    require_existing,
    shown_ids,
    title_search,
)
from service.domain.errors import Conflict, DomainError
from service.domain.fingerprint import fingerprint, node_fingerprint, stated_clarity
from service.domain.key_results import delete_key_results_of
from service.domain.rules import (
    done_at_after,
    duplicate_ref_problem,
    key_result_goal_problem,
    kind_change_problem,
    node_problems,
)

FINGERPRINTED = ("title", "description", *CLARITY_FIELDS)


def list_nodes(session: Session, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A filtered page of the nodes the caller may see, oldest first."""
    statement = select(Node).order_by(Node.id)
    condition = visible(principal, Node)
    if condition is not None:
        statement = statement.where(condition)
    for name in ("kind", "status", "team_id", "owner_id", "period_id", "ref"):
        if args.get(name) is not None:
            statement = statement.where(getattr(Node, name) == args[name])
    if args.get("q"):
        statement = statement.where(title_search(Node.title, args["q"]))
    return page(session, statement, args["limit"], args["offset"])


def node_by_ref(session: Session, ref: str) -> Node | None:
    return session.scalar(select(Node).where(Node.ref == ref))


def get_node(session: Session, node_id: int, principal: Principal) -> Node:
    """The node, if it exists and the caller may see it (404 otherwise)."""
    node = get_or_404(session, Node, node_id)
    require_visible(principal, node)
    return node


def create_node(changes: Changes, data: dict[str, Any]) -> Node:
    """Add a node after checking its references and field rules."""
    changes.begin()
    session = changes.session
    principal = changes.principal
    data = {"status": "active", "visibility": "public", "standalone": False, **data}
    if not principal.is_admin and data.get("owner_id") is None and data.get("team_id") is None:
        data["owner_id"] = principal.person_id  # an editor's new node is theirs
    check_node_fields(principal, data)
    _check_fields(session, principal, data, None)
    node = Node(**data)
    node.done_at = done_at_after(None, None, node.status, now=utcnow())
    node.fingerprint = fingerprint(node.title, node.description, (), stated_clarity(node))
    session.add(node)
    session.flush()
    changes.record("create", "node", node.id, None, snapshot(node), [node])
    return node


def update_node(changes: Changes, node_id: int, data: dict[str, Any], if_match=None) -> Node:
    """Change the given fields of a node; links are re-checked when its kind changes."""
    changes.begin()
    session = changes.session
    node = get_or_404(session, Node, node_id)
    require_edit(changes.principal, node)
    check_if_match(node, if_match)
    before = snapshot(node)
    merged = {**columns(node), **data}
    check_node_fields(changes.principal, merged)
    _check_fields(session, changes.principal, merged, node)
    if "kind" in data and data["kind"] != node.kind:
        _check_links_allow_kind(changes, node, data["kind"])
        _check_key_results_allow_kind(session, node, data["kind"])
    changed = {key: value for key, value in data.items() if getattr(node, key) != value}
    if not changed:
        return node
    if "status" in changed:
        changed["done_at"] = done_at_after(
            node.status, node.done_at, changed["status"], now=utcnow()
        )
    for key, value in changed.items():
        setattr(node, key, value)
    if set(changed) & set(FINGERPRINTED):
        node.fingerprint = node_fingerprint(session, node)
    session.flush()
    changes.record("update", "node", node.id, before, snapshot(node), [node])
    return node


def upsert_node_by_ref(changes: Changes, ref: str, data: dict[str, Any], if_match=None):
    """Create the node with this ref, or update it; returns (node, created)."""
    if not 1 <= len(ref) <= 200 or "\x00" in ref:
        raise DomainError(
            "validation_error",
            "A ref has 1 to 200 characters and no NUL.",
            errors={"ref": ["Length must be between 1 and 200."]},
        )
    changes.begin()
    existing = node_by_ref(changes.session, ref)
    if existing is not None and not can_see(changes.principal, existing):
        raise duplicate_ref_problem(ref).error()  # 404 or 403 would name the hidden node
    if existing is None:
        return create_node(changes, {**data, "ref": ref}), True
    return update_node(changes, existing.id, data, if_match), False


def delete_node(changes: Changes, node_id: int, detach: bool = False, if_match=None) -> None:
    """Delete a node and its own links; refuse while others support it unless ``detach``."""
    changes.begin()
    session = changes.session
    node = get_or_404(session, Node, node_id)
    require_edit(changes.principal, node)
    check_if_match(node, if_match)
    supporters = session.scalars(
        select(Link.source_id)
        .where(Link.type == "supports", Link.target_id == node_id)
        .order_by(Link.source_id)
    ).all()
    if supporters and not detach:
        raise Conflict(
            "has_supporters",
            f"Node {node_id} is supported by {len(supporters)} node(s); delete or move their "
            "links first, or pass detach=true to remove the links too.",
            **_shown(session, changes.principal, supporters),
        )
    links = session.scalars(
        select(Link).where(or_(Link.source_id == node_id, Link.target_id == node_id))
    ).all()
    for link in links:
        ends = [session.get(Node, link.source_id), session.get(Node, link.target_id)]
        changes.record("delete", "link", link.id, snapshot(link), None, ends)
        session.delete(link)
    delete_key_results_of(changes, node_id)
    _delete_restatements_of(changes, node)
    changes.record("delete", "node", node.id, snapshot(node), None, [node])
    session.delete(node)
    session.flush()


def _delete_restatements_of(changes: Changes, node: Node) -> None:
    """A deleted node's restatements go with it (each an audit event of its own)."""
    session = changes.session
    for restatement in session.scalars(
        select(Restatement).where(Restatement.node_id == node.id).order_by(Restatement.id)
    ):
        changes.record("delete", "restatement", restatement.id, snapshot(restatement), None, [node])
        session.delete(restatement)
    session.flush()  # before the node: nothing orders the two deletes otherwise


def _check_fields(
    session: Session, principal: Principal, data: dict[str, Any], node: Node | None
) -> None:
    require_existing(
        session,
        [
            ("owner_id", Person, data.get("owner_id")),
            ("team_id", Team, data.get("team_id")),
            ("period_id", Period, data.get("period_id")),
        ],
    )
    problems = node_problems(data)
    if problems:
        raise problems[0].error()
    ref = data.get("ref")
    if ref is not None:
        holder = node_by_ref(session, ref)
        if holder is not None and (node is None or holder.id != node.id):
            raise duplicate_ref_problem(ref).error(**_shown(session, principal, [holder.id]))


def _check_links_allow_kind(changes: Changes, node: Node, kind: str) -> None:
    """A new kind must keep every link of the node within the link rules."""
    session = changes.session
    source, target = aliased(Node), aliased(Node)
    links = session.execute(
        select(Link.type, Link.source_id, Link.target_id, source.kind, target.kind)
        .join(source, source.id == Link.source_id)
        .join(target, target.id == Link.target_id)
        .where(or_(Link.source_id == node.id, Link.target_id == node.id))
        .order_by(Link.id)
    ).all()
    for link_type, source_id, target_id, source_kind, target_kind in links:
        problem = (
            kind_change_problem(kind, outgoing=[(link_type, target_kind)])
            if source_id == node.id
            else kind_change_problem(kind, incoming=[(link_type, source_kind)])
        )
        if problem is not None:
            raise problem.error(**_shown(session, changes.principal, [source_id, target_id]))


def _check_key_results_allow_kind(session: Session, node: Node, kind: str) -> None:
    """A node with key results stays a goal (only goals have key results)."""
    has_key_results = session.scalar(select(KeyResult.id).where(KeyResult.node_id == node.id))
    problem = key_result_goal_problem(kind) if has_key_results is not None else None
    if problem is not None:
        raise problem.error()


def _shown(session: Session, principal: Principal, node_ids: list[int]) -> dict[str, list[int]]:
    """``node_ids`` for a problem, leaving out every node the caller cannot see."""
    ids = shown_ids(session, principal, node_ids)
    return {"node_ids": ids} if ids else {}
