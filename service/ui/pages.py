"""The explorer's pages for individuals: home, search, node, person and team."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import or_, select

from models import Node, Person, Team
from service import analysis
from service.api.base import changes
from service.api.exports import download
from service.api.progress import graph
from service.auth.middleware import current_principal
from service.auth.policy import visible
from service.db import session
from service.domain import restatements, review
from service.domain.common import get_or_404, title_search
from service.exports import export
from service.graph.export import DIRECTIONS
from service.schemas.exports import FORMATS
from service.schemas.okr import ReviewSchema
from service.schemas.restatements import RestatementCreateSchema
from service.ui import bp
from service.ui.node_page import node_page

SEARCH_PAGE = 20
ALIGNMENT_PAGE = 25
MAX_QUERY = 200


def number(name: str, default: int | None = None, low: int = 0, high: int = 10**9) -> int | None:
    """An integer query parameter, or a 400 page naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        abort(
            400, description=f"The query parameter {name!r} must be a number from {low} to {high}."
        )
    return int(raw)


def choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in allowed:
        abort(400, description=f"The query parameter {name!r} must be one of {', '.join(allowed)}.")
    return value


@bp.get("/")
def home():
    """Search, your work, and the leaders' page."""
    return render_template("ui/home.html")


@bp.get("/search")
def search():
    """Nodes, people and teams whose title, name or ref holds the text."""
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        abort(400, description=f"Search for at most {MAX_QUERY} characters.")
    offset = number("offset", 0)
    found = {"nodes": [], "people": [], "teams": [], "more": False}
    if text:
        found = _search(text, offset)
    return render_template("ui/search.html", q=text, offset=offset, found=found, page=SEARCH_PAGE)


def _search(text: str, offset: int) -> dict:
    db = session()
    principal = current_principal()
    nodes = select(Node).where(or_(title_search(Node.title, text), title_search(Node.ref, text)))
    condition = visible(principal, Node)
    if condition is not None:
        nodes = nodes.where(condition)
    rows = db.scalars(nodes.order_by(Node.id).offset(offset).limit(SEARCH_PAGE + 1)).all()
    people = select(Person).where(
        or_(*(title_search(c, text) for c in (Person.name, Person.email, Person.ref)))
    )
    teams = select(Team).where(or_(title_search(Team.name, text), title_search(Team.ref, text)))
    return {
        "nodes": rows[:SEARCH_PAGE],
        "more": len(rows) > SEARCH_PAGE,
        "people": db.scalars(people.order_by(Person.id).limit(SEARCH_PAGE)).all(),
        "teams": db.scalars(teams.order_by(Team.id).limit(SEARCH_PAGE)).all(),
    }


@bp.get("/nodes/<int:node_id>")
def node(node_id: int):
    """A node: its golden thread, needs, key results, what serves it, impact, suspect links
    and what people heard."""
    page = node_page(
        session(),
        graph(),
        node_id,
        current_principal(),
        serves_offset=number("offset", 0),
        expand=number("expand"),
        with_impact=request.args.get("impact") == "1",
    )
    return render_template("ui/node.html", page=page, formats=FORMATS)


@bp.post("/links/<int:link_id>/review")
def review_link(link_id: int):
    """Review a suspect link in your own words, then go back to the node."""
    try:
        data = ReviewSchema().load({"restatement": request.form.get("restatement", "")})
    except ValidationError:
        abort(
            422, description="Write how this work serves the changed parent (1 to 5000 characters)."
        )
    link = review.review_link(changes(), link_id, data["restatement"])
    return redirect(url_for("ui.node", node_id=link.source_id, reviewed=link.id), 303)


@bp.post("/nodes/<int:node_id>/restatements")
def restate(node_id: int):
    """Say a node back in your own words, then go back to it."""
    try:
        data = RestatementCreateSchema().load({"text": request.form.get("text", "")})
    except ValidationError:
        abort(422, description="Write what you heard in your own words (1 to 2000 characters).")
    restatements.restate(changes(), node_id, data["text"])
    return redirect(url_for("ui.node", node_id=node_id, restated=1) + "#heard", 303)


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    """Your work and why it matters: each live node with its path to the mission."""
    owner = get_or_404(session(), Person, person_id)
    return _alignment_page(Node.owner_id, person_id, owner.name, "person")


@bp.get("/teams/<int:team_id>")
def team(team_id: int):
    """A team's live nodes, each with its path to the mission."""
    found = get_or_404(session(), Team, team_id)
    return _alignment_page(Node.team_id, team_id, found.name, "team")


def _alignment_page(column, owner_id: int, name: str, what: str):
    args = {"limit": ALIGNMENT_PAGE, "offset": number("offset", 0)}
    current = graph()
    principal = current_principal()
    view = analysis.alignment_view(session(), current, column, owner_id, args, principal)
    on_paths = {n for item in view["items"] for n in (item["path"] or [])}
    known = analysis.summaries(current, on_paths, principal)
    return render_template(
        "ui/alignment.html", view=view, known=known, name=name, what=what, owner_id=owner_id
    )


@bp.get("/export")
def export_download():
    """The export of the API, as a file, for the signed-in caller."""
    fmt = choice("format", FORMATS, "json")
    direction = choice("direction", DIRECTIONS, "both")
    root = number("root", None, 1)
    depth = number("depth", None, 1, 100_000)
    result = export(session(), graph(), current_principal(), fmt, root, direction, depth)
    return download(result)
