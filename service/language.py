"""Answers about the shared language (DOMAIN.md section 12): findings and the terms a
node's text uses.

The findings are computed once per graph revision (every write, glossary writes included,
bumps it) and kept whole; each answer then leaves out the nodes its caller may not see.
Node text lives in the database, not in the graph: ``service.language_index`` keeps which
live nodes use which terms, write by write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Definition, Term
from service.auth.policy import can_see
from service.auth.principal import Principal
from service.graph.language import (
    LANGUAGE_SEVERITIES,
    MAX_FINDING_NODES,
    NamesMatcher,
    normalized_definition,
    undefined_metrics,
    vocabulary_terms,
)
from service.graphstore import Graph
from service.language_index import term_users

__all__ = [
    "Glossary",
    "glossary",
    "language",
    "language_counts",
    "language_findings",
    "node_terms",
]


class Glossary:
    """Every term's id and name with a matcher of its name and aliases."""

    def __init__(self, rows: Iterable[tuple[int, str, list[str]]]):
        self.terms = [
            (term_id, name, NamesMatcher((name, *(aliases or ()))))
            for term_id, name, aliases in sorted(rows)
        ]

    def used_by(self, *texts: str | None) -> list[dict[str, Any]]:
        """The terms (``{"id", "name"}``, by id) that one of ``texts`` uses on its own."""
        folded = [text.casefold() for text in texts if text]
        return [
            {"id": term_id, "name": name}
            for term_id, name, matcher in self.terms
            if matcher.used_by_folded(*folded)
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
    wanted = {t: (terms[t].name, *(terms[t].aliases or ())) for t in divided if t in terms}
    users = term_users(graph).users(session, graph.revision, wanted)
    found: list[dict[str, Any]] = []
    for term_id in wanted:
        found.append(
            {
                "type": "vocabulary",
                "severity": LANGUAGE_SEVERITIES["vocabulary"],
                "message": (
                    f"The term {terms[term_id].name!r} has {len(texts[term_id])} "
                    "different definitions."
                ),
                "term_id": term_id,
                "team_ids": divided[term_id],
                "node_ids": sorted(users[term_id]),
                "seen_as": users[term_id],
            }
        )
    defined = {metric for row in terms.values() for metric in (row.metrics or ())}
    for item in undefined_metrics(graph.G._node, graph.key_results_by_goal(), defined):
        found.append(
            {
                "type": "undefined_metric",
                "severity": LANGUAGE_SEVERITIES["undefined_metric"],
                "message": (
                    f"The metric {item['metric']!r} is measured by {len(item['team_ids'])} "
                    "teams, and no term defines it."
                ),
                **item,
                "seen_as": None,  # the graph's nodes say
            }
        )
    return found


def _shown(graph: Graph, finding: dict[str, Any], principal: Principal) -> list[int]:
    """The first node ids of a finding that the caller may see, at most 50."""
    if principal.is_admin:
        return finding["node_ids"][:MAX_FINDING_NODES]
    seen_as, nodes = finding["seen_as"], graph.G._node
    shown = []
    for node_id in finding["node_ids"]:
        if seen_as is not None:
            visible = can_see(principal, seen_as[node_id])
        else:
            data = nodes[node_id]
            visible = can_see(
                principal,
                {
                    "visibility": data.get("visibility", "public"),
                    "owner_id": data.get("owner_id"),
                    "team_id": data.get("team_id"),
                },
            )
        if visible:
            shown.append(node_id)
            if len(shown) == MAX_FINDING_NODES:
                break
    return shown


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
        item = {key: value for key, value in finding.items() if key != "seen_as"}
        item["node_ids"] = _shown(graph, finding, principal)
        items.append(item)
    return {"items": items, "total": len(found), "limit": limit, "offset": offset}


def language_counts(session: Session, graph: Graph, team_id: int | None = None) -> dict[str, int]:
    """Language findings by type (DOMAIN.md section 15); with ``team_id``, the team's.

    The counts of every team are taken in one pass, once per revision: health asks for
    each of thousands of teams.
    """
    overall, by_team = _tallies(session, graph)
    return dict(overall if team_id is None else by_team.get(team_id, _NONE))


_NONE = dict.fromkeys(LANGUAGE_SEVERITIES, 0)


def _tallies(session: Session, graph: Graph) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """The counts overall and per team, once per revision: one pass over the findings,
    however many teams ask."""

    def count() -> tuple[dict[str, int], dict[int, dict[str, int]]]:
        overall = dict(_NONE)
        by_team: dict[int, dict[str, int]] = {}
        for finding in language_findings(session, graph):
            kind = finding["type"]
            overall[kind] += 1
            for team in set(finding["team_ids"]):
                by_team.setdefault(team, dict(_NONE))[kind] += 1
        return overall, by_team

    return graph.derived("language_counts", count)
