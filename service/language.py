"""Answers about the shared language (DOMAIN.md section 12): findings and the terms a
node's text uses.

The findings are computed once per graph revision (every write, glossary writes included,
bumps it) and kept whole; each answer then leaves out the nodes its caller may not see.
Node text lives in the database, not in the graph: the nodes that may use a term are
found with ``ILIKE`` on a piece of each of its names, then confirmed with the whole-word
rule of ``service.graph.language``. A database that folds the case of ASCII letters only
(SQLite) can miss a text that reaches a name only through Unicode case folding ("ß" for
"ss", ligatures); the per-node ``?with=terms`` reads the text itself and misses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from models import LIVE, Definition, Node, Term
from service.auth.policy import can_see
from service.auth.principal import Principal
from service.domain.common import title_search
from service.graph.language import (
    LANGUAGE_SEVERITIES,
    MAX_FINDING_NODES,
    names_pattern,
    normalized_definition,
    prefilter_word,
    undefined_metrics,
    uses,
    vocabulary_terms,
)
from service.graphstore import Graph

__all__ = ["Glossary", "glossary", "language", "language_counts", "language_findings", "node_terms"]


class Glossary:
    """Every term's id and name with one pattern for its name and aliases."""

    def __init__(self, rows: Iterable[tuple[int, str, list[str]]]):
        self.terms: list[tuple[int, str, re.Pattern[str], tuple[str, ...]]] = []
        for term_id, name, aliases in sorted(rows):
            names = (name, *(aliases or ()))
            words = tuple(prefilter_word(n) for n in names)
            self.terms.append((term_id, name, names_pattern(names), words))

    def used_by(self, *texts: str | None) -> list[dict[str, Any]]:
        """The terms (``{"id", "name"}``, by id) that any of ``texts`` uses."""
        folded = " ".join(t.casefold() for t in texts if t)
        return [
            {"id": term_id, "name": name}
            for term_id, name, pattern, words in self.terms
            if any(not word or word in folded for word in words) and uses(pattern, folded)
        ]


def glossary(session: Session, graph: Graph) -> Glossary:
    """The glossary at the graph's revision."""
    return graph.derived(
        "glossary",
        lambda: Glossary(session.execute(select(Term.id, Term.name, Term.aliases)).all()),
    )


def node_terms(session: Session, graph: Graph, nodes: list) -> list:
    """Attach ``terms``, the glossary terms its title or description uses, to each node."""
    held = glossary(session, graph)
    for node in nodes:
        node.terms = held.used_by(node.title, node.description)
    return nodes


def language_findings(session: Session, graph: Graph) -> list[dict[str, Any]]:
    """Every language finding at the graph's revision, with all the nodes each involves
    and how each node is seen (``seen_as``: what ``can_see`` needs), unredacted."""
    return graph.derived("language", lambda: _findings(session, graph))


def _findings(session: Session, graph: Graph) -> list[dict[str, Any]]:
    definitions = session.execute(
        select(Definition.term_id, Definition.team_id, Definition.text)
    ).all()
    divided = vocabulary_terms(definitions)
    texts: dict[int, set[str]] = {}
    for term_id, _team_id, text in definitions:
        if term_id in divided:
            texts.setdefault(term_id, set()).add(normalized_definition(text))
    terms = {
        row.id: row
        for row in session.execute(select(Term.id, Term.name, Term.aliases, Term.metrics))
    }
    found: list[dict[str, Any]] = []
    users = _users(session, {t: terms[t] for t in divided if t in terms})
    for term_id, team_ids in divided.items():
        if term_id not in terms:
            continue
        count = len(texts[term_id])
        node_ids = sorted(users.get(term_id, ()))
        found.append(
            {
                "type": "vocabulary",
                "severity": LANGUAGE_SEVERITIES["vocabulary"],
                "message": f"The term {terms[term_id].name!r} has {count} different definitions.",
                "term_id": term_id,
                "team_ids": team_ids,
                "node_ids": node_ids,
                "seen_as": {n: users[term_id][n] for n in node_ids},
            }
        )
    nodes = graph.G._node
    defined = {metric for row in terms.values() for metric in (row.metrics or ())}
    for item in undefined_metrics(nodes, graph.key_results_by_goal(), defined):
        found.append(
            {
                "type": "undefined_metric",
                "severity": LANGUAGE_SEVERITIES["undefined_metric"],
                "message": (
                    f"The metric {item['metric']!r} is measured by {len(item['team_ids'])} "
                    "teams, and no term defines it."
                ),
                **item,
                "seen_as": {n: _graph_seen_as(nodes[n]) for n in item["node_ids"]},
            }
        )
    return found


def _users(session: Session, terms: Mapping[int, Any]) -> dict[int, dict[int, dict[str, Any]]]:
    """For each term, the live nodes whose title or description uses it, each with how it
    is seen: one scan of the live nodes, narrowed by ``ILIKE``."""
    if not terms:
        return {}
    patterns = {}
    words: set[str] = set()
    for term_id, row in terms.items():
        names = (row.name, *(row.aliases or ()))
        patterns[term_id] = names_pattern(names)
        words.update(prefilter_word(n) for n in names)
    if "" in words:
        narrowed = true()
    else:
        narrowed = or_(
            *(
                condition
                for word in sorted(words)
                for condition in (
                    title_search(Node.title, word),
                    title_search(Node.description, word),
                )
            )
        )
    rows = session.execute(
        select(
            Node.id, Node.title, Node.description, Node.visibility, Node.owner_id, Node.team_id
        ).where(Node.status.in_(sorted(LIVE)), narrowed)
    )
    found: dict[int, dict[int, dict[str, Any]]] = {}
    for node_id, title, description, visibility, owner_id, team_id in rows:
        folded = f"{title}\n{description or ''}".casefold()
        for term_id, pattern in patterns.items():
            if pattern.search(folded):
                found.setdefault(term_id, {})[node_id] = {
                    "visibility": visibility,
                    "owner_id": owner_id,
                    "team_id": team_id,
                }
    return found


def _graph_seen_as(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "visibility": data.get("visibility", "public"),
        "owner_id": data.get("owner_id"),
        "team_id": data.get("team_id"),
    }


def language(
    session: Session, graph: Graph, args: dict[str, Any], principal: Principal
) -> dict[str, Any]:
    """A page of language findings; nodes the caller may not see are left out of each."""
    found = [
        finding
        for finding in language_findings(session, graph)
        if args.get("type") in (None, finding["type"])
        and args.get("severity") in (None, finding["severity"])
        and (args.get("team_id") is None or args["team_id"] in finding["team_ids"])
    ]
    limit, offset = args["limit"], args["offset"]
    items = []
    for finding in found[offset : offset + limit]:
        seen_as = finding["seen_as"]
        shown = [n for n in finding["node_ids"] if can_see(principal, seen_as[n])]
        item = {key: value for key, value in finding.items() if key != "seen_as"}
        item["node_ids"] = shown[:MAX_FINDING_NODES]
        items.append(item)
    return {"items": items, "total": len(found), "limit": limit, "offset": offset}


def language_counts(session: Session, graph: Graph, team_id: int | None = None) -> dict[str, int]:
    """Language findings by type (DOMAIN.md section 15); with ``team_id``, the team's."""
    counts = dict.fromkeys(LANGUAGE_SEVERITIES, 0)
    for finding in language_findings(session, graph):
        if team_id is None or team_id in finding["team_ids"]:
            counts[finding["type"]] += 1
    return counts
