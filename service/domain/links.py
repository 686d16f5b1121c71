"""Links between nodes and the rules of DOMAIN.md section 2.

Every check runs after ``Changes.begin()`` has taken the write lock, so two requests can never
pass the cycle check together and then both insert (A supports B, B supports A).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from models import Link, Node
from service.auth.policy import can_see, require_edit, visible
from service.auth.principal import Principal
from service.domain.changes import Changes, snapshot
from service.domain.common import check_if_match, get_or_404, page, shown_ids
from service.domain.errors import Conflict, DomainError, NotFound
from service.domain.review import mark_reviewed
from service.domain.rules import link_problem, self_link_problem


def list_links(session: Session, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A filtered page of links whose two ends the caller may see."""
    statement = select(Link).order_by(Link.id)
    condition = visible(principal, Node)
    if condition is not None:
        seen = select(Node.id).where(condition)
        statement = statement.where(Link.source_id.in_(seen), Link.target_id.in_(seen))
    for name in ("type", "source_id", "target_id"):
        if args.get(name) is not None:
            statement = statement.where(getattr(Link, name) == args[name])
    if args.get("node_id") is not None:
        statement = statement.where(
            or_(Link.source_id == args["node_id"], Link.target_id == args["node_id"])
        )
    return page(session, statement, args["limit"], args["offset"])


def create_link(changes: Changes, data: dict[str, Any]) -> Link:
    """Add a link once every rule holds; the rule broken decides the problem code."""
    changes.begin()
    session = changes.session
    link_type = data.get("type", "supports")
    source_id, target_id = data["source_id"], data["target_id"]
    problem = self_link_problem(source_id, target_id)
    if problem is not None:
        raise problem.error(node_ids=[source_id])
    source = _endpoint(changes.principal, session, "source_id", source_id)
    target = _endpoint(changes.principal, session, "target_id", target_id)
    require_edit(changes.principal, source)
    if link_type == "supports":
        _check_supports(changes, source, target)
    else:
        _check_not_duplicate(session, link_type, source_id, target_id)
    link = Link(
        type=link_type,
        source_id=source_id,
        target_id=target_id,
        weight=data.get("weight", 1.0) if link_type == "supports" else 1.0,
        rationale=data.get("rationale"),
    )
    mark_reviewed(session, link, target)
    session.add(link)
    session.flush()
    changes.record("create", "link", link.id, None, snapshot(link), [source, target])
    return link


def get_link(session: Session, link_id: int, principal: Principal) -> Link:
    """The link, if it exists and the caller may see both of its ends."""
    link = get_or_404(session, Link, link_id)
    for node_id in (link.source_id, link.target_id):
        if not can_see(principal, session.get(Node, node_id)):
            raise NotFound("Link", link_id)
    return link


def ends(session: Session, link: Link) -> list[Node]:
    return [session.get(Node, link.source_id), session.get(Node, link.target_id)]


def _editable(changes: Changes, link_id: int) -> Link:
    link = get_link(changes.session, link_id, changes.principal)
    require_edit(changes.principal, changes.session.get(Node, link.source_id))
    return link


def update_link(changes: Changes, link_id: int, data: dict[str, Any], if_match=None) -> Link:
    changes.begin()
    link = _editable(changes, link_id)
    check_if_match(link, if_match)
    before = snapshot(link)
    changed = {key: value for key, value in data.items() if getattr(link, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(link, key, value)
        changes.session.flush()
        changes.record(
            "update", "link", link.id, before, snapshot(link), ends(changes.session, link)
        )
    return link


def delete_link(changes: Changes, link_id: int, if_match=None) -> None:
    changes.begin()
    link = _editable(changes, link_id)
    check_if_match(link, if_match)
    changes.record("delete", "link", link.id, snapshot(link), None, ends(changes.session, link))
    changes.session.delete(link)
    changes.session.flush()


def _endpoint(principal: Principal, session: Session, field: str, node_id: int) -> Node:
    node = session.get(Node, node_id)
    if node is None or not can_see(principal, node):
        raise DomainError(
            "unknown_reference",
            f"Node {node_id} does not exist.",
            errors={field: [f"No node has id {node_id}."]},
        )
    return node


def _check_supports(changes: Changes, child: Node, parent: Node) -> None:
    session = changes.session
    problem = link_problem("supports", child.kind, parent.kind)
    if problem is not None:
        raise problem.error(node_ids=[child.id, parent.id])
    _check_not_duplicate(session, "supports", child.id, parent.id)
    cycle = _path_up(session, parent.id, child.id)
    if cycle is not None:
        raise Conflict(
            "cycle",
            f"Node {parent.id} already supports node {child.id}, directly or through others; "
            "this link would close a cycle (nodes you cannot see are left out of it).",
            cycle=shown_ids(session, changes.principal, [child.id, *cycle]),
        )


def _check_not_duplicate(session: Session, link_type: str, source_id: int, target_id: int) -> None:
    same = and_(Link.source_id == source_id, Link.target_id == target_id)
    if link_type == "conflicts_with":  # symmetric: one link per unordered pair
        same = or_(same, and_(Link.source_id == target_id, Link.target_id == source_id))
    existing = session.scalar(select(Link.id).where(Link.type == link_type, same))
    if existing is not None:
        raise Conflict(
            "duplicate",
            f"Link {existing} already joins these nodes with type {link_type}.",
            link_id=existing,
        )


def _path_up(session: Session, start: int, goal: int) -> list[int] | None:
    """A chain of supports links from ``start`` up to ``goal``, or None when there is none."""
    up = (
        select(Link.source_id.label("child"), Link.target_id.label("parent"))
        .where(Link.type == "supports", Link.source_id == start)
        .cte("up", recursive=True)
    )
    step = select(Link.source_id, Link.target_id).where(
        Link.type == "supports", Link.source_id == up.c.parent
    )
    up = up.union(step)
    parents: dict[int, list[int]] = {}
    for child, parent in session.execute(select(up.c.child, up.c.parent)):
        parents.setdefault(child, []).append(parent)
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            while node is not None:
                path.append(node)
                node = previous[node]
            return path[::-1]
        for parent in parents.get(node, ()):
            if parent not in previous:
                previous[parent] = node
                queue.append(parent)
    return None
