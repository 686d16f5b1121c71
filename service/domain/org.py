"""Teams, people and periods: the organisation the graph belongs to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import ApiToken, Definition, Node, Period, Person, Restatement, Team, person_teams
from models.base import utcnow
from service.auth.policy import require_admin
from service.domain.changes import Changes, snapshot
from service.domain.common import (
    check_if_match,
    get_or_404,
    page,
    require_existing,
    title_search,
)
from service.domain.errors import Conflict
from service.domain.rules import period_problem, team_cycle


def list_teams(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    statement = select(Team).order_by(Team.id)
    if args.get("parent_id") is not None:
        statement = statement.where(Team.parent_id == args["parent_id"])
    if args.get("q"):
        statement = statement.where(title_search(Team.name, args["q"]))
    return page(session, statement, args["limit"], args["offset"])


def list_people(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    statement = select(Person).order_by(Person.id)
    if args.get("team_id") is not None:
        members = select(person_teams.c.person_id).where(person_teams.c.team_id == args["team_id"])
        statement = statement.where(Person.id.in_(members))
    if args.get("q"):
        statement = statement.where(title_search(Person.name, args["q"]))
    return page(session, statement, args["limit"], args["offset"])


def list_periods(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    statement = select(Period).order_by(Period.start_date, Period.id)
    if args.get("q"):
        statement = statement.where(title_search(Period.name, args["q"]))
    if args.get("active_on") is not None:
        day = args["active_on"]
        statement = statement.where(Period.start_date <= day, Period.end_date >= day)
    return page(session, statement, args["limit"], args["offset"])


def create(changes: Changes, model: type, data: dict[str, Any]):
    """Create a team, person or period."""
    require_admin(changes.principal, f"create {_entity_type(model)} records")
    changes.begin()
    session = changes.session
    entity = model()
    _apply(session, entity, data)
    session.add(entity)
    session.flush()
    changes.record("create", _entity_type(model), entity.id, None, _image(entity))
    return entity


def update(changes: Changes, model: type, entity_id: int, data: dict[str, Any], if_match=None):
    """Change the given fields of a team, person or period."""
    require_admin(changes.principal, f"change {_entity_type(model)} records")
    changes.begin()
    session = changes.session
    entity = get_or_404(session, model, entity_id)
    check_if_match(entity, if_match)
    before = _image(entity)
    _apply(session, entity, data)
    after = _image(entity)
    if after != before:
        entity.updated_at = utcnow()  # team_ids alone would not touch the row or its version
        session.flush()
        changes.record("update", _entity_type(model), entity.id, before, _image(entity))
    return entity


def delete(changes: Changes, model: type, entity_id: int, if_match=None) -> None:
    """Delete a team, person or period that nothing refers to any more."""
    require_admin(changes.principal, f"delete {_entity_type(model)} records")
    changes.begin()
    session = changes.session
    entity = get_or_404(session, model, entity_id)
    check_if_match(entity, if_match)
    _check_unused(session, entity)
    changes.record("delete", _entity_type(model), entity.id, _image(entity), None)
    if isinstance(entity, Person):
        entity.teams = []
        _delete_restatements_by(changes, entity)
    session.delete(entity)
    session.flush()


def _delete_restatements_by(changes: Changes, person: Person) -> None:
    """A deleted person's restatements go with them: their words, no one else's."""
    session = changes.session
    rows = session.scalars(
        select(Restatement).where(Restatement.person_id == person.id).order_by(Restatement.id)
    ).all()
    for row in rows:
        node = session.get(Node, row.node_id)
        changes.record("delete", "restatement", row.id, snapshot(row), None, [node])
        session.delete(row)
    session.flush()  # before the person: nothing orders the two deletes otherwise


def _apply(session: Session, entity, data: dict[str, Any]) -> None:
    data = dict(data)
    if isinstance(entity, Team) and "parent_id" in data:
        _check_team_parent(session, entity, data["parent_id"])
    if isinstance(entity, Person) and "team_ids" in data:
        team_ids = list(dict.fromkeys(data.pop("team_ids")))
        require_existing(session, [("team_ids", Team, team_id) for team_id in team_ids])
        entity.teams = [session.get(Team, team_id) for team_id in team_ids]
    if isinstance(entity, Period):
        start = data.get("start_date", entity.start_date)
        end = data.get("end_date", entity.end_date)
        problem = period_problem(start, end)
        if problem is not None:
            raise problem.error()
    for key, value in data.items():
        if getattr(entity, key) != value:
            setattr(entity, key, value)


def _check_team_parent(session: Session, team: Team, parent_id: int | None) -> None:
    if parent_id is None:
        return
    require_existing(session, [("parent_id", Team, parent_id)])
    if team.id is None:
        return
    cycle = team_cycle(
        team.id, parent_id, lambda t: session.scalar(select(Team.parent_id).where(Team.id == t))
    )
    if cycle is not None:
        raise Conflict(
            "cycle",
            f"Team {parent_id} is below team {team.id}; it cannot be its parent.",
            cycle=cycle,
        )


def _check_unused(session: Session, entity) -> None:
    column = {Team: Node.team_id, Person: Node.owner_id, Period: Node.period_id}[type(entity)]
    node_ids = session.scalars(
        select(Node.id).where(column == entity.id).order_by(Node.id).limit(100)
    ).all()
    blockers: dict[str, Any] = {}
    if node_ids:
        blockers["node_ids"] = list(node_ids)
    if isinstance(entity, Person):
        tokens = session.scalar(
            select(func.count()).select_from(ApiToken).where(ApiToken.person_id == entity.id)
        )
        if tokens:
            blockers["tokens"] = tokens
    if isinstance(entity, Team):
        children = session.scalar(select(func.count()).where(Team.parent_id == entity.id))
        members = session.scalar(
            select(func.count())
            .select_from(person_teams)
            .where(or_(person_teams.c.team_id == entity.id))
        )
        definitions = session.scalar(
            select(func.count()).select_from(Definition).where(Definition.team_id == entity.id)
        )
        if children:
            blockers["child_teams"] = children
        if definitions:
            blockers["definitions"] = definitions
        if members:
            blockers["members"] = members
    if blockers:
        name = _entity_type(type(entity))
        raise Conflict(
            "in_use",
            f"The {name} {entity.id} is still in use; move what refers to it first.",
            **blockers,
        )


def _entity_type(model: type) -> str:
    return {Team: "team", Person: "person", Period: "period"}[model]


def _image(entity) -> dict[str, Any]:
    if isinstance(entity, Person):
        return snapshot(entity, {"team_ids": entity.team_ids})
    return snapshot(entity)
