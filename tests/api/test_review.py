"""Change review: a parent's change makes its children's links suspect until reviewed."""

from __future__ import annotations

import pytest

from tests import factories as f


@pytest.fixture
def tree(client):
    owner = f.person(client, "Ben")
    mission, vision = f.chain(client, "mission", "vision")
    strategies = [f.node(client, "strategy", owner_id=owner["id"]) for _ in range(2)]
    links = [f.link(client, s, vision) for s in strategies]
    goal = f.node(client, "goal")
    f.link(client, goal, strategies[0])
    return {
        "owner": owner,
        "vision": vision,
        "strategies": strategies,
        "links": links,
        "goal": goal,
    }


def _suspects(client, query=""):
    return client.get(f"/api/v1/analysis/suspect-links{query}").get_json()


def test_editing_a_vision_title_makes_direct_children_suspect_only(client, tree):
    client.patch(f"/api/v1/nodes/{tree['vision']['id']}", json={"title": "A sharper vision"})

    body = _suspects(client)

    assert sorted(item["link"]["id"] for item in body["items"]) == sorted(
        link["id"] for link in tree["links"]
    )
    item = body["items"][0]
    assert item["changes"] == {"title": [tree["vision"]["title"], "A sharper vision"]}
    assert item["target"]["id"] == tree["vision"]["id"]
    assert item["link"]["suspect"] is True


def test_review_clears_exactly_one_link_and_records_who_and_when(client, tree):
    client.patch(f"/api/v1/nodes/{tree['vision']['id']}", json={"description": "Now measured"})
    first = tree["links"][0]["id"]

    response = client.post(
        f"/api/v1/links/{first}/review",
        json={"restatement": "Our strategy still gets families there."},
    )

    assert response.status_code == 200
    reviewed = response.get_json()
    assert reviewed["suspect"] is False
    assert reviewed["reviewed_by"].startswith("token:") and reviewed["reviewed_at"]
    assert reviewed["restatement"] == "Our strategy still gets families there."
    assert [item["link"]["id"] for item in _suspects(client)["items"]] == [tree["links"][1]["id"]]


def test_status_change_alone_makes_nothing_suspect(client, tree):
    client.patch(f"/api/v1/nodes/{tree['vision']['id']}", json={"status": "done"})

    assert _suspects(client)["total"] == 0


def test_review_needs_a_restatement(client, tree):
    url = f"/api/v1/links/{tree['links'][0]['id']}/review"

    assert client.post(url, json={}).status_code == 422
    assert client.post(url, json={"restatement": ""}).status_code == 422


def test_suspect_links_filter_by_owner_and_team(client, tree):
    client.patch(f"/api/v1/nodes/{tree['vision']['id']}", json={"title": "Changed"})

    assert _suspects(client, f"?owner_id={tree['owner']['id']}")["total"] == 2
    assert _suspects(client, "?owner_id=999999")["total"] == 0
    assert _suspects(client, "?team_id=999999")["total"] == 0


def test_suspect_links_count_in_health(client, tree):
    client.patch(f"/api/v1/nodes/{tree['vision']['id']}", json={"title": "Changed"})

    assert client.get("/api/v1/analysis/health").get_json()["suspect_links"] == 2
