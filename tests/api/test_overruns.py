"""Overruns through the API (DOMAIN.md 14): budget, spent, done_at and /analysis/overruns."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from tests.conftest import client_as, make_token

TODAY = dt.date(2026, 6, 15)
PAST, FUTURE = "2026-06-01", "2026-07-01"


@pytest.fixture
def today(app):
    app.config["TODAY"] = lambda: TODAY
    return TODAY


def test_budget_and_spent_are_set_read_and_audited(client):
    work = f.node(client, "work", budget=1200.5, spent=0)

    read = client.get(f"/api/v1/nodes/{work['id']}").get_json()
    client.patch(f"/api/v1/nodes/{work['id']}", json={"spent": 1300})

    assert (read["budget"], read["spent"]) == (1200.5, 0)
    events = client.get(f"/api/v1/audit?entity_id={work['id']}&entity_type=node").get_json()
    update = next(e for e in events["items"] if e["action"] == "update")
    assert (update["before"]["spent"], update["after"]["spent"]) == (0, 1300)


@pytest.mark.parametrize("value", [-1, 1e16, "12", True, float("inf")])
def test_a_bad_amount_is_refused(client, value):
    response = client.post(
        "/api/v1/nodes",
        data=f'{{"kind": "work", "title": "W", "budget": {_json(value)}}}',
        content_type="application/json",
    )

    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def _json(value):
    import json

    return "1e999" if value == float("inf") else json.dumps(value)


def test_done_at_is_set_when_done_kept_while_done_and_cleared_after(client):
    work = f.node(client, "work")
    assert work["done_at"] is None

    done = client.patch(f"/api/v1/nodes/{work['id']}", json={"status": "done"}).get_json()
    renamed = client.patch(f"/api/v1/nodes/{work['id']}", json={"title": "W2"}).get_json()
    reopened = client.patch(f"/api/v1/nodes/{work['id']}", json={"status": "active"}).get_json()

    assert done["done_at"] is not None
    assert renamed["done_at"] == done["done_at"]
    assert reopened["done_at"] is None
    assert f.node(client, "work", status="done")["done_at"] is not None


def test_done_at_is_read_only_over_the_api(client):
    work = f.node(client, "work", status="done")

    response = client.patch(f"/api/v1/nodes/{work['id']}", json={"done_at": "2020-01-01T00:00:00Z"})

    assert response.status_code == 422
    assert "done_at" in response.get_json()["errors"]


def test_an_import_may_give_done_at_and_is_idempotent_without_it(client):
    given = {"ref": "w1", "kind": "work", "title": "W", "status": "done"}
    given["done_at"] = "2026-03-04T05:06:07Z"
    kept = {"ref": "w2", "kind": "work", "title": "X", "status": "done", "budget": 5, "spent": 7}

    first = client.post("/api/v1/import", json={"nodes": [given, kept]})
    stamp = client.get("/api/v1/nodes/by-ref/w2").get_json()["done_at"]
    again = client.post("/api/v1/import", json={"nodes": [given, {**kept}]}).get_json()

    assert first.status_code == 200
    assert (
        client.get("/api/v1/nodes/by-ref/w1")
        .get_json()["done_at"]
        .startswith("2026-03-04T05:06:07")
    )
    assert stamp is not None
    assert again["counts"]["nodes"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert client.get("/api/v1/nodes/by-ref/w2").get_json()["done_at"] == stamp


def test_an_import_refuses_done_at_on_a_node_not_done(client):
    node = {"ref": "w", "kind": "work", "title": "W", "done_at": "2026-03-04T05:06:07Z"}

    report = client.post("/api/v1/import", json={"nodes": [node]}).get_json()

    assert [v["code"] for v in report["violations"]] == ["done_at_not_done"]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def _goal_with_work(client, dues, **fields):
    goal = f.node(client, "goal", **fields)
    items = [f.node(client, "work", due_date=due) for due in dues]
    for item in items:
        f.link(client, item, goal)
    return goal, items


def test_overruns_count_late_work_against_the_injected_day(client, today):
    goal, items = _goal_with_work(client, [PAST, PAST, FUTURE])

    body = client.get("/api/v1/analysis/overruns").get_json()

    assert body["today"] == TODAY.isoformat()
    entry = body["items"][0]
    assert entry["node"]["id"] == goal["id"]
    assert (entry["dated_work"], entry["late"], entry["hotspot"]) == (3, 2, True)
    assert entry["late_share"] == pytest.approx(2 / 3)
    assert entry["late_work"] == [items[0]["id"], items[1]["id"]]


def test_overruns_filter_by_hotspots_kind_and_team(client, today):
    team = f.team(client, "Ops")
    hot, _ = _goal_with_work(client, [PAST, PAST, PAST], team_id=team["id"])
    calm, _ = _goal_with_work(client, [FUTURE])

    def ids(query=""):
        answer = client.get(f"/api/v1/analysis/overruns?{query}").get_json()
        return [entry["node"]["id"] for entry in answer["items"]]

    assert ids() == [hot["id"], calm["id"]]
    assert ids("hotspots_only=true") == [hot["id"]]
    assert ids(f"team_id={team['id']}") == [hot["id"]]
    assert ids("kind=strategy") == []
    assert client.get("/api/v1/analysis/overruns?kind=work").status_code == 422


def test_hidden_late_work_is_left_out_and_hidden_nodes_redacted(app, client, today):
    goal = f.node(client, "goal", title="Secret goal", visibility="private")
    shown = f.node(client, "work", due_date=PAST)
    hidden = f.node(client, "work", due_date=PAST, visibility="private", title="Secret work")
    f.link(client, shown, goal)
    f.link(client, hidden, goal)
    viewer = client_as(app, make_token(app, "viewer"))

    answer = viewer.get("/api/v1/analysis/overruns")
    entry = answer.get_json()["items"][0]

    assert entry["node"]["redacted"] is True
    assert entry["late_work"] == [shown["id"]] and entry["late"] == 2
    assert "Secret" not in answer.get_data(as_text=True)


def test_health_counts_late_work_and_hotspots(client, today):
    team = f.team(client, "Ops")
    _goal_with_work(client, [PAST, PAST, FUTURE], team_id=team["id"])
    done_late = f.node(client, "work", due_date="2020-01-01", status="done")

    health = client.get("/api/v1/analysis/health").get_json()

    assert (health["late_work"], health["overrun_hotspots"]) == (3, 1)
    assert health["teams"][0]["overrun_hotspots"] == 1
    assert done_late["done_at"] is not None
