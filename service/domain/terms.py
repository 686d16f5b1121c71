"""Glossary terms and their definitions (DOMAIN.md section 12).

Who may write what (``service.auth.policy``): any editor or admin creates a term; an
editor renames, changes or deletes a term only while every definition of it belongs to one
of their teams (a term nobody has defined yet is anyone's), admins any term. Definitions:
editors write those of their own teams, admins those of any team and the company-wide ones
(``team_id`` null). Viewers write nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import Definition, Team, Term
from models.base import utcnow
from service.auth.policy import require_define, require_editor, require_term_edit
from service.domain.changes import Changes, snapshot
from service.domain.common import check_if_match, get_or_404, require_existing
from service.domain.errors import NotFound
from service.domain.rules import definition_taken_problem, term_names_problem, term_taken_problem
from service.graph.language import term_key


def list_terms(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    """A page of terms by id, each with its definitions.

    ``q``: text in the name or an alias, ignoring case; ``metric``: terms listing that key.
    Glossaries are small, so the filters run over every term's names here rather than over
    the JSON column in SQL (whose text form differs between databases).
    """
    found = session.scalars(select(Term).order_by(Term.id)).all()
    if args.get("q"):
        needle = args["q"].casefold()
        found = [t for t in found if any(needle in n.casefold() for n in (t.name, *t.aliases))]
    if args.get("metric") is not None:
        found = [t for t in found if args["metric"] in t.metrics]
    limit, offset = args["limit"], args["offset"]
    items = with_definitions(session, found[offset : offset + limit])
    return {"items": items, "total": len(found), "limit": limit, "offset": offset}


def get_term(session: Session, term_id: int) -> Term:
    return with_definitions(session, [get_or_404(session, Term, term_id)])[0]


def create_term(changes: Changes, data: dict[str, Any]) -> Term:
    """Create a term (editors and admins)."""
    require_editor(changes.principal)
    changes.begin()
    session = changes.session
    term = Term(name=None, aliases=[], metrics=[])  # _apply sets the name and its key
    _apply(session, term, data)
    session.add(term)
    session.flush()
    changes.record("create", "term", term.id, None, snapshot(term))
    return with_definitions(session, [term])[0]


def update_term(changes: Changes, term_id: int, data: dict[str, Any], if_match=None) -> Term:
    """Change a term's name, aliases or metrics."""
    changes.begin()
    session = changes.session
    term = get_or_404(session, Term, term_id)
    require_term_edit(changes.principal, _defined_by(session, term.id))
    check_if_match(term, if_match)
    before = snapshot(term)
    _apply(session, term, data)
    if snapshot(term) != before:
        term.updated_at = utcnow()
        session.flush()
        changes.record("update", "term", term.id, before, snapshot(term))
    return with_definitions(session, [term])[0]


def delete_term(changes: Changes, term_id: int, if_match=None) -> None:
    """Delete a term and its definitions."""
    changes.begin()
    session = changes.session
    term = get_or_404(session, Term, term_id)
    require_term_edit(changes.principal, _defined_by(session, term.id))
    check_if_match(term, if_match)
    for definition in _definitions_of(session, [term.id]).get(term.id, []):
        changes.record("delete", "definition", definition.id, snapshot(definition), None)
    session.execute(delete(Definition).where(Definition.term_id == term.id))
    changes.record("delete", "term", term.id, snapshot(term), None)
    session.delete(term)
    session.flush()


def create_definition(changes: Changes, term_id: int, data: dict[str, Any]) -> Definition:
    """Define a term for a team, or for the company (``team_id`` null)."""
    team_id = data.get("team_id")
    require_define(changes.principal, team_id)
    changes.begin()
    session = changes.session
    get_or_404(session, Term, term_id)
    require_existing(session, [("team_id", Team, team_id)])
    held = session.scalar(
        select(Definition.id).where(
            Definition.term_id == term_id,
            Definition.team_id.is_(None) if team_id is None else Definition.team_id == team_id,
        )
    )
    problem = definition_taken_problem(team_id, held)
    if problem is not None:
        raise problem.error(definition_id=held)
    definition = Definition(term_id=term_id, team_id=team_id, text=data["text"])
    session.add(definition)
    session.flush()
    changes.record("create", "definition", definition.id, None, snapshot(definition))
    return definition


def update_definition(
    changes: Changes, term_id: int, definition_id: int, data: dict[str, Any], if_match=None
) -> Definition:
    """Change a definition's text (its team stays: define for another team anew)."""
    changes.begin()
    definition = _definition(changes.session, term_id, definition_id)
    require_define(changes.principal, definition.team_id)
    check_if_match(definition, if_match)
    before = snapshot(definition)
    if definition.text != data["text"]:
        definition.text = data["text"]
        changes.session.flush()
        changes.record("update", "definition", definition.id, before, snapshot(definition))
    return definition


def delete_definition(changes: Changes, term_id: int, definition_id: int, if_match=None) -> None:
    changes.begin()
    definition = _definition(changes.session, term_id, definition_id)
    require_define(changes.principal, definition.team_id)
    check_if_match(definition, if_match)
    changes.record("delete", "definition", definition.id, snapshot(definition), None)
    changes.session.delete(definition)
    changes.session.flush()


def with_definitions(session: Session, terms: list[Term]) -> list[Term]:
    """Attach each term's ``definitions``: the company's first, then by team."""
    held = _definitions_of(session, [term.id for term in terms])
    for term in terms:
        term.definitions = held.get(term.id, [])
    return terms


def _definitions_of(session: Session, term_ids: list[int]) -> dict[int, list[Definition]]:
    if not term_ids:
        return {}
    rows = session.scalars(select(Definition).where(Definition.term_id.in_(term_ids))).all()
    held: dict[int, list[Definition]] = {}
    for row in sorted(rows, key=lambda d: (d.team_id is not None, d.team_id or 0, d.id)):
        held.setdefault(row.term_id, []).append(row)
    return held


def _defined_by(session: Session, term_id: int) -> list[int | None]:
    return list(session.scalars(select(Definition.team_id).where(Definition.term_id == term_id)))


def _definition(session: Session, term_id: int, definition_id: int) -> Definition:
    get_or_404(session, Term, term_id)
    definition = get_or_404(session, Definition, definition_id)
    if definition.term_id != term_id:
        raise NotFound("Definition", definition_id)
    return definition


def _apply(session: Session, term: Term, data: dict[str, Any]) -> None:
    name = data.get("name", term.name)
    aliases = data.get("aliases", term.aliases)
    problem = term_names_problem(name, aliases)
    if problem is not None:
        raise problem.error()
    taken = _names_of_others(session, term.id)
    for candidate in (name, *aliases):
        holder = taken.get(term_key(candidate))
        problem = term_taken_problem(candidate, holder)
        if problem is not None:
            raise problem.error(term_id=holder)
    if name != term.name:
        term.name, term.name_key = name, term_key(name)
    if aliases != term.aliases:
        term.aliases = list(aliases)
    metrics = list(dict.fromkeys(data.get("metrics", term.metrics)))
    if metrics != term.metrics:
        term.metrics = metrics


def _names_of_others(session: Session, term_id: int | None) -> dict[str, int]:
    """Every name and alias of the other terms, by ``term_key``: the term holding it.

    Read under the write lock ``Changes.begin()`` takes, so no other writer adds one
    meanwhile (aliases live in a JSON column no unique index covers).
    """
    statement = select(Term.id, Term.name, Term.aliases)
    if term_id is not None:
        statement = statement.where(Term.id != term_id)
    rows = session.execute(statement)
    return {term_key(n): tid for tid, name, aliases in rows for n in (name, *(aliases or []))}
