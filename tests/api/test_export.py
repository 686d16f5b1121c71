"""``GET /api/v1/export``: the graph the caller can see, in five formats, byte for byte."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from tests import factories as f
from tests.conftest import client_as, make_token

FORMATS = ("json", "graphml", "dot", "mermaid", "csv")
SECRET = "zq7-export-secret"


@pytest.fixture
def company(client):
    mission, vision, strategy, goal, work = f.chain(
        client, "mission", "vision", "strategy", "goal", "work"
    )
    hidden = f.node(client, "goal", title=f"{SECRET} goal", visibility="private", ref=SECRET)
    f.link(client, hidden, strategy)
    below = f.node(client, "work", title="under the hidden goal", ref="W-2")
    f.link(client, below, hidden)
    f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="m.x",
        direction="increase",
        start_value=0,
        target_value=10,
    )
    return {"mission": mission, "goal": goal, "work": work, "hidden": hidden, "below": below}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_graph_gives_the_same_bytes(client, company, fmt):
    first = client.get(f"/api/v1/export?format={fmt}")
    second = client.get(f"/api/v1/export?format={fmt}")

    assert first.status_code == 200
    assert first.data == second.data
    assert "attachment" in first.headers["Content-Disposition"]


def test_json_holds_every_field_ordered_by_id(client, company):
    body = client.get("/api/v1/export").get_json()

    ids = [node["id"] for node in body["nodes"]]
    assert ids == sorted(ids) and len(ids) == 7
    work = next(n for n in body["nodes"] if n["id"] == company["work"]["id"])
    assert set(work) == {
        "id",
        "ref",
        "kind",
        "title",
        "status",
        "team_id",
        "progress",
        "aligned",
        "reason",
    }
    assert work["aligned"] is True and work["reason"] is None
    links = body["links"]
    assert [link["id"] for link in links] == sorted(link["id"] for link in links)
    assert set(links[0]) == {"id", "type", "source_id", "target_id", "weight", "suspect"}


def test_a_root_limits_the_scope_by_direction_and_depth(client, company):
    def ids(query):
        body = client.get(f"/api/v1/export?root={company['goal']['id']}&{query}").get_json()
        return [node["id"] for node in body["nodes"]]

    goal = company["goal"]["id"]
    assert ids("direction=down") == [goal, company["work"]["id"]]
    assert ids("direction=up&depth=1") == [goal - 1, goal]
    assert len(ids("direction=both")) == 5


@pytest.mark.parametrize("fmt", FORMATS)
def test_hidden_nodes_are_placeholders_in_every_format(app, company, fmt):
    viewer = client_as(app, make_token(app, "viewer"))

    response = viewer.get(f"/api/v1/export?format={fmt}&root={company['below']['id']}")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert SECRET not in text
    assert "under the hidden goal" in text


def test_a_hidden_node_is_a_placeholder_in_json(app, company):
    viewer = client_as(app, make_token(app, "viewer"))
    nodes = viewer.get("/api/v1/export").get_json()["nodes"]

    hidden = next(n for n in nodes if n["id"] == company["hidden"]["id"])
    assert hidden == {"id": company["hidden"]["id"], "kind": "goal", "redacted": True}


def test_graphml_opens_in_networkx(client, company):
    text = client.get("/api/v1/export?format=graphml").get_data(as_text=True)

    G = nx.read_graphml(io.StringIO(text))
    assert G.number_of_nodes() == 7
    assert G.nodes[str(company["work"]["id"])]["title"] == company["work"]["title"]


def test_csv_uses_the_okr_layout(client, company):
    text = client.get("/api/v1/export?format=csv").get_data(as_text=True)

    rows = list(csv.DictReader(io.StringIO(text)))
    by_ref = {row["ref"]: row for row in rows}
    assert by_ref["W-2"]["parents"] == SECRET
    assert by_ref[f"node-{company['work']['id']}"]["parents"] == f"node-{company['goal']['id']}"
    key_result = next(row for row in rows if row["kind"] == "key_result")
    assert key_result["parents"] == f"node-{company['goal']['id']}"


def test_mermaid_past_500_nodes_is_too_large(client):
    nodes = [{"ref": f"w{i}", "kind": "work", "title": f"w{i}"} for i in range(501)]
    assert client.post("/api/v1/import", json={"nodes": nodes}).status_code == 200
    assert client.get("/api/v1/export?format=mermaid&root=1").status_code == 200

    response = client.get("/api/v1/export?format=mermaid")

    assert response.status_code == 422
    assert response.get_json()["code"] == "too_large"


@pytest.mark.parametrize(
    "query", ["format=pdf", "direction=sideways", "depth=0", "root=abc", "colour=red"]
)
def test_bad_queries_are_422(client, query):
    assert client.get(f"/api/v1/export?{query}").status_code == 422


def test_unknown_and_hidden_roots_are_404(app, company):
    viewer = client_as(app, make_token(app, "viewer"))

    assert viewer.get("/api/v1/export?root=999999").status_code == 404
    assert viewer.get(f"/api/v1/export?root={company['hidden']['id']}").status_code == 404


def test_the_command_line_lists_the_apis_formats_and_directions():
    from service.export_command import DIRECTIONS as CLI_DIRECTIONS
    from service.export_command import FORMATS as CLI_FORMATS
    from service.graph.export import DIRECTIONS
    from service.schemas.exports import FORMATS

    assert (CLI_FORMATS, CLI_DIRECTIONS) == (FORMATS, DIRECTIONS)
