"""The audit trail: every write appends an event; failed writes leave none."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f


def _events(client, query=""):
    return client.get(f"/api/v1/audit{query}").get_json()


def test_every_write_appends_an_event_with_before_and_after(client):
    node = f.node(client, "goal", title="Before")
    client.patch(f"/api/v1/nodes/{node['id']}", json={"title": "After"})
    client.delete(f"/api/v1/nodes/{node['id']}")

    body = _events(client, f"?entity_type=node&entity_id={node['id']}")

    assert [e["action"] for e in body["items"]] == ["delete", "update", "create"]
    delete, update, create = body["items"]
    assert create["before"] is None and create["after"]["title"] == "Before"
    assert (update["before"]["title"], update["after"]["title"]) == ("Before", "After")
    assert delete["after"] is None
    assert {"id", "at", "actor", "action", "entity_type", "entity_id", "before", "after"} <= set(
        create
    )
    assert create["actor"].startswith("token:")


@pytest.mark.parametrize(
    ("resource", "entity_type"),
    [("teams", "team"), ("people", "person"), ("periods", "period")],
)
def test_organisation_writes_are_audited(client, resource, entity_type):
    made = {
        "teams": lambda: f.team(client),
        "people": lambda: f.person(client),
        "periods": lambda: f.period(client),
    }[resource]()

    body = _events(client, f"?entity_type={entity_type}&entity_id={made['id']}")

    assert [e["action"] for e in body["items"]] == ["create"]


def test_links_key_results_check_ins_and_reviews_are_audited(client):
    goal, work = f.chain(client, "goal", "work")
    kr = client.post(
        f"/api/v1/nodes/{goal['id']}/key-results",
        json={"metric": "m", "direction": "increase", "start_value": 0, "target_value": 1},
    ).get_json()
    client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 0.5})
    link_id = client.get("/api/v1/links").get_json()["items"][0]["id"]
    client.post(f"/api/v1/links/{link_id}/review", json={"restatement": "yes"})

    types = {e["entity_type"] for e in _events(client, "?limit=1000")["items"]}
    actions = {e["action"] for e in _events(client, "?entity_type=link")["items"]}

    assert {"node", "link", "key_result", "check_in"} <= types
    assert {"create", "review"} <= actions


def test_a_failed_write_leaves_no_event(client):
    goal, work = f.node(client, "goal"), f.node(client)
    before = _events(client)["total"]

    client.post("/api/v1/links", json={"source_id": goal["id"], "target_id": work["id"]})
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"title": ""})

    assert _events(client)["total"] == before


def test_filters_work_alone_and_together(client):
    node = f.node(client)
    f.team(client)
    now = dt.datetime.now(dt.UTC)
    later = (now + dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    earlier = (now - dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")

    actor = _events(client, "?entity_type=team")["items"][0]["actor"]

    assert _events(client, "?entity_type=team")["total"] == 1
    assert _events(client, f"?entity_id={node['id']}&entity_type=node")["total"] == 1
    assert _events(client, f"?actor={actor}")["total"] == 2
    assert _events(client, "?actor=nobody")["total"] == 0
    assert _events(client, f"?since={earlier}")["total"] == 3  # with the test's own token
    assert _events(client, f"?since={later}")["total"] == 0
    assert _events(client, f"?until={earlier}")["total"] == 0
    assert _events(client, f"?since={earlier}&until={later}&entity_type=node")["total"] == 1


def test_bad_audit_filters_are_422(client):
    for query in ("?since=yesterday", "?entity_type=cat", "?limit=5000"):
        assert client.get(f"/api/v1/audit{query}").status_code == 422


def test_events_cannot_be_changed_or_deleted(client):
    assert client.delete("/api/v1/audit").status_code == 405
    assert client.post("/api/v1/audit", json={}).status_code == 405
