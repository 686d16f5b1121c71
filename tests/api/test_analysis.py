"""Orphans, unsupported nodes, conflicts and health through the API."""

from __future__ import annotations

import pytest

from tests import factories as f


def test_orphans_each_have_one_reason(client):
    mission, vision = f.chain(client, "mission", "vision")
    cancelled = f.node(client, "strategy", status="cancelled")
    f.link(client, cancelled, vision)
    under_cancelled = f.node(client, "goal")
    f.link(client, under_cancelled, cancelled)
    loose_strategy = f.node(client, "strategy")
    under_loose = f.node(client, "goal")
    f.link(client, under_loose, loose_strategy)
    unlinked = f.node(client, "work")
    f.node(client, "work", standalone=True, standalone_reason="lights on")

    body = client.get("/api/v1/analysis/orphans").get_json()

    found = {item["node"]["id"]: (item["reason"], item["root_causes"]) for item in body["items"]}
    assert found == {
        under_cancelled["id"]: ("inactive_path", [cancelled["id"]]),
        loose_strategy["id"]: ("unlinked", []),
        under_loose["id"]: ("broken_chain", [loose_strategy["id"]]),
        unlinked["id"]: ("unlinked", []),
    }


def test_without_a_live_mission_every_live_node_is_an_orphan(client):
    vision, strategy = f.chain(client, "vision", "strategy")

    body = client.get("/api/v1/analysis/orphans").get_json()

    assert {item["reason"] for item in body["items"]} == {"no_mission"}
    assert body["total"] == 2


@pytest.mark.parametrize(
    ("query", "expected"), [("kind=goal", 1), ("reason=unlinked", 2), ("kind=mission", 0)]
)
def test_orphans_filter(client, query, expected):
    f.node(client, "mission")
    strategy = f.node(client, "strategy")
    goal = f.node(client, "goal")
    f.link(client, goal, strategy)
    f.node(client, "work")

    assert client.get(f"/api/v1/analysis/orphans?{query}").get_json()["total"] == expected


def test_orphans_filter_by_team(client):
    team = f.team(client)
    f.node(client, "mission")
    mine = f.node(client, "work", team_id=team["id"])
    f.node(client, "work")

    body = client.get(f"/api/v1/analysis/orphans?team_id={team['id']}").get_json()

    assert [item["node"]["id"] for item in body["items"]] == [mine["id"]]


def test_orphans_refuse_unknown_reason(client):
    assert client.get("/api/v1/analysis/orphans?reason=lonely").status_code == 422


def test_unsupported_lists_hollow_strategies(client):
    mission, vision, strategy = f.chain(client, "mission", "vision", "strategy")
    busy = f.node(client, "strategy")
    f.link(client, busy, vision)
    f.link(client, f.node(client, "work"), busy)

    body = client.get("/api/v1/analysis/unsupported").get_json()

    assert [item["node"]["id"] for item in body["items"]] == [strategy["id"]]


def test_conflicts_of_each_type(client):
    q4 = f.period(client, "Q4", "2026-10-01", "2026-12-31")
    q1 = f.period(client, "Q1", "2027-01-01", "2027-03-31")
    mission = f.node(client, "mission")
    f.node(client, "mission")
    done_goal = f.node(client, "goal", status="done", period_id=q4["id"])
    f.link(client, done_goal, mission)
    late = f.node(client, "work", period_id=q1["id"])
    f.link(client, late, done_goal)
    a, b = f.node(client, "strategy"), f.node(client, "strategy")
    f.link(client, a, b, "conflicts_with")

    body = client.get("/api/v1/analysis/conflicts").get_json()

    types = sorted(item["type"] for item in body["items"])
    assert types == ["competing_missions", "declared", "period", "status"]
    only = client.get("/api/v1/analysis/conflicts?type=status").get_json()
    assert only["items"][0]["node_ids"] == [late["id"], done_goal["id"]]
    assert only["items"][0]["severity"] == "warning"
    violations = client.get("/api/v1/analysis/conflicts?severity=violation").get_json()
    assert [item["type"] for item in violations["items"]] == ["competing_missions"]


def test_health_summarises_overall_and_per_team(client):
    team = f.team(client)
    mission, vision = f.chain(client, "mission", "vision")
    aligned = f.node(client, "work", team_id=team["id"])
    f.link(client, aligned, vision)
    f.node(client, "work", team_id=team["id"])

    body = client.get("/api/v1/analysis/health").get_json()

    assert body["counts"]["total"] == 4
    assert body["work_aligned_ratio"] == 0.5
    assert body["orphans"]["by_reason"]["unlinked"] == 1
    assert body["teams"][0]["team_id"] == team["id"]
    assert body["teams"][0]["counts"]["total"] == 2
    own = client.get(f"/api/v1/analysis/health?team_id={team['id']}").get_json()
    assert own["orphans"]["total"] == 1 and own["team_id"] == team["id"]


def test_health_of_a_team_without_nodes_is_empty(client):
    team = f.team(client)

    body = client.get(f"/api/v1/analysis/health?team_id={team['id']}").get_json()

    assert body["counts"]["total"] == 0


def test_health_of_unknown_team_is_404(client):
    assert client.get("/api/v1/analysis/health?team_id=999999").status_code == 404
