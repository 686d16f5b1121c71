"""Which live nodes use which glossary terms, kept up to date write by write.

The vocabulary finding (DOMAIN.md section 12) lists the live nodes whose title or
description uses a term. Node text is in the database only, and scanning 100,000 texts
after every write would cost a second; so each process keeps, per graph, the users of
the terms it was asked about, and after a write re-reads only the nodes written since
(the audit trail names them, as it does for the graph's replay) and scans the database
only for terms that are new to it or renamed. The first scan of a term reads the live
nodes whose text holds a piece of one of its names (``ILIKE``) and confirms each with the
whole-word rule of ``service.graph.language``.

A database that folds the case of ASCII letters only (SQLite) can miss a text that reaches
a name only through Unicode case folding ("ß" for "ss", ligatures) in that first scan.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from models import LIVE, AuditEvent, Node
from service.domain.common import title_search
from service.graph.language import NamesMatcher
from service.graphstore import Graph

__all__ = ["TermUsers", "term_users"]

# Past this many nodes written since the index's revision, it is rebuilt from scratch.
REREAD_LIMIT = 5_000
_CHUNK = 900

_NODE_ROWS = (Node.id, Node.title, Node.description, Node.visibility, Node.owner_id, Node.team_id)


class _Term(NamesMatcher):
    """One term as indexed: its names and matcher, and its live users."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__(names)
        self.users: dict[int, dict[str, Any]] = {}  # node id -> what can_see needs


class TermUsers:
    """The live users of some terms at ``revision`` (see the module's docstring)."""

    def __init__(self) -> None:
        self.revision: int | None = None
        self.terms: dict[int, _Term] = {}
        self.lock = threading.Lock()

    def users(
        self, session: Session, revision: int, wanted: Mapping[int, tuple[str, ...]]
    ) -> dict[int, dict[int, dict[str, Any]]]:
        """For each term of ``wanted`` (term id -> its name and aliases), its live users
        at ``revision``: node id -> ``{"visibility", "owner_id", "team_id"}``."""
        with self.lock:
            self._catch_up(session, revision, wanted)
            return {term_id: dict(self.terms[term_id].users) for term_id in wanted}

    def _catch_up(self, session: Session, revision: int, wanted: Mapping[int, tuple]) -> None:
        for term_id in [t for t in self.terms if t not in wanted]:
            del self.terms[term_id]
        written: list[int] | None = []
        if self.revision is not None and self.revision < revision:
            written = _written_nodes(session, self.revision, revision)
        if self.revision is None or written is None:
            self.terms = {}
        fresh = {
            term_id: _Term(names)
            for term_id, names in wanted.items()
            if term_id not in self.terms or self.terms[term_id].names != names
        }
        if fresh:
            _scan(session, fresh.values(), _narrowing(fresh.values()))
            self.terms.update(fresh)
        if written:
            for term in self.terms.values():
                for node_id in written:
                    term.users.pop(node_id, None)
            for start in range(0, len(written), _CHUNK):
                chunk = written[start : start + _CHUNK]
                _scan(session, self.terms.values(), Node.id.in_(chunk))
        self.revision = revision


def _written_nodes(session: Session, since: int, until: int) -> list[int] | None:
    """The nodes written after revision ``since`` up to ``until``; None when too many."""
    ids = session.scalars(
        select(AuditEvent.entity_id)
        .where(
            AuditEvent.entity_type == "node",
            AuditEvent.revision > since,
            AuditEvent.revision <= until,
        )
        .limit(REREAD_LIMIT + 1)
    ).all()
    return None if len(ids) > REREAD_LIMIT else sorted(set(ids))


def _narrowing(terms: Iterable[_Term]):
    """Texts holding a prefilter word of one of ``terms``: the candidates of a first scan."""
    words = sorted({word for term in terms for word in term.words})
    if "" in words:
        return true()
    return or_(
        *(
            condition
            for word in words
            for condition in (title_search(Node.title, word), title_search(Node.description, word))
        )
    )


def _scan(session: Session, terms: Iterable[_Term], condition) -> None:
    """Add the live nodes meeting ``condition`` that use each of ``terms`` to its users."""
    terms = list(terms)
    rows = session.execute(select(*_NODE_ROWS).where(Node.status.in_(sorted(LIVE)), condition))
    for node_id, title, description, visibility, owner_id, team_id in rows:
        folded = (title.casefold(), (description or "").casefold())
        seen_as = None
        for term in terms:
            if term.used_by_folded(*folded):
                seen_as = seen_as or {
                    "visibility": visibility,
                    "owner_id": owner_id,
                    "team_id": team_id,
                }
                term.users[node_id] = seen_as


_held: weakref.WeakKeyDictionary[Graph, TermUsers] = weakref.WeakKeyDictionary()
_held_lock = threading.Lock()


def term_users(graph: Graph) -> TermUsers:
    """The index kept beside ``graph`` (one per graph of this process)."""
    with _held_lock:
        index = _held.get(graph)
        if index is None:
            index = _held[graph] = TermUsers()
        return index
