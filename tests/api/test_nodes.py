"""Nodes: create, read, list, change, upsert by ref, delete."""

from __future__ import annotations

import pytest

from tests import factories as f


def test_create_node_returns_it_with_defaults_and_etag(client):
    response = client.post("/api/v1/nodes", json={"kind": "goal", "title": "Grow revenue"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "goal" and body["title"] == "Grow revenue"
    assert body["status"] == "active" and body["visibility"] == "public"
    assert body["standalone"] is False
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_get_node_answers_what_was_created(client):
    created = f.node(client, "vision", "Be everywhere", description="Long text")

    response = client.get(f"/api/v1/nodes/{created['id']}")

    assert response.status_code == 200
    assert response.get_json()["description"] == "Long text"
    assert response.headers["ETag"] == f'"{created["version"]}"'


def test_node_references_must_exist(client):
    response = client.post("/api/v1/nodes", json={"kind": "work", "title": "x", "owner_id": 999})

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "unknown_reference"
    assert "owner_id" in body["errors"]


def test_node_fields_of_domain_section_one_round_trip(client):
    team = f.team(client, "Growth")
    owner = f.person(client, "Ada", team_ids=[team["id"]])
    period = f.period(client)
    fields = {
        "kind": "work",
        "title": "Ship it",
        "description": "d",
        "status": "draft",
        "owner_id": owner["id"],
        "team_id": team["id"],
        "period_id": period["id"],
        "ref": "JIRA-1",
        "url": "https://tracker.example/JIRA-1",
        "start_date": "2026-10-02",
        "due_date": "2026-11-01",
        "standalone": True,
        "standalone_reason": "on-call",
        "visibility": "team",
        "reported_progress": 0.25,
    }

    created = f.create(client, "nodes", **fields)

    assert {key: created[key] for key in fields} == fields


def test_standalone_needs_a_reason(client):
    response = client.post("/api/v1/nodes", json={"kind": "work", "title": "x", "standalone": True})

    assert response.status_code == 422
    assert response.get_json()["code"] == "standalone_reason_required"


def test_due_date_before_start_date_is_refused(client):
    response = client.post(
        "/api/v1/nodes",
        json={"kind": "work", "title": "x", "start_date": "2026-05-02", "due_date": "2026-05-01"},
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == "date_order"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=goal", ["g1", "g2"]),
        ("status=draft", ["g2"]),
        ("q=ROUTE", ["w route"]),
        ("q=100%25", []),
        ("kind=work&status=active", ["w route"]),
    ],
)
def test_list_filters_nodes(client, query, expected):
    f.node(client, "goal", "g1")
    f.node(client, "goal", "g2", status="draft")
    f.node(client, "work", "w route")

    body = client.get(f"/api/v1/nodes?{query}").get_json()

    assert [item["title"] for item in body["items"]] == expected
    assert body["total"] == len(expected)


def test_list_filters_by_team_owner_and_period(client):
    team = f.team(client)
    owner = f.person(client)
    period = f.period(client)
    mine = f.node(client, team_id=team["id"], owner_id=owner["id"], period_id=period["id"])
    f.node(client)

    for name, value in (("team_id", team), ("owner_id", owner), ("period_id", period)):
        body = client.get(f"/api/v1/nodes?{name}={value['id']}").get_json()
        assert [item["id"] for item in body["items"]] == [mine["id"]]


def test_list_pages_with_limit_and_offset(client):
    made = [f.node(client)["id"] for _ in range(5)]

    body = client.get("/api/v1/nodes?limit=2&offset=2").get_json()

    assert [item["id"] for item in body["items"]] == made[2:4]
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 2)


def test_list_limit_defaults_to_50(client):
    assert client.get("/api/v1/nodes").get_json()["limit"] == 50


@pytest.mark.parametrize("query", ["limit=1001", "limit=0", "offset=-1", "kind=team", "nope=1"])
def test_list_refuses_bad_parameters(client, query):
    response = client.get(f"/api/v1/nodes?{query}")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_patch_changes_only_given_fields(client):
    created = f.node(client, "goal", "Old", description="keep")

    response = client.patch(f"/api/v1/nodes/{created['id']}", json={"title": "New"})

    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["description"]) == ("New", "keep")
    assert body["version"] == created["version"] + 1


def test_patch_with_stale_if_match_is_refused_and_changes_nothing(client):
    created = f.node(client, "goal", "Old")
    stale = f'"{created["version"]}"'
    client.patch(
        f"/api/v1/nodes/{created['id']}", json={"title": "First"}, headers={"If-Match": stale}
    )

    response = client.patch(
        f"/api/v1/nodes/{created['id']}", json={"title": "Second"}, headers={"If-Match": stale}
    )

    assert response.status_code == 412
    assert response.get_json()["code"] == "precondition_failed"
    assert client.get(f"/api/v1/nodes/{created['id']}").get_json()["title"] == "First"


def test_delete_with_stale_if_match_is_refused(client):
    created = f.node(client)
    client.patch(f"/api/v1/nodes/{created['id']}", json={"title": "changed"})

    response = client.delete(f"/api/v1/nodes/{created['id']}", headers={"If-Match": '"1"'})

    assert response.status_code == 412
    assert client.get(f"/api/v1/nodes/{created['id']}").status_code == 200


def test_patch_kind_that_breaks_a_link_is_refused(client):
    goal, work = f.chain(client, "goal", "work")

    response = client.patch(f"/api/v1/nodes/{goal['id']}", json={"kind": "work"})
    assert response.status_code == 200  # work supports work: same level is fine

    response = client.patch(f"/api/v1/nodes/{work['id']}", json={"kind": "vision"})
    assert response.status_code == 422
    assert response.get_json()["code"] == "level"


def test_delete_supported_node_answers_409_with_supporters(client):
    goal = f.node(client, "goal")
    works = [f.node(client) for _ in range(2)]
    for work in works:
        f.link(client, work, goal)

    response = client.delete(f"/api/v1/nodes/{goal['id']}")

    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "has_supporters"
    assert body["node_ids"] == sorted(w["id"] for w in works)
    assert client.get(f"/api/v1/nodes/{goal['id']}").status_code == 200


def test_delete_with_detach_removes_the_node_and_its_links(client):
    goal = f.node(client, "goal")
    work = f.node(client)
    made = f.link(client, work, goal)

    response = client.delete(f"/api/v1/nodes/{goal['id']}?detach=true")

    assert response.status_code == 204
    assert client.get(f"/api/v1/nodes/{goal['id']}").status_code == 404
    assert client.get(f"/api/v1/links/{made['id']}").status_code == 404
    assert client.get(f"/api/v1/nodes/{work['id']}").status_code == 200


def test_delete_unsupported_node_removes_its_own_links(client):
    goal, work = f.chain(client, "goal", "work")

    assert client.delete(f"/api/v1/nodes/{work['id']}").status_code == 204
    assert client.get(f"/api/v1/links?node_id={goal['id']}").get_json()["total"] == 0


def test_put_by_ref_creates_then_updates_one_node(client):
    body = {"kind": "work", "title": "Synced from the tracker"}

    first = client.put("/api/v1/nodes/by-ref/PROJ-7", json=body)
    second = client.put("/api/v1/nodes/by-ref/PROJ-7", json=body)

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.get_json()["version"] == first.get_json()["version"]
    assert client.get("/api/v1/nodes?ref=PROJ-7").get_json()["total"] == 1


def test_put_by_ref_updates_fields(client):
    client.put("/api/v1/nodes/by-ref/PROJ-8", json={"kind": "work", "title": "One"})

    response = client.put("/api/v1/nodes/by-ref/PROJ-8", json={"kind": "work", "title": "Two"})

    assert response.get_json()["title"] == "Two"
    assert client.get("/api/v1/nodes/by-ref/PROJ-8").get_json()["title"] == "Two"


def test_ref_is_unique(client):
    f.node(client, ref="R-1")

    response = client.post("/api/v1/nodes", json={"kind": "work", "title": "x", "ref": "R-1"})

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate_ref"


def test_unknown_node_is_404(client):
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)("/api/v1/nodes/424242", json={"title": "x"})
        assert response.status_code == 404
        assert response.get_json()["code"] == "not_found"


def test_put_by_ref_refuses_an_overlong_ref(client):
    response = client.put("/api/v1/nodes/by-ref/" + "r" * 201, json={"kind": "work", "title": "x"})

    assert response.status_code == 422
    assert "ref" in response.get_json()["errors"]
