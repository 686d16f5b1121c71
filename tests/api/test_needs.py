"""Needs through the API: the node kind, its fields, serves links and their rules."""

from __future__ import annotations

import pytest

from tests import factories as f


def need(client, need_type="functional", **fields):
    return f.node(client, "need", need_type=need_type, **fields)


def test_a_need_is_created_listed_and_read_with_its_fields(client):
    safety = need(client, "psychological", title="Safety", segment="Families")
    f.node(client, "goal")

    listed = client.get("/api/v1/nodes?kind=need").get_json()

    assert listed["total"] == 1
    assert listed["items"][0]["segment"] == "Families"
    assert listed["items"][0]["need_type"] == "psychological"
    assert listed["items"][0]["progress"] is None
    assert client.get(f"/api/v1/nodes/{safety['id']}").get_json()["kind"] == "need"


def test_a_need_is_upserted_by_ref_and_audited(client):
    body = {"kind": "need", "title": "Reliability", "need_type": "functional"}

    first = client.put("/api/v1/nodes/by-ref/need-rel", json=body)
    second = client.put("/api/v1/nodes/by-ref/need-rel", json=body)

    assert (first.status_code, second.status_code) == (201, 200)
    events = client.get(f"/api/v1/audit?entity_id={first.get_json()['id']}").get_json()
    assert events["items"][0]["after"]["need_type"] == "functional"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kind": "need", "title": "N"}, "need_type_required", "need_type"),
        ({"kind": "need", "title": "N", "need_type": None}, "need_type_required", "need_type"),
        ({"kind": "goal", "title": "G", "segment": "Families"}, "need_fields", "segment"),
        ({"kind": "vision", "title": "V", "need_type": "functional"}, "need_fields", "need_type"),
    ],
)
def test_need_fields_belong_to_needs_only(client, body, code, field):
    response = client.post("/api/v1/nodes", json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    assert field in response.get_json()["errors"]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_an_unknown_need_type_is_refused_by_the_schema(client):
    response = client.post("/api/v1/nodes", json={"kind": "need", "title": "N", "need_type": "x"})

    assert response.status_code == 422
    assert "need_type" in response.get_json()["errors"]


@pytest.mark.parametrize("kind", ["vision", "strategy", "goal"])
def test_visions_strategies_and_goals_serve_needs(client, kind):
    source, target = f.node(client, kind), need(client)

    made = f.link(client, source, target, "serves")

    assert made["type"] == "serves" and made["suspect"] is False


@pytest.mark.parametrize(
    ("source", "target", "link_type", "code"),
    [
        ("work", "need", "serves", "serves_kind"),
        ("mission", "need", "serves", "serves_kind"),
        ("goal", "vision", "serves", "serves_kind"),
        ("need", "need", "serves", "serves_kind"),
        ("need", "vision", "supports", "need_link"),
        ("goal", "need", "supports", "need_link"),
        ("work", "need", "depends_on", "need_link"),
        ("need", "goal", "conflicts_with", "need_link"),
    ],
)
def test_links_that_break_the_need_rules_are_refused(client, source, target, link_type, code):
    ends = [need(client) if k == "need" else f.node(client, k) for k in (source, target)]

    response = client.post(
        "/api/v1/links",
        json={"type": link_type, "source_id": ends[0]["id"], "target_id": ends[1]["id"]},
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == code
    assert client.get("/api/v1/links").get_json()["total"] == 0


def test_a_second_serves_link_for_the_same_pair_is_a_duplicate(client):
    vision, market_need = f.node(client, "vision"), need(client)
    f.link(client, vision, market_need, "serves")

    response = client.post(
        "/api/v1/links",
        json={"type": "serves", "source_id": vision["id"], "target_id": market_need["id"]},
    )

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate"


def test_a_kind_change_must_keep_the_nodes_links_valid(client):
    vision, market_need = f.node(client, "vision"), need(client)
    f.link(client, vision, market_need, "serves")

    to_work = client.patch(f"/api/v1/nodes/{vision['id']}", json={"kind": "work"})
    to_vision = client.patch(
        f"/api/v1/nodes/{market_need['id']}", json={"kind": "vision", "need_type": None}
    )
    keeps_type = client.patch(f"/api/v1/nodes/{market_need['id']}", json={"kind": "goal"})

    assert to_work.status_code == 422 and to_work.get_json()["code"] == "serves_kind"
    assert to_vision.status_code == 422 and to_vision.get_json()["code"] == "serves_kind"
    assert keeps_type.get_json()["code"] == "need_fields"
    assert client.get(f"/api/v1/nodes/{vision['id']}").get_json()["kind"] == "vision"


def test_a_node_with_supports_links_cannot_become_a_need(client):
    goal, work = f.chain(client, "goal", "work")

    response = client.patch(
        f"/api/v1/nodes/{work['id']}", json={"kind": "need", "need_type": "functional"}
    )

    assert response.status_code == 422 and response.get_json()["code"] == "need_link"


def _import(client, document, query=""):
    return client.post(f"/api/v1/import{query}", json=document)


def test_the_import_takes_needs_and_serves_links(client):
    document = {
        "nodes": [
            {"ref": "v", "kind": "vision", "title": "V"},
            {
                "ref": "n",
                "kind": "need",
                "title": "Safety",
                "segment": "Families",
                "need_type": "psychological",
            },
        ],
        "links": [{"type": "serves", "source": "v", "target": "n"}],
    }

    first, again = _import(client, document), _import(client, document)

    assert first.status_code == 200, first.get_json()
    assert again.get_json()["counts"]["links"] == {"created": 0, "updated": 0, "unchanged": 1}
    stored = client.get("/api/v1/nodes?kind=need").get_json()["items"][0]
    assert (stored["segment"], stored["need_type"]) == ("Families", "psychological")


@pytest.mark.parametrize(
    ("nodes", "links", "code"),
    [
        ([{"ref": "n", "kind": "need", "title": "N"}], [], "need_type_required"),
        ([{"ref": "g", "kind": "goal", "title": "G", "segment": "S"}], [], "need_fields"),
        (
            [
                {"ref": "w", "kind": "work", "title": "W"},
                {"ref": "n", "kind": "need", "title": "N", "need_type": "functional"},
            ],
            [{"type": "serves", "source": "w", "target": "n"}],
            "serves_kind",
        ),
        (
            [
                {"ref": "g", "kind": "goal", "title": "G"},
                {"ref": "n", "kind": "need", "title": "N", "need_type": "functional"},
            ],
            [{"source": "g", "target": "n"}],
            "need_link",
        ),
    ],
)
def test_the_import_refuses_what_the_api_refuses_with_the_same_code(client, nodes, links, code):
    response = _import(client, {"nodes": nodes, "links": links})

    assert response.status_code == 422
    assert code in [v["code"] for v in response.get_json()["violations"]]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0
