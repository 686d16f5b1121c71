"""``throughline check``: the health summary and its findings, as a gate for pipelines.

The graph is built as a service worker builds it (``Graph.load_all``) but without the web
service around it, so a check costs the imports of SQLAlchemy and networkx, one read of
the tables and the analyses, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import GraphState, Node, Team, Term
from service import analysis
from service.graphstore import Graph
from service.language import language_findings
from service.signs import utc_today

FINDING_KINDS = (
    "orphan",
    "hollow",
    "conflict",
    "suspect",
    "silo",
    "unanchored",
    "clarity",
    "vocabulary",
    "undefined_metric",
    "hotspot",
)


@dataclass(frozen=True)
class Thresholds:
    """The limits a check enforces; None leaves a figure unchecked."""

    max_orphans: int | None = None
    max_unsupported: int | None = None
    max_conflicts: int | None = None
    max_violations: int | None = None
    max_suspect_links: int | None = None
    min_aligned_ratio: float | None = None
    max_silos: int | None = None
    max_unanchored: int | None = None
    max_clarity: int | None = None
    max_vocabulary: int | None = None
    max_late_share: float | None = None


def read_graph(engine: Engine, with_refs: bool = False) -> tuple[Graph, dict[int, str | None]]:
    """The graph of the database's latest committed revision, and every node's ref if asked.

    With refs come team names too, under the key ``("team", id)``.
    """
    with Session(engine) as session:
        graph = Graph()
        graph.load_all(session, session.scalar(select(GraphState.revision)))
        refs: dict[Any, str | None] = {}
        if with_refs:
            refs.update(session.execute(select(Node.id, Node.ref)).all())
            refs.update(
                (("team", team_id), name)
                for team_id, name in session.execute(select(Team.id, Team.name)).all()
            )
    return graph, refs


def evaluate(
    graph: Graph,
    stale_days: int,
    limits: Thresholds,
    today: dt.date | None = None,
    session: Session | None = None,
) -> tuple[dict, list[str]]:
    """The health summary and the thresholds it breaks, in words.

    The summary adds ``violations`` and ``late_share``: the share of the live and done work
    with a due date that is late (DOMAIN.md 14), None without dated work. With a
    ``session`` of the graph's database it counts the language findings too (they read the
    glossary and node texts).
    """
    today = today or utc_today()
    summary = analysis.health(graph, stale_days, today=today, session=session)
    summary["violations"] = sum(
        1 for conflict in analysis.conflict_list(graph) if conflict["severity"] == "violation"
    )
    summary["late_share"] = late_share(graph, today)
    counted = {
        "max_orphans": (summary["orphans"]["total"], "orphans"),
        "max_unsupported": (summary["unsupported"], "unsupported (hollow) nodes"),
        "max_conflicts": (summary["conflicts"]["total"], "conflicts"),
        "max_violations": (summary["violations"], "violations"),
        "max_suspect_links": (summary["suspect_links"], "suspect links"),
        "max_silos": (summary["silos"], "silo teams"),
        "max_unanchored": (summary["unanchored_visions"], "unanchored visions"),
        "max_clarity": (summary["clarity"], "visions and goals unclear or divergent"),
        "max_vocabulary": (
            summary.get("language", {}).get("vocabulary", 0),
            "terms defined in different ways",
        ),
    }
    failures = []
    for name, (value, what) in counted.items():
        limit = getattr(limits, name)
        if limit is not None and value > limit:
            failures.append(f"{value} {what} (at most {limit})")
    ratio, least = summary["work_aligned_ratio"], limits.min_aligned_ratio
    if least is not None and (ratio is None or ratio < least):
        failures.append(f"aligned ratio of live work {ratio} (at least {least})")
    share, most = summary["late_share"], limits.max_late_share
    if most is not None and share is not None and share > most:
        failures.append(f"late share of dated work {share:.3f} (at most {most})")
    return summary, failures


def late_share(graph: Graph, today: dt.date) -> float | None:
    """Late work over the live and done work with a due date; None without such work."""
    nodes = graph.G._node
    dated = sum(
        1
        for n in graph.census.due_dates
        if nodes[n].get("kind") == "work" and nodes[n]["status"] in ("draft", "active", "done")
    )
    return len(analysis.late_work(graph, today)) / dated if dated else None


def findings(
    graph: Graph,
    refs: dict[int, str | None],
    today: dt.date | None = None,
    session: Session | None = None,
) -> list[dict[str, Any]]:
    """Every orphan, hollow node, conflict, suspect link, silo, unanchored vision, unclear
    vision or goal, language finding (with a ``session``) and overrun hotspot, in order.

    Each is ``{"finding", "ref", "kind", "code", "title"}`` (``ref`` is the node's ref, or
    its id where it has none) with the ids it concerns.
    """
    nodes = graph.G._node
    found: list[dict[str, Any]] = []
    terms = dict(session.execute(select(Term.id, Term.name)).all()) if session is not None else {}

    def about(node_id: int, finding: str, code: str, **more: Any) -> dict[str, Any]:
        data = nodes[node_id]
        return {
            "finding": finding,
            "ref": _name(refs, node_id),
            "kind": data["kind"],
            "code": code,
            "title": data["title"],
            "node_id": node_id,
            **more,
        }

    for orphan in analysis.orphan_list(graph):
        found.append(about(orphan.node, "orphan", orphan.reason))
    for node_id in analysis.unsupported_list(graph):
        found.append(about(node_id, "hollow", "unsupported"))
    for conflict in analysis.conflict_list(graph):
        ids = conflict["node_ids"]
        found.append(
            {
                "finding": "conflict",
                "ref": ",".join(_name(refs, node_id) for node_id in ids),
                "kind": ",".join(nodes[node_id]["kind"] for node_id in ids),
                "code": conflict["type"],
                "title": conflict["message"],
                "node_ids": list(ids),
                "severity": conflict["severity"],
            }
        )
    for link_id, (child, parent) in sorted(graph.suspects.items()):
        line = about(child, "suspect", "suspect", link_id=link_id, target_id=parent)
        line["ref"] = f"{line['ref']} -> {_name(refs, parent)}"
        found.append(line)
    for team_id in analysis.team_ground(graph).silos:
        found.append(
            {
                "finding": "silo",
                "ref": str(team_id),
                "kind": "team",
                "code": "silo",
                "title": refs.get(("team", team_id)) or f"team {team_id}",
                "team_id": team_id,
            }
        )
    for node_id in analysis.market_findings(graph)["unanchored"]:
        found.append(about(node_id, "unanchored", "unanchored"))
    for entry in analysis.clarity_list(graph):
        code = ",".join(entry["missing"] + (["divergent"] if entry["divergent"] else []))
        found.append(about(entry["node"], "clarity", code))
    if session is not None:
        for finding in language_findings(session, graph):
            ids = finding["node_ids"]
            subject = (
                terms.get(finding["term_id"], f"term {finding['term_id']}")
                if finding["type"] == "vocabulary"
                else finding["metric"]
            )
            found.append(
                {
                    "finding": finding["type"],
                    "ref": subject,
                    "kind": "term" if finding["type"] == "vocabulary" else "metric",
                    "code": finding["type"],
                    "title": finding["message"],
                    "node_ids": list(ids),
                    "team_ids": list(finding["team_ids"]),
                }
            )
    for entry in analysis.overrun_list(graph, today or utc_today()):
        if entry["hotspot"]:
            share = f"late {entry['late']} of {entry['dated_work']}"
            found.append(about(entry["node"], "hotspot", "overrun_hotspot", late=share))
    return found


def _name(refs: dict[int, str | None], node_id: int) -> str:
    return refs.get(node_id) or str(node_id)


def render(
    database: str,
    summary: dict,
    failures: list[str],
    listed: list[dict[str, Any]] | None = None,
    as_json: bool = False,
) -> str:
    """The check's output: the database first, the findings if listed, the summary, the verdict."""
    if as_json:
        body = {"database": database, **summary, "failures": failures}
        if listed is not None:
            body["findings"] = listed
        return json.dumps(body, indent=2, sort_keys=True, default=str)
    lines = [f"database         {database}"]
    for finding in listed or ():
        lines.append("\t".join(_clean(finding[key]) for key in _COLUMNS))
    ratio = summary["work_aligned_ratio"]
    lines += [
        f"nodes            {summary['counts']['total']}",
        "aligned work     " + ("n/a" if ratio is None else f"{ratio:.1%}"),
        f"orphans          {summary['orphans']['total']}  "
        + _breakdown(summary["orphans"]["by_reason"]),
        f"unsupported      {summary['unsupported']}",
        f"conflicts        {summary['conflicts']['total']}  "
        + _breakdown(summary["conflicts"]["by_type"]),
        f"violations       {summary['violations']}",
        f"suspect links    {summary['suspect_links']}",
        f"stale KRs        {summary['stale_key_results']}",
        f"standalone       {summary['standalone']['total']}",
        f"silo teams       {summary['silos']}",
        f"unanchored       {summary['unanchored_visions']}",
        f"unserved needs   {summary['unserved_needs']}",
        f"unclear          {summary['clarity']}",
        f"late work        {summary['late_work']}  "
        + ("" if summary["late_share"] is None else f"({summary['late_share']:.1%} of dated)"),
        f"overrun hotspots {summary['overrun_hotspots']}",
    ]
    if "language" in summary:
        lines.insert(-3, "language         " + _breakdown(summary["language"]).strip("()"))
    lines += [f"FAIL: {failure}" for failure in failures]
    lines.append("FAILED" if failures else "OK")
    return "\n".join(lines)


_COLUMNS = ("finding", "ref", "kind", "code", "title")


def _clean(value: Any) -> str:
    """One field of a tab-separated line: no tabs or line breaks inside it."""
    return " ".join(str(value).split())


def _breakdown(counts: dict) -> str:
    shown = [f"{key} {value}" for key, value in counts.items() if value]
    return f"({', '.join(shown)})" if shown else ""


THRESHOLD_NAMES = tuple(spec.name for spec in fields(Thresholds))
