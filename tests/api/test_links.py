"""Link rules of DOMAIN.md section 2, each with its stable code."""

from __future__ import annotations

import pytest

from tests import factories as f


def _post(client, source, target, type="supports"):
    return client.post(
        "/api/v1/links", json={"type": type, "source_id": source["id"], "target_id": target["id"]}
    )


def test_supports_link_is_created_with_defaults(client):
    goal, work = f.node(client, "goal"), f.node(client)

    response = _post(client, work, goal)

    assert response.status_code == 201
    body = response.get_json()
    assert (body["type"], body["weight"], body["suspect"]) == ("supports", 1.0, False)


def test_cycle_is_refused_with_the_cycle(client):
    a, b, c = (f.node(client, "strategy") for _ in range(3))
    f.link(client, a, b)
    f.link(client, b, c)

    response = _post(client, c, a)

    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "cycle"
    assert body["cycle"] == [c["id"], a["id"], b["id"], c["id"]]


def test_level_rule_refuses_a_more_specific_parent(client):
    goal, work = f.node(client, "goal"), f.node(client, "work")

    response = _post(client, goal, work)

    assert response.status_code == 422
    assert response.get_json()["code"] == "level"


def test_mission_supports_nothing(client):
    mission, other = f.node(client, "mission"), f.node(client, "mission")

    response = _post(client, mission, other)

    assert response.status_code == 422
    assert response.get_json()["code"] == "mission_parent"


@pytest.mark.parametrize("type", ["supports", "depends_on", "conflicts_with"])
def test_self_link_is_refused(client, type):
    node = f.node(client, "goal")

    response = _post(client, node, node, type)

    assert response.status_code == 422
    assert response.get_json()["code"] == "self_link"


@pytest.mark.parametrize("type", ["supports", "depends_on"])
def test_duplicate_link_is_refused(client, type):
    goal, work = f.node(client, "goal"), f.node(client)
    _post(client, work, goal, type)

    response = _post(client, work, goal, type)

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate"


def test_conflicts_with_is_one_per_unordered_pair(client):
    a, b = f.node(client, "goal"), f.node(client, "goal")
    assert _post(client, a, b, "conflicts_with").status_code == 201

    response = _post(client, b, a, "conflicts_with")

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate"


def test_depends_on_ignores_levels(client):
    work, goal = f.node(client), f.node(client, "goal")

    assert _post(client, goal, work, "depends_on").status_code == 201


def test_many_to_many_supports_is_normal(client):
    g1, g2, work = f.node(client, "goal"), f.node(client, "goal"), f.node(client)

    assert _post(client, work, g1).status_code == 201
    assert _post(client, work, g2).status_code == 201


def test_link_to_unknown_node_is_422_naming_the_field(client):
    goal = f.node(client, "goal")

    response = client.post("/api/v1/links", json={"source_id": 99999, "target_id": goal["id"]})

    assert response.status_code == 422
    assert "source_id" in response.get_json()["errors"]


def test_link_weight_is_bounded(client):
    goal, work = f.node(client, "goal"), f.node(client)

    response = client.post(
        "/api/v1/links", json={"source_id": work["id"], "target_id": goal["id"], "weight": 1.5}
    )

    assert response.status_code == 422
    assert "weight" in response.get_json()["errors"]


def test_patch_link_changes_weight_and_rationale(client):
    made = f.link(client, f.node(client), f.node(client, "goal"))

    response = client.patch(
        f"/api/v1/links/{made['id']}", json={"weight": 0.5, "rationale": "half of it"}
    )

    assert response.status_code == 200
    assert (response.get_json()["weight"], response.get_json()["rationale"]) == (0.5, "half of it")


def test_patch_link_cannot_move_its_ends(client):
    made = f.link(client, f.node(client), f.node(client, "goal"))

    response = client.patch(f"/api/v1/links/{made['id']}", json={"target_id": 1})

    assert response.status_code == 422
    assert "target_id" in response.get_json()["errors"]


def test_list_links_filters(client):
    goal, w1, w2 = f.node(client, "goal"), f.node(client), f.node(client)
    f.link(client, w1, goal)
    f.link(client, w2, goal)
    f.link(client, w1, w2, "depends_on")

    def ids(query):
        return len(client.get(f"/api/v1/links?{query}").get_json()["items"])

    assert ids(f"target_id={goal['id']}") == 2
    assert ids("type=depends_on") == 1
    assert ids(f"node_id={w2['id']}") == 2
    assert ids(f"source_id={w1['id']}&type=supports") == 1


def test_delete_link(client):
    made = f.link(client, f.node(client), f.node(client, "goal"))

    assert client.delete(f"/api/v1/links/{made['id']}").status_code == 204
    assert client.get(f"/api/v1/links/{made['id']}").status_code == 404
