"""Creating, changing and deleting nodes, with the rules that need stored data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import LEVELS, Link, Node, Period, Person, Team
from service.auth.policy import check_node_fields, require_edit, require_visible, visible
from service.auth.principal import Principal
from service.domain.changes import Changes, columns, snapshot
from service.domain.common import check_if_match, get_or_404, page, require_existing, title_search
from service.domain.fingerprint import fingerprint, node_fingerprint
from service.domain.key_results import delete_key_results_of
from service.domain.need_rules import link_kind_problem, need_fields_problem
from service.errors import Conflict, DomainError

FINGERPRINTED = ("title", "description")


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
    _check_fields(session, data, None)
    node = Node(**data)
    node.fingerprint = fingerprint(node.title, node.description)
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
    _check_fields(session, merged, node)
    if "kind" in data and data["kind"] != node.kind:
        _check_links_allow_kind(session, node, data["kind"])
    changed = {key: value for key, value in data.items() if getattr(node, key) != value}
    if not changed:
        return node
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
            node_ids=list(supporters),
        )
    links = session.scalars(
        select(Link).where(or_(Link.source_id == node_id, Link.target_id == node_id))
    ).all()
    for link in links:
        ends = [session.get(Node, link.source_id), session.get(Node, link.target_id)]
        changes.record("delete", "link", link.id, snapshot(link), None, ends)
        session.delete(link)
    delete_key_results_of(changes, node_id)
    changes.record("delete", "node", node.id, snapshot(node), None, [node])
    session.delete(node)
    session.flush()


def _check_fields(session: Session, data: dict[str, Any], node: Node | None) -> None:
    require_existing(
        session,
        [
            ("owner_id", Person, data.get("owner_id")),
            ("team_id", Team, data.get("team_id")),
            ("period_id", Period, data.get("period_id")),
        ],
    )
    start, due = data.get("start_date"), data.get("due_date")
    if start and due and due < start:
        raise DomainError(
            "date_order",
            "due_date must not be before start_date.",
            errors={"due_date": ["Must not be before start_date."]},
        )
    if data.get("standalone") and not (data.get("standalone_reason") or "").strip():
        raise DomainError(
            "standalone_reason_required",
            "A standalone node needs a standalone_reason saying why it is not aligned.",
            errors={"standalone_reason": ["Required when standalone is true."]},
        )
    if data.get("reported_progress") is not None and data.get("kind") != "work":
        raise DomainError(
            "reported_progress_on_work_only",
            "Only work nodes take reported_progress; other nodes' progress is computed.",
            errors={"reported_progress": ["Only for kind work."]},
        )
    problem = need_fields_problem(data)
    if problem is not None:
        raise DomainError(problem.code, problem.detail, errors={problem.field: [problem.detail]})
    ref = data.get("ref")
    if ref is not None:
        holder = node_by_ref(session, ref)
        if holder is not None and (node is None or holder.id != node.id):
            raise Conflict(
                "duplicate_ref", f"Node {holder.id} already has ref {ref!r}.", node_ids=[holder.id]
            )


def _check_links_allow_kind(session: Session, node: Node, kind: str) -> None:
    """A new kind must keep every link of the node within the kind and level rules."""
    links = session.scalars(
        select(Link).where(or_(Link.source_id == node.id, Link.target_id == node.id))
    ).all()
    for link in links:
        other = session.get(Node, link.target_id if link.source_id == node.id else link.source_id)
        kinds = (kind, other.kind) if link.source_id == node.id else (other.kind, kind)
        problem = link_kind_problem(link.type, *kinds)
        if problem is not None:
            raise DomainError(
                problem.code,
                f"As a {kind}, node {node.id} would break link {link.id}: {problem.detail}",
                node_ids=[link.source_id, link.target_id],
            )
    links = [link for link in links if link.type == "supports"]
    if kind == "mission" and any(link.source_id == node.id for link in links):
        raise DomainError(
            "mission_parent", "A mission has no parents; remove this node's supports links first."
        )
    level = LEVELS[kind]
    for link in links:
        other = session.get(Node, link.target_id if link.source_id == node.id else link.source_id)
        parent_level, child_level = (
            (LEVELS[other.kind], level)
            if link.source_id == node.id
            else (level, LEVELS[other.kind])
        )
        if parent_level > child_level:
            raise DomainError(
                "level",
                f"As a {kind}, node {node.id} would break the level rule of link {link.id}.",
                node_ids=[link.source_id, link.target_id],
            )
