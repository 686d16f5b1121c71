"""Key results of goals and their check-ins (DOMAIN.md section 6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import CheckIn, KeyResult, Node
from models.base import utcnow
from service.auth.policy import can_see, require_edit, require_visible
from service.domain.changes import Changes, columns, snapshot
from service.domain.common import check_if_match, get_or_404, page
from service.domain.errors import NotFound
from service.domain.fingerprint import node_fingerprint
from service.domain.rules import key_result_goal_problem, span_problem

# Fields of a key result that goals' children align to: changing one makes links suspect.
FINGERPRINTED = ("metric", "direction", "target_value")


def list_key_results(session, node_id: int, args: dict[str, Any], principal) -> dict[str, Any]:
    require_visible(principal, get_or_404(session, Node, node_id))
    statement = select(KeyResult).where(KeyResult.node_id == node_id).order_by(KeyResult.id)
    return page(session, statement, args["limit"], args["offset"])


def create_key_result(changes: Changes, node_id: int, data: dict[str, Any]) -> KeyResult:
    changes.begin()
    session = changes.session
    goal = get_or_404(session, Node, node_id)
    require_edit(changes.principal, goal)
    problem = key_result_goal_problem(goal.kind)
    if problem is not None:
        raise problem.error()
    data = {"weight": 1.0, **data}
    _check_span(data)
    key_result = KeyResult(node_id=node_id, **data)
    session.add(key_result)
    session.flush()
    changes.record("create", "key_result", key_result.id, None, snapshot(key_result), [goal])
    _refresh_fingerprint(changes, goal)
    return key_result


def update_key_result(changes: Changes, kr_id: int, data: dict[str, Any], if_match=None):
    changes.begin()
    session = changes.session
    key_result = _editable(changes, kr_id)
    check_if_match(key_result, if_match)
    _check_span({**columns(key_result), **data})
    changed = {key: value for key, value in data.items() if getattr(key_result, key) != value}
    if not changed:
        return key_result
    before = snapshot(key_result)
    for key, value in changed.items():
        setattr(key_result, key, value)
    session.flush()
    goal = session.get(Node, key_result.node_id)
    changes.record("update", "key_result", key_result.id, before, snapshot(key_result), [goal])
    if set(changed) & set(FINGERPRINTED):
        _refresh_fingerprint(changes, session.get(Node, key_result.node_id))
    return key_result


def delete_key_result(changes: Changes, kr_id: int, if_match=None) -> None:
    changes.begin()
    session = changes.session
    key_result = _editable(changes, kr_id)
    check_if_match(key_result, if_match)
    goal = session.get(Node, key_result.node_id)
    _delete(changes, key_result)
    _refresh_fingerprint(changes, goal)


def delete_key_results_of(changes: Changes, node_id: int) -> None:
    """Remove a node's key results and their check-ins (the audit trail keeps them)."""
    for key_result in changes.session.scalars(
        select(KeyResult).where(KeyResult.node_id == node_id)
    ):
        _delete(changes, key_result)


def check_in(changes: Changes, kr_id: int, data: dict[str, Any]) -> CheckIn:
    """Record a new value (with who and when) and move the key result to it."""
    changes.begin()
    session = changes.session
    key_result = _editable(changes, kr_id)
    goal = session.get(Node, key_result.node_id)
    before = snapshot(key_result)
    entry = CheckIn(key_result_id=kr_id, actor=changes.actor, at=utcnow(), **data)
    session.add(entry)
    key_result.current_value = entry.value
    if entry.confidence is not None:
        key_result.confidence = entry.confidence
    key_result.last_check_in_at = entry.at
    session.flush()
    changes.record("create", "check_in", entry.id, None, snapshot(entry), [goal])
    changes.record("update", "key_result", key_result.id, before, snapshot(key_result), [goal])
    return entry


def get_key_result(session, kr_id: int, principal) -> KeyResult:
    """The key result, if it exists and the caller may see its goal."""
    key_result = get_or_404(session, KeyResult, kr_id)
    if not can_see(principal, session.get(Node, key_result.node_id)):
        raise NotFound("Key result", kr_id)
    return key_result


def _editable(changes: Changes, kr_id: int) -> KeyResult:
    key_result = get_key_result(changes.session, kr_id, changes.principal)
    require_edit(changes.principal, changes.session.get(Node, key_result.node_id))
    return key_result


def list_check_ins(session, kr_id: int, args: dict[str, Any], principal) -> dict[str, Any]:
    get_key_result(session, kr_id, principal)
    statement = (
        select(CheckIn)
        .where(CheckIn.key_result_id == kr_id)
        .order_by(CheckIn.at.desc(), CheckIn.id.desc())
    )
    return page(session, statement, args["limit"], args["offset"])


def _delete(changes: Changes, key_result: KeyResult) -> None:
    session = changes.session
    goal = [session.get(Node, key_result.node_id)]
    for entry in session.scalars(select(CheckIn).where(CheckIn.key_result_id == key_result.id)):
        changes.record("delete", "check_in", entry.id, snapshot(entry), None, goal)
        session.delete(entry)
    changes.record("delete", "key_result", key_result.id, snapshot(key_result), None, goal)
    session.delete(key_result)
    session.flush()


def _check_span(data: dict[str, Any]) -> None:
    problem = span_problem(data["start_value"], data["target_value"], data.get("direction"))
    if problem is not None:
        raise problem.error()


def _refresh_fingerprint(changes: Changes, goal: Node) -> None:
    new = node_fingerprint(changes.session, goal)
    if new != goal.fingerprint:
        before = snapshot(goal)
        goal.fingerprint = new
        changes.session.flush()
        changes.record("update", "node", goal.id, before, snapshot(goal), [goal])
