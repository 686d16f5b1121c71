"""The leaders' page: the health summary as charts, then one section per kind of finding.

``SECTIONS`` drives the page: each entry names a finding and the function that loads a
page of it, as items of ``{"node", "detail", "related"}``. A new analysis joins the page
with one entry and one loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, render_template
from sqlalchemy import select

from models import Link, Node, Team, Term
from service import analysis, ground, language, signs
from service.api.progress import graph
from service.auth.middleware import current_principal
from service.db import session
from service.domain import review
from service.graph.codes import CONFLICT_TYPES, ORPHAN_REASONS
from service.graphstore import Graph
from service.ui import bp
from service.ui.charts import bar_chart
from service.ui.display import CONFLICT_WORDS, GAP_WORDS, REASON_WORDS
from service.ui.pages import number

PREVIEW = 5
PAGE = 25
TEAMS_CHARTED = 20
RELATED_SHOWN = 10

Loader = Callable[[Graph, Any, dict[str, int]], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    about: str
    load: Loader


def _orphans(current: Graph, principal, args) -> dict[str, Any]:
    found = analysis.orphans(current, args, principal)
    causes = {c for item in found["items"] for c in item["root_causes"][:RELATED_SHOWN]}
    known = analysis.summaries(current, causes, principal)
    found["items"] = [
        {
            "node": item["node"],
            "detail": REASON_WORDS[item["reason"]],
            "related_label": "root causes",
            "related": [known[c] for c in item["root_causes"][:RELATED_SHOWN]],
        }
        for item in found["items"]
    ]
    return found


def _conflicts(current: Graph, principal, args) -> dict[str, Any]:
    found = analysis.conflicts(current, args, principal)
    ids = {n for item in found["items"] for n in item["node_ids"][:RELATED_SHOWN]}
    known = analysis.summaries(current, (n for n in ids if n in current.G), principal)
    found["items"] = [
        {
            "node": known.get(item["node_ids"][0]) if item["node_ids"] else None,
            "detail": f"{CONFLICT_WORDS.get(item['type'], item['type'])} "
            f"({item['severity']}): {item['message']}",
            "related_label": "also involved",
            "related": [known[n] for n in item["node_ids"][1:RELATED_SHOWN] if n in known],
        }
        for item in found["items"]
    ]
    return found


def _hollow(current: Graph, principal, args) -> dict[str, Any]:
    found = analysis.unsupported(current, args, principal)
    found["items"] = [
        {"node": item["node"], "detail": "no live work below it: nobody is working on it"}
        for item in found["items"]
    ]
    return found


def _suspect(current: Graph, principal, args) -> dict[str, Any]:
    """Suspect links from the graph's own list (no join over every link), a page at a time."""
    ids = sorted(current.suspects)
    shown = ids[args["offset"] : args["offset"] + args["limit"]]
    ends = {n for link_id in shown for n in current.suspects[link_id]}
    known = analysis.summaries(current, ends, principal)
    items = []
    for link_id in shown:
        child, parent = current.suspects[link_id]
        changed = ""
        link, target = session().get(Link, link_id), session().get(Node, parent)
        if link is not None and target is not None and not known[parent].get("redacted"):
            changed = ", ".join(sorted(review.changes_since_review(session(), link, target)))
        items.append(
            {
                "node": known[child],
                "detail": "its parent changed since the link was last reviewed"
                + (f" ({changed})" if changed else ""),
                "related_label": "changed parent",
                "related": [known[parent]],
            }
        )
    return {"items": items, "total": len(ids), **args}


def _silos(current: Graph, principal, args) -> dict[str, Any]:
    found = ground.silos(session(), current, args)
    found["items"] = [
        {
            "team": {"id": item["team"], "name": item["name"]},
            "detail": f"{item['assessed']} live strategies, goals and work; "
            "none meets another team's below the vision",
        }
        for item in found["items"]
    ]
    return found


def _unanchored(current: Graph, principal, args) -> dict[str, Any]:
    ids = analysis.market_findings(current)["unanchored"]
    page = ids[args["offset"] : args["offset"] + args["limit"]]
    known = analysis.summaries(current, page, principal)
    items = [{"node": known[n], "detail": "serves no market need itself"} for n in page]
    return {"items": items, "total": len(ids), **args}


def _clarity(current: Graph, principal, args) -> dict[str, Any]:
    found = signs.clarity(current, args, principal)
    found["items"] = [
        {
            "node": item["node"],
            "detail": "; ".join(
                part
                for part in (
                    "leaves unsaid: " + ", ".join(GAP_WORDS[code] for code in item["missing"])
                    if item["missing"]
                    else "",
                    f"{item['restatements']} restatements agree "
                    f"{round(item['agreement'] * 100)}%: five people, five answers"
                    if item["divergent"]
                    else "",
                )
                if part
            ),
        }
        for item in found["items"]
    ]
    return found


def _hotspots(current: Graph, principal, args) -> dict[str, Any]:
    found = signs.overruns(current, {**args, "hotspots_only": True}, principal, signs.utc_today())
    late = {n for item in found["items"] for n in item["late_work"][:RELATED_SHOWN]}
    known = analysis.summaries(current, late, principal)
    found["items"] = [
        {
            "node": item["node"],
            "detail": f"{item['late']} of {item['dated_work']} dated work items late"
            + (
                f"; spent {item['spent']:,.0f} of a {item['budget']:,.0f} budget"
                if item["budget"] is not None
                else ""
            ),
            "related_label": "late work",
            "related": [known[n] for n in item["late_work"][:RELATED_SHOWN]],
        }
        for item in found["items"]
    ]
    return found


def _language(current: Graph, principal, args) -> dict[str, Any]:
    found = language.language(session(), current, args, principal)
    names = dict(session().execute(select(Term.id, Term.name)).all())
    shown = {n for item in found["items"] for n in item["node_ids"][:RELATED_SHOWN]}
    known = analysis.summaries(current, (n for n in shown if n in current.G), principal)
    found["items"] = [
        {
            "label": names.get(item["term_id"], "a term")
            if item["type"] == "vocabulary"
            else item["metric"],
            "detail": item["message"],
            "related_label": "used by" if item["type"] == "vocabulary" else "measured by",
            "related": [known[n] for n in item["node_ids"][:RELATED_SHOWN] if n in known],
        }
        for item in found["items"]
    ]
    return found


SECTIONS = (
    Section(
        "orphans",
        "Orphans",
        "Live nodes with no live path to the mission, with the root causes.",
        _orphans,
    ),
    Section("conflicts", "Conflicts", "Nodes that pull against each other.", _conflicts),
    Section(
        "hollow", "Hollow strategies", "Visions, strategies and goals nobody works on.", _hollow
    ),
    Section(
        "suspect-links",
        "Suspect links",
        "Links whose parent changed: their owner should say again how they serve it.",
        _suspect,
    ),
    Section("silos", "Silo teams", "Teams whose work meets nobody's below the vision.", _silos),
    Section(
        "unanchored", "Unanchored visions", "Visions anchored in no customer need.", _unanchored
    ),
    Section(
        "clarity",
        "Unclear visions and goals",
        "What they leave unsaid, and where the people who restate them heard different things.",
        _clarity,
    ),
    Section(
        "language",
        "A shared language",
        "Words teams define their own way, and metrics several teams use that no term defines.",
        _language,
    ),
    Section(
        "overruns",
        "Overrun hotspots",
        "The highest points where late work concentrates: trace it back from here.",
        _hotspots,
    ),
)
BY_SLUG = {section.slug: section for section in SECTIONS}


@bp.get("/leaders")
def leaders():
    """The health summary as charts, and the first findings of each kind."""
    current = graph()
    principal = current_principal()
    summary = _health(current, current_app.config["THROUGHLINE"].stale_after_days)
    previews = [
        (section, section.load(current, principal, {"limit": PREVIEW, "offset": 0}))
        for section in SECTIONS
    ]
    return render_template(
        "ui/leaders.html", summary=summary, charts=_charts(summary), previews=previews
    )


@bp.get("/leaders/<slug>")
def findings(slug: str):
    """Every finding of one kind, a page at a time."""
    section = BY_SLUG.get(slug)
    if section is None:
        abort(404, description=f"There is no finding list named {slug!r}.")
    offset = number("offset", 0)
    found = section.load(graph(), current_principal(), {"limit": PAGE, "offset": offset})
    return render_template("ui/findings.html", section=section, found=found, page=PAGE)


def _health(current: Graph, days: int) -> dict[str, Any]:
    """The health summary, once per revision and day (key results go stale by the day)."""
    held = current.derived("explorer_health", dict)
    key = (days, dt.datetime.now(dt.UTC).date())
    if held.get("key") != key:
        held.update(key=key, summary=analysis.health(current, days, session=session()))
    return held["summary"]


def _charts(summary: dict[str, Any]) -> list:
    by_reason = summary["orphans"]["by_reason"]
    by_type = summary["conflicts"]["by_type"]
    teams = sorted(
        (team for team in summary["teams"] if team["work_aligned_ratio"] is not None),
        key=lambda team: (team["work_aligned_ratio"], team["team_id"]),
    )[:TEAMS_CHARTED]
    names = dict(
        session()
        .execute(select(Team.id, Team.name).where(Team.id.in_([t["team_id"] for t in teams])))
        .all()
    )
    return [
        bar_chart(
            "Orphans by reason",
            [
                (reason.replace("_", " "), by_reason.get(reason, 0), str(by_reason.get(reason, 0)))
                for reason in ORPHAN_REASONS
            ],
        ),
        bar_chart(
            "Conflicts by type",
            [
                (CONFLICT_WORDS.get(t, t), by_type.get(t, 0), str(by_type.get(t, 0)))
                for t in CONFLICT_TYPES
            ],
        ),
        bar_chart(
            f"Aligned share of live work, lowest {TEAMS_CHARTED} teams",
            [
                (
                    names.get(team["team_id"], f"team {team['team_id']}"),
                    team["work_aligned_ratio"],
                    f"{round(team['work_aligned_ratio'] * 100)}%",
                )
                for team in teams
            ],
            scale=1.0,
        ),
    ]
