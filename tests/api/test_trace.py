"""Trace queries through the API: up, down, common ground, people and teams, impact."""

from __future__ import annotations

import pytest

from tests import factories as f


@pytest.fixture
def company(client):
    """mission <- vision <- strategy <- goal <- work, plus a second goal sharing the strategy."""
    team = f.team(client, "Growth")
    ada = f.person(client, "Ada", team_ids=[team["id"]])
    mission, vision, strategy, goal, work = f.chain(
        client, "mission", "vision", "strategy", "goal", "work", team_id=team["id"]
    )
    other_goal = f.node(client, "goal", team_id=team["id"], owner_id=ada["id"])
    f.link(client, other_goal, strategy)
    other_work = f.node(client, "work", owner_id=ada["id"], team_id=team["id"])
    f.link(client, other_work, other_goal)
    lonely = f.node(client, "work", owner_id=ada["id"], team_id=team["id"])
    return {
        "team": team,
        "ada": ada,
        "mission": mission,
        "vision": vision,
        "strategy": strategy,
        "goal": goal,
        "work": work,
        "other_goal": other_goal,
        "other_work": other_work,
        "lonely": lonely,
    }


def ids(*nodes):
    return [n["id"] for n in nodes]


def test_trace_up_gives_ancestors_paths_and_alignment(client, company):
    c = company

    body = client.get(f"/api/v1/nodes/{c['work']['id']}/trace/up").get_json()

    assert body["node"]["id"] == c["work"]["id"]
    assert body["aligned"] is True and body["reason"] is None
    assert body["paths"] == [ids(c["work"], c["goal"], c["strategy"], c["vision"], c["mission"])]
    assert body["truncated"] is False
    assert {n["id"] for n in body["nodes"]} == set(
        ids(c["work"], c["goal"], c["strategy"], c["vision"], c["mission"])
    )
    assert [c["work"]["id"], c["goal"]["id"]] in body["edges"]
    assert {"id", "kind", "title", "status"} <= set(body["nodes"][0])


def test_trace_up_of_an_orphan_says_why(client, company):
    body = client.get(f"/api/v1/nodes/{company['lonely']['id']}/trace/up").get_json()

    assert (body["aligned"], body["reason"], body["paths"]) == (False, "unlinked", [])


def test_trace_up_caps_paths_and_says_truncated(client):
    mission = f.node(client, "mission")
    layer = [mission]
    for _ in range(4):
        nxt = [f.node(client, "strategy") for _ in range(2)]
        for child in nxt:
            for parent in layer:
                f.link(client, child, parent)
        layer = nxt

    body = client.get(f"/api/v1/nodes/{layer[0]['id']}/trace/up?max_paths=3").get_json()

    assert len(body["paths"]) == 3 and body["truncated"] is True


@pytest.mark.parametrize("query", ["max_paths=0", "max_paths=1001", "max_paths=x", "depth=2"])
def test_trace_up_refuses_bad_parameters(client, company, query):
    response = client.get(f"/api/v1/nodes/{company['work']['id']}/trace/up?{query}")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_trace_down_counts_descendants_and_honours_depth(client, company):
    c = company
    url = f"/api/v1/nodes/{c['strategy']['id']}/trace/down"

    everything = client.get(url).get_json()
    one_level = client.get(url + "?depth=1").get_json()

    assert everything["counts"]["total"] == 4
    assert everything["counts"]["by_kind"]["work"] == 2
    assert one_level["counts"]["total"] == 2
    assert {n["id"] for n in one_level["nodes"]} == set(
        ids(c["strategy"], c["goal"], c["other_goal"])
    )
    assert "progress" in everything["nodes"][0]


def test_common_ground_is_where_two_chains_meet(client, company):
    c = company

    body = client.get(
        f"/api/v1/trace/common?a={c['work']['id']}&b={c['other_work']['id']}"
    ).get_json()

    assert ids(*body["lowest_common_ancestors"]) == [c["strategy"]["id"]]


def test_common_ground_needs_both_nodes(client, company):
    response = client.get(f"/api/v1/trace/common?a={company['work']['id']}")

    assert response.status_code == 422
    assert "b" in response.get_json()["errors"]


def test_person_alignment_lists_their_live_nodes(client, company):
    c = company

    body = client.get(f"/api/v1/people/{c['ada']['id']}/alignment").get_json()

    by_id = {item["node"]["id"]: item for item in body["items"]}
    assert set(by_id) == set(ids(c["other_goal"], c["other_work"], c["lonely"]))
    assert by_id[c["other_work"]["id"]]["path"] == ids(
        c["other_work"], c["other_goal"], c["strategy"], c["vision"], c["mission"]
    )
    assert (by_id[c["lonely"]["id"]]["aligned"], by_id[c["lonely"]["id"]]["reason"]) == (
        False,
        "unlinked",
    )
    assert body["aligned_ratio"] == pytest.approx(2 / 3)


def test_team_alignment_leaves_standalone_out_of_the_ratio(client, company):
    c = company
    f.node(client, team_id=c["team"]["id"], standalone=True, standalone_reason="on-call")

    body = client.get(f"/api/v1/teams/{c['team']['id']}/alignment").get_json()

    assert body["total"] == 9
    assert body["aligned_ratio"] == pytest.approx(7 / 8)


def test_impact_lists_touched_and_orphaned_nodes(client, company):
    c = company

    body = client.get(f"/api/v1/nodes/{c['goal']['id']}/impact").get_json()

    assert body == {"touches": [c["work"]["id"]], "would_orphan": [c["work"]["id"]]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nodes/999999/trace/up",
        "/api/v1/nodes/999999/trace/down",
        "/api/v1/nodes/999999/impact",
        "/api/v1/people/999999/alignment",
        "/api/v1/teams/999999/alignment",
    ],
)
def test_unknown_ids_are_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_common_ground_with_unknown_node_is_404(client, company):
    response = client.get(f"/api/v1/trace/common?a={company['work']['id']}&b=999999")

    assert response.status_code == 404


def test_a_write_is_traced_by_the_very_next_request(client, company):
    c = company
    before = client.get(f"/api/v1/nodes/{c['lonely']['id']}/trace/up").get_json()
    f.link(client, c["lonely"], c["goal"])

    after = client.get(f"/api/v1/nodes/{c['lonely']['id']}/trace/up").get_json()

    assert before["aligned"] is False and after["aligned"] is True


def test_a_rename_shows_in_the_very_next_trace(client, company):
    c = company
    path = f"/api/v1/nodes/{c['work']['id']}/trace/up"
    assert client.get(path).status_code == 200  # the graph is built before the rename
    renamed = client.patch(f"/api/v1/nodes/{c['goal']['id']}", json={"title": "Grow twice"})
    assert renamed.status_code == 200

    titles = {n["id"]: n["title"] for n in client.get(path).get_json()["nodes"]}

    assert titles[c["goal"]["id"]] == "Grow twice"
    assert titles[c["mission"]["id"]] == c["mission"]["title"]


def _import(client, nodes, links):
    response = client.post("/api/v1/import", json={"nodes": nodes, "links": links})
    assert response.status_code == 200, response.get_json()


def test_a_lattice_of_2_to_the_40_paths_answers_at_once_truncated(client):
    nodes = [{"ref": "m", "kind": "mission", "title": "m"}]
    links, above = [], ["m"]
    for layer in range(40):
        row = [f"{layer}-{i}" for i in range(2)]
        nodes += [{"ref": ref, "kind": "strategy", "title": ref} for ref in row]
        links += [{"source": child, "target": parent} for child in row for parent in above]
        above = row
    _import(client, nodes, links)
    bottom = client.get("/api/v1/nodes/by-ref/39-0").get_json()["id"]

    body = client.get(f"/api/v1/nodes/{bottom}/trace/up?max_paths=1000").get_json()

    assert body["truncated"] is True
    assert len(body["paths"]) == 1000
    assert all(len(path) == 41 for path in body["paths"])


@pytest.mark.slow
def test_a_chain_of_20000_work_items_traces_and_analyses(client):
    nodes = [{"ref": "m", "kind": "mission", "title": "m"}]
    nodes += [{"ref": f"w{i}", "kind": "work", "title": f"w{i}"} for i in range(20_000)]
    links = [{"source": "w0", "target": "m"}]
    links += [{"source": f"w{i}", "target": f"w{i - 1}"} for i in range(1, 20_000)]
    _import(client, nodes, links)
    last = client.get("/api/v1/nodes/by-ref/w19999").get_json()

    up = client.get(f"/api/v1/nodes/{last['id']}/trace/up").get_json()
    down = client.get("/api/v1/nodes/by-ref/m").get_json()
    below = client.get(f"/api/v1/nodes/{down['id']}/trace/down?depth=3").get_json()

    assert up["aligned"] is True and len(up["paths"][0]) == 20_001
    assert below["counts"]["total"] == 3
    assert last["progress"] == 0.0
    assert client.get("/api/v1/analysis/orphans").get_json()["total"] == 0
    assert client.get("/api/v1/analysis/health").get_json()["counts"]["total"] == 20_001
    impact = client.get(f"/api/v1/nodes/{down['id']}/impact").get_json()
    assert len(impact["would_orphan"]) == 20_000
