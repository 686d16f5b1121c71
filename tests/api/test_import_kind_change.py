"""An import that changes a stored node's kind is held to the rules its stored links follow."""

from __future__ import annotations

import pytest

from tests import factories


def _chain(client):
    document = {
        "nodes": [
            {"ref": "m", "kind": "mission", "title": "M"},
            {"ref": "v", "kind": "vision", "title": "V"},
            {"ref": "s", "kind": "strategy", "title": "S"},
            {"ref": "g", "kind": "goal", "title": "G"},
        ],
        "links": [
            {"source": "v", "target": "m"},
            {"source": "s", "target": "v"},
            {"source": "g", "target": "s"},
        ],
    }
    assert client.post("/api/v1/import", json=document).status_code == 200


def _kinds(client):
    return {n["ref"]: n["kind"] for n in client.get("/api/v1/nodes").get_json()["items"]}


def test_the_issue_example_is_refused_with_the_codes_of_the_api(client):
    _chain(client)
    before = _kinds(client)

    response = client.post(
        "/api/v1/import",
        json={
            "nodes": [
                {"ref": "g", "kind": "mission", "title": "G"},
                {"ref": "s", "kind": "work", "title": "S"},
            ]
        },
    )

    assert response.status_code == 422
    violations = [(v["code"], v["refs"]) for v in response.get_json()["violations"]]
    assert violations == [("mission_parent", ["g", "s"])]  # a mission would support a work item
    assert _kinds(client) == before


@pytest.mark.parametrize(
    ("ref", "kind", "code"),
    [("g", "mission", "mission_parent"), ("s", "work", "level"), ("v", "goal", "level")],
)
def test_each_kind_change_gets_the_same_code_from_the_api_and_the_import(client, ref, kind, code):
    _chain(client)
    node = client.get(f"/api/v1/nodes/by-ref/{ref}").get_json()

    api = client.patch(f"/api/v1/nodes/{node['id']}", json={"kind": kind})
    dry_run = client.post(
        "/api/v1/import?dry_run=true",
        json={"nodes": [{"ref": ref, "kind": kind, "title": node["title"]}]},
    ).get_json()

    assert api.status_code == 422
    assert api.get_json()["code"] == code
    assert dry_run["valid"] is False
    assert code in [v["code"] for v in dry_run["violations"]]


def test_a_kind_change_that_keeps_every_link_valid_is_applied(client):
    _chain(client)

    response = client.post(
        "/api/v1/import", json={"nodes": [{"ref": "g", "kind": "work", "title": "G"}]}
    )

    assert response.status_code == 200, response.get_json()
    assert _kinds(client)["g"] == "work"


def test_a_link_to_a_node_without_a_ref_is_checked_too(client):
    _chain(client)
    vision = client.get("/api/v1/nodes/by-ref/v").get_json()
    unnamed = factories.node(client, "strategy")  # no ref: the import cannot name it
    factories.link(client, unnamed, vision)

    response = client.post(
        "/api/v1/import", json={"nodes": [{"ref": "v", "kind": "goal", "title": "V"}]}
    )

    assert response.status_code == 422
    refs = [v["refs"] for v in response.get_json()["violations"] if v["code"] == "level"]
    assert [f"#{unnamed['id']}", "v"] in refs


def test_a_goal_with_key_results_stays_a_goal_on_both_paths(client):
    _chain(client)
    goal = client.get("/api/v1/nodes/by-ref/g").get_json()
    factories.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="m.x",
        direction="increase",
        start_value=0,
        target_value=1,
    )

    api = client.patch(f"/api/v1/nodes/{goal['id']}", json={"kind": "strategy"})
    imported = client.post(
        "/api/v1/import", json={"nodes": [{"ref": "g", "kind": "strategy", "title": "G"}]}
    )

    assert api.status_code == 422
    assert api.get_json()["code"] == "key_results_on_goals_only"
    assert imported.status_code == 422
    assert [v["code"] for v in imported.get_json()["violations"]] == ["key_results_on_goals_only"]


def test_a_team_loop_through_stored_teams_is_refused(client):
    teams = {"teams": [{"ref": "a", "name": "A"}, {"ref": "b", "name": "B", "parent": "a"}]}
    assert client.post("/api/v1/import", json=teams).status_code == 200

    response = client.post(
        "/api/v1/import", json={"teams": [{"ref": "a", "name": "A", "parent": "b"}]}
    )

    assert response.status_code == 422
    assert [(v["code"], v["refs"]) for v in response.get_json()["violations"]] == [
        ("cycle", ["a", "b"])
    ]
