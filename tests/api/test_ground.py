"""Market and team alignment through the API: market, traces, dependencies, teams, health."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import client_as, make_token


def need(client, need_type="functional", **fields):
    return f.node(client, "need", need_type=need_type, **fields)


@pytest.fixture
def market_world(client):
    """Mission <- vision A (serves safety and reliability) and vision B (reliability only)."""
    team = f.team(client, "Cars")
    mission = f.node(client, "mission")
    both = f.node(client, "vision", title="Both", team_id=team["id"])
    one = f.node(client, "vision", title="One")
    bare = f.node(client, "vision", title="Bare")
    strategy = f.node(client, "strategy", team_id=team["id"])
    work = f.node(client, "work", title="Airbags", team_id=team["id"])
    for child, parent in ((both, mission), (one, mission), (bare, mission)):
        f.link(client, child, parent)
    f.link(client, strategy, both)
    f.link(client, work, strategy)
    safety = need(client, "psychological", title="Safety", segment="Families")
    reliability = need(client, "functional", title="Reliability")
    nobody = need(client, "functional", title="Nobody's")
    f.link(client, both, safety, "serves")
    f.link(client, strategy, reliability, "serves")
    f.link(client, both, reliability, "serves")
    f.link(client, one, reliability, "serves")
    return {
        "team": team,
        "both": both,
        "one": one,
        "bare": bare,
        "strategy": strategy,
        "work": work,
        "safety": safety,
        "reliability": reliability,
        "nobody": nobody,
    }


def _ids(nodes):
    return [n["id"] for n in nodes]


def test_market_lists_unanchored_unserved_and_one_sided(client, market_world):
    w = market_world

    body = client.get("/api/v1/analysis/market").get_json()

    assert _ids(body["unanchored"]) == [w["bare"]["id"]]
    assert _ids(body["unserved"]) == [w["nobody"]["id"]]
    assert _ids(body["one_sided"]) == [w["one"]["id"]]
    assert body["needs"] == [
        {
            "node": body["needs"][0]["node"],
            "served_by": [w["both"]["id"]],
            "work": 1,
        },
        {
            "node": body["needs"][1]["node"],
            "served_by": sorted([w["both"]["id"], w["one"]["id"], w["strategy"]["id"]]),
            "work": 1,
        },
        {"node": body["needs"][2]["node"], "served_by": [], "work": 0},
    ]
    assert body["needs"][0]["node"]["need_type"] == "psychological"
    assert body["needs"][0]["node"]["segment"] == "Families"


def test_market_filters_by_team(client, market_world):
    w = market_world

    body = client.get(f"/api/v1/analysis/market?team_id={w['team']['id']}").get_json()

    assert body["unanchored"] == [] and body["unserved"] == [] and body["one_sided"] == []
    assert [e["node"]["id"] for e in body["needs"]] == [w["safety"]["id"], w["reliability"]["id"]]


def test_market_follows_writes(client, market_world):
    w = market_world
    client.get("/api/v1/analysis/market")

    f.link(client, w["bare"], w["nobody"], "serves")
    body = client.get("/api/v1/analysis/market").get_json()

    assert body["unanchored"] == [] and body["unserved"] == []
    assert w["bare"]["id"] in _ids(body["one_sided"])


def test_market_refuses_unknown_arguments(client):
    response = client.get("/api/v1/analysis/market?kind=need")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_trace_up_names_the_needs_served_above(client, market_world):
    w = market_world

    body = client.get(f"/api/v1/nodes/{w['work']['id']}/trace/up").get_json()

    assert _ids(body["needs"]) == [w["safety"]["id"], w["reliability"]["id"]]
    assert body["needs"][0]["title"] == "Safety"


def test_a_need_traces_to_nothing_and_is_no_orphan(client, market_world):
    w = market_world

    body = client.get(f"/api/v1/nodes/{w['nobody']['id']}/trace/up").get_json()
    orphans = client.get("/api/v1/analysis/orphans").get_json()["items"]

    assert (body["aligned"], body["reason"], body["paths"]) == (False, None, [])
    assert w["nobody"]["id"] not in [o["node"]["id"] for o in orphans]
    unsupported = client.get("/api/v1/analysis/unsupported").get_json()["items"]
    assert w["nobody"]["id"] not in [u["node"]["id"] for u in unsupported]


def test_team_alignment_items_carry_the_needs_their_path_serves(client, market_world):
    w = market_world

    body = client.get(f"/api/v1/teams/{w['team']['id']}/alignment").get_json()

    by_node = {item["node"]["id"]: item for item in body["items"]}
    assert _ids(by_node[w["work"]["id"]]["needs"]) == [w["safety"]["id"], w["reliability"]["id"]]
    assert body["aligned_ratio"] == 1.0


def test_dependencies_list_what_a_node_waits_on_and_what_waits_on_it(client):
    a = f.node(client, "work", due_date="2026-12-10")
    b = f.node(client, "work", due_date="2026-12-20")
    c = f.node(client, "work", status="cancelled")
    first = f.link(client, a, b, "depends_on")
    second = f.link(client, a, c, "depends_on")

    body = client.get(f"/api/v1/nodes/{a['id']}/dependencies").get_json()
    other = client.get(f"/api/v1/nodes/{b['id']}/dependencies").get_json()

    assert [(d["link_id"], d["node"]["id"], d["due_date"]) for d in body["waits_on"]] == [
        (first["id"], b["id"], "2026-12-20"),
        (second["id"], c["id"], None),
    ]
    assert body["waits_on"][1]["node"]["status"] == "cancelled"
    assert body["waited_on_by"] == [] and body["due_date"] == "2026-12-10"
    assert [d["node"]["id"] for d in other["waited_on_by"]] == [a["id"]]


def test_dependencies_of_an_unknown_node_are_404(client):
    response = client.get("/api/v1/nodes/987654/dependencies")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_dependency_conflicts_are_listed_and_filtered(client):
    a = f.node(client, "work", due_date="2026-12-10")
    late = f.node(client, "work", due_date="2026-12-20")
    gone = f.node(client, "work", status="archived")
    f.link(client, a, late, "depends_on")
    f.link(client, a, gone, "depends_on")

    body = client.get("/api/v1/analysis/conflicts?type=dependency").get_json()
    violations = client.get(
        "/api/v1/analysis/conflicts?type=dependency&severity=violation"
    ).get_json()

    assert [(c["severity"], c["node_ids"]) for c in body["items"]] == [
        ("warning", [a["id"], late["id"]]),
        ("violation", [a["id"], gone["id"]]),
    ]
    assert [c["node_ids"] for c in violations["items"]] == [[a["id"], gone["id"]]]
    health = client.get("/api/v1/analysis/health").get_json()
    assert health["conflicts"]["by_type"]["dependency"] == 2


@pytest.fixture
def teams_world(client):
    """Teams A and B meet at a strategy of A's; C works alone under the vision; D depends on A."""
    lead, a, b, c, d = (f.team(client, name) for name in ("Lead", "A", "B", "C", "D"))
    mission = f.node(client, "mission", team_id=lead["id"])
    vision = f.node(client, "vision", team_id=lead["id"])
    f.link(client, vision, mission)
    meeting = f.node(client, "strategy", title="Meeting point", team_id=a["id"])
    f.link(client, meeting, vision)
    for team in (a, b):
        goal = f.node(client, "goal", team_id=team["id"])
        f.link(client, goal, meeting)
    alone = f.node(client, "strategy", team_id=c["id"])
    f.link(client, alone, vision)
    waiting = f.node(client, "work", team_id=d["id"])
    f.link(client, waiting, meeting, "depends_on")
    return {"lead": lead, "a": a, "b": b, "c": c, "d": d, "meeting": meeting}


def test_team_graph_lists_every_team_and_each_tied_pair(client, teams_world):
    w = teams_world

    body = client.get("/api/v1/analysis/team-graph").get_json()

    teams = {t["team"]: t for t in body["teams"]}
    assert [t["name"] for t in body["teams"]] == ["Lead", "A", "B", "C", "D"]
    assert teams[w["a"]["id"]]["assessed"] == 2 and teams[w["lead"]["id"]]["assessed"] == 0
    assert [t["team"] for t in body["teams"] if t["silo"]] == [w["c"]["id"]]
    assert body["edges"] == [
        {"a": w["a"]["id"], "b": w["b"]["id"], "shared": 1, "dependencies": 0},
        {"a": w["a"]["id"], "b": w["d"]["id"], "shared": 0, "dependencies": 1},
    ]


def test_silos_lists_the_silo_teams_with_their_assessed_nodes(client, teams_world):
    w = teams_world

    body = client.get("/api/v1/analysis/silos").get_json()

    assert body["items"] == [{"team": w["c"]["id"], "name": "C", "assessed": 1}]
    assert (body["total"], body["limit"], body["offset"]) == (1, 50, 0)
    assert client.get("/api/v1/analysis/silos?offset=1").get_json()["items"] == []


def test_a_team_sees_the_ground_it_shares(client, teams_world):
    w = teams_world

    body = client.get(f"/api/v1/teams/{w['a']['id']}/ground").get_json()

    assert (body["name"], body["assessed"], body["silo"]) == ("A", 2, False)
    assert [(i["name"], i["shared"], i["dependencies"]) for i in body["items"]] == [
        ("B", 1, 0),
        ("D", 0, 1),
    ]
    assert [n["title"] for n in body["items"][0]["nodes"]] == ["Meeting point"]


def test_ground_of_an_unknown_team_is_404(client):
    assert client.get("/api/v1/teams/987654/ground").status_code == 404


def test_a_private_strategy_joins_teams_in_the_counts_but_never_shows(app, client):
    a, b = f.team(client, "A"), f.team(client, "B")
    owner = f.person(client, "Owner", team_ids=[a["id"]])
    secret = f.node(
        client, "strategy", title="zq-secret", visibility="private", owner_id=owner["id"]
    )
    for team in (a, b):
        f.link(client, f.node(client, "goal", team_id=team["id"]), secret)
    viewer = client_as(app, make_token(app, "viewer"))

    ground = viewer.get(f"/api/v1/teams/{a['id']}/ground")
    graph = viewer.get("/api/v1/analysis/team-graph").get_json()

    assert ground.get_json()["items"][0]["shared"] == 1
    assert ground.get_json()["items"][0]["nodes"] == []
    assert "zq-secret" not in ground.get_data(as_text=True)
    assert graph["edges"][0]["shared"] == 1
    assert (
        client.get(f"/api/v1/teams/{a['id']}/ground").get_json()["items"][0]["nodes"][0]["title"]
        == "zq-secret"
    )


def test_hidden_needs_and_servers_are_redacted_in_market_answers(app, client):
    owner = f.person(client, "Owner")
    vision = f.node(client, "vision", title="zq-vision", visibility="private", owner_id=owner["id"])
    hidden_need = need(client, title="zq-need", visibility="private", owner_id=owner["id"])
    public_need = need(client, title="Open")
    f.link(client, vision, public_need, "serves")
    viewer = client_as(app, make_token(app, "viewer"))

    response = viewer.get("/api/v1/analysis/market")

    body = response.get_json()
    assert "zq-" not in response.get_data(as_text=True)
    assert body["unserved"] == [{"id": hidden_need["id"], "kind": "need", "redacted": True}]
    assert body["one_sided"] == [{"id": vision["id"], "kind": "vision", "redacted": True}]
    assert body["needs"][1] == {"node": body["needs"][1]["node"], "served_by": [], "work": 0}


def test_health_counts_silos_unanchored_visions_and_unserved_needs(
    client, teams_world, market_world
):
    w = teams_world

    body = client.get("/api/v1/analysis/health").get_json()
    team_c = client.get(f"/api/v1/analysis/health?team_id={w['c']['id']}").get_json()

    # silos: C, and Cars (the market world's one team); the teams world's vision and the
    # market world's bare vision serve no need
    assert (body["silos"], body["unanchored_visions"], body["unserved_needs"]) == (2, 2, 1)
    assert team_c["silos"] == 1 and team_c["unanchored_visions"] == 0
