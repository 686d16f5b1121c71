"""Change review: links whose parent changed since they were last reviewed (DOMAIN.md 7)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import KeyResult, Link, Node
from models.base import utcnow
from service.auth.policy import can_see, redacted, require_edit
from service.auth.principal import Principal
from service.domain.changes import Changes, snapshot
from service.domain.common import get_or_404, page
from service.domain.errors import DomainError, NotFound
from service.domain.fingerprint import fingerprint_image, stated_clarity
from service.domain.suspects import suspect_statement

# What a link shows when an end is hidden: no rationale, no restatement.
LINK_SHAPE = ("id", "type", "source_id", "target_id", "suspect")


def target_image(session: Session, node: Node) -> dict[str, Any]:
    """The parts of ``node`` that its fingerprint covers."""
    key_results = ()
    if node.kind == "goal":
        key_results = session.scalars(select(KeyResult).where(KeyResult.node_id == node.id)).all()
    return fingerprint_image(node.title, node.description, key_results, stated_clarity(node))


def mark_reviewed(session: Session, link: Link, target: Node) -> None:
    """Remember what the target looks like now: the link is current until it changes."""
    link.reviewed_fingerprint = target.fingerprint
    link.reviewed_snapshot = target_image(session, target)


def suspect_links(session: Session, args: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A page of suspect links, each with what changed in its target.

    Nodes the caller may not see appear redacted, with nothing of what changed in them.
    """
    result = page(session, suspect_statement(args), args["limit"], args["offset"])
    items = []
    for link in result["items"]:
        source, target = session.get(Node, link.source_id), session.get(Node, link.target_id)
        item = {"link": link, "source": source, "target": target, "changes": {}}
        sees_source, sees_target = can_see(principal, source), can_see(principal, target)
        if sees_target:
            item["changes"] = changes_since_review(session, link, target)
        else:
            item["target"] = redacted(target)
        if not sees_source:
            item["source"] = redacted(source)
        if not (sees_source and sees_target):
            item["link"] = {key: getattr(link, key) for key in LINK_SHAPE}
        items.append(item)
    return {**result, "items": items}


def changes_since_review(session: Session, link: Link, target: Node) -> dict[str, list]:
    """``{field: [before, after]}`` for each part of the target that moved."""
    before = link.reviewed_snapshot or {}
    after = target_image(session, target)
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def review_link(changes: Changes, link_id: int, restatement: str) -> Link:
    """Clear a link's suspect mark with the reviewer's own restatement of the parent."""
    changes.begin()
    session = changes.session
    link = get_or_404(session, Link, link_id)
    source, target = session.get(Node, link.source_id), session.get(Node, link.target_id)
    if not can_see(changes.principal, target):
        raise NotFound("Link", link_id)
    require_edit(changes.principal, source)
    if link.type != "supports":
        raise DomainError("not_reviewable", "Only supports links are reviewed.")
    before = snapshot(link)
    mark_reviewed(session, link, target)
    link.restatement = restatement
    link.reviewed_at = utcnow()
    link.reviewed_by = changes.actor
    session.flush()
    changes.record("review", "link", link.id, before, snapshot(link), [source, target])
    return link
