"""Clarity through the API (DOMAIN.md 13): the fields, restatements and /analysis/clarity."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from models import ApiToken
from service.db import session
from tests import factories as f
from tests.conftest import client_as, make_token

CLARITY = {
    "user_outcome": "Families get home safely",
    "business_outcome": "Renewals rise",
    "target_group": "Parents of young children",
    "measure": "Serious incidents per million miles",
}
DESTINATION = "Every family on the road arrives home without harm"


def person_client(app, client, name="Ann", role="viewer", **fields):
    person = f.person(client, name, **fields)
    return client_as(app, make_token(app, role, person["id"])), person


# -- fields --------------------------------------------------------------------------------


def test_clarity_fields_are_set_read_cleared_and_audited(client):
    goal = f.node(client, "goal", **CLARITY)

    read = client.get(f"/api/v1/nodes/{goal['id']}").get_json()
    assert {name: read[name] for name in CLARITY} == CLARITY
    changed = client.patch(f"/api/v1/nodes/{goal['id']}", json={"measure": None})

    assert changed.status_code == 200 and changed.get_json()["measure"] is None
    events = client.get(f"/api/v1/audit?entity_id={goal['id']}&entity_type=node").get_json()
    update = next(e for e in events["items"] if e["action"] == "update")
    assert (update["before"]["measure"], update["after"]["measure"]) == (CLARITY["measure"], None)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"user_outcome": "x" * 2001}, 422, "validation_error"),
        ({"measure": 7}, 422, "validation_error"),
        ({"target_group": "a\x00b"}, 422, "validation_error"),
        ({"kind": "need", "need_type": "functional", "measure": "Sales"}, 422, "not_for_needs"),
        ({"kind": "need", "need_type": "functional", "budget": 5}, 422, "not_for_needs"),
    ],
)
def test_bad_clarity_fields_are_refused_and_change_nothing(client, body, status, code):
    body = {"kind": "goal", "title": "G", **body}

    response = client.post("/api/v1/nodes", json=body)

    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.get_json()["code"] == code
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_a_change_to_a_clarity_field_makes_the_links_below_suspect(client):
    vision, strategy = f.chain(client, "vision", "strategy")

    client.patch(f"/api/v1/nodes/{vision['id']}", json={"user_outcome": "Safer trips"})

    found = client.get("/api/v1/analysis/suspect-links").get_json()
    assert found["total"] == 1
    assert found["items"][0]["changes"] == {"user_outcome": [None, "Safer trips"]}
    assert found["items"][0]["source"]["id"] == strategy["id"]


def test_a_blank_clarity_field_is_no_change_to_review(client):
    vision, _strategy = f.chain(client, "vision", "strategy")

    client.patch(f"/api/v1/nodes/{vision['id']}", json={"measure": "   "})

    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 0


def test_clarity_fields_are_imported_and_fingerprinted_as_the_api_does(client):
    document = {
        "nodes": [
            {"ref": "v", "kind": "vision", "title": "V", **CLARITY},
            {"ref": "s", "kind": "strategy", "title": "S"},
        ],
        "links": [{"source": "s", "target": "v"}],
    }
    assert client.post("/api/v1/import", json=document).status_code == 200
    vision = client.get("/api/v1/nodes/by-ref/v").get_json()
    assert {name: vision[name] for name in CLARITY} == CLARITY

    document["nodes"][0]["measure"] = "Incidents"
    client.post("/api/v1/import", json=document)

    found = client.get("/api/v1/analysis/suspect-links").get_json()
    assert found["items"][0]["changes"] == {"measure": [CLARITY["measure"], "Incidents"]}
    again = client.post("/api/v1/import", json=document).get_json()
    assert again["counts"]["nodes"] == {"created": 0, "updated": 0, "unchanged": 2}


# -- restatements --------------------------------------------------------------------------


def test_a_person_restates_a_node_and_a_second_restatement_replaces_the_first(app, client):
    vision = f.node(client, "vision", title="Safe roads", description=DESTINATION)
    ann, person = person_client(app, client)

    first = ann.post(f"/api/v1/nodes/{vision['id']}/restatements", json={"text": "Fewer crashes"})
    second = ann.post(f"/api/v1/nodes/{vision['id']}/restatements", json={"text": "No harm"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json()["id"] == first.get_json()["id"]
    listed = ann.get(f"/api/v1/nodes/{vision['id']}/restatements").get_json()
    assert listed["statement"]["title"] == "Safe roads"
    assert listed["statement"]["description"] == DESTINATION
    assert listed["total"] == 1 and listed["agreement"] is None
    item = listed["items"][0]
    assert (item["text"], item["person_id"], item["person_name"]) == (
        "No harm",
        person["id"],
        "Ann",
    )
    assert item["created_at"] and item["updated_at"]
    actions = [
        e["action"] for e in client.get("/api/v1/audit?entity_type=restatement").get_json()["items"]
    ]
    assert sorted(actions) == ["create", "update"]


def test_agreement_is_the_mean_jaccard_of_stemmed_content_words(app, client):
    goal = f.node(client, "goal")
    texts = ["We are shipping weekly", "Ships weekly", "Grow revenue"]
    for index, text in enumerate(texts):
        person, _ = person_client(app, client, f"P{index}")
        person.post(f"/api/v1/nodes/{goal['id']}/restatements", json={"text": text})

    listed = client.get(f"/api/v1/nodes/{goal['id']}/restatements").get_json()

    # {ship, week} twice (stop words out, "shipping" and "ships" one stem), {grow, revenu}
    assert listed["agreement"] == pytest.approx(1 / 3)


def test_a_caller_who_is_no_person_cannot_restate(client):
    goal = f.node(client, "goal")

    response = client.post(f"/api/v1/nodes/{goal['id']}/restatements", json={"text": "Hm"})

    assert response.status_code == 422
    assert response.get_json()["code"] == "person_required"
    assert client.get(f"/api/v1/nodes/{goal['id']}/restatements").get_json()["total"] == 0


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {}, []])
def test_a_bad_restatement_is_refused(app, client, body):
    goal = f.node(client, "goal")
    ann, _ = person_client(app, client)

    response = ann.post(f"/api/v1/nodes/{goal['id']}/restatements", json=body)

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert client.get(f"/api/v1/nodes/{goal['id']}/restatements").get_json()["total"] == 0


def test_one_deletes_ones_own_restatement_not_anothers(app, client):
    goal = f.node(client, "goal")
    ann, _ = person_client(app, client, "Ann")
    bob, _ = person_client(app, client, "Bob")
    said = ann.post(f"/api/v1/nodes/{goal['id']}/restatements", json={"text": "Mine"}).get_json()
    url = f"/api/v1/nodes/{goal['id']}/restatements/{said['id']}"

    refused = bob.delete(url)
    deleted = ann.delete(url)

    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    assert deleted.status_code == 204
    assert ann.delete(url).status_code == 404
    assert client.get(f"/api/v1/nodes/{goal['id']}/restatements").get_json()["total"] == 0


def test_hidden_nodes_cannot_be_restated_or_read(app, client):
    hidden = f.node(client, "goal", title="Secret plan", visibility="private")
    ann, _ = person_client(app, client)

    assert ann.get(f"/api/v1/nodes/{hidden['id']}/restatements").status_code == 404
    answer = ann.post(f"/api/v1/nodes/{hidden['id']}/restatements", json={"text": "x"})
    assert answer.status_code == 404
    assert "Secret plan" not in answer.get_data(as_text=True)
    assert client.get(f"/api/v1/nodes/{hidden['id']}/restatements").get_json()["total"] == 0


def test_deleting_a_node_or_a_person_takes_their_restatements(app, client):
    goal, other = f.node(client, "goal"), f.node(client, "goal")
    ann, person = person_client(app, client)
    ann.post(f"/api/v1/nodes/{goal['id']}/restatements", json={"text": "One"})
    ann.post(f"/api/v1/nodes/{other['id']}/restatements", json={"text": "Two"})

    assert client.delete(f"/api/v1/nodes/{goal['id']}").status_code == 204
    assert client.get(f"/api/v1/nodes/{other['id']}/restatements").get_json()["total"] == 1
    refused = client.delete(f"/api/v1/people/{person['id']}")
    assert refused.status_code == 409
    assert (refused.get_json()["code"], refused.get_json()["tokens"]) == ("in_use", 1)
    with app.app_context():  # a person's tokens are kept for the trail; drop Ann's here
        session().execute(delete(ApiToken).where(ApiToken.person_id == person["id"]))
        session().commit()
    assert client.delete(f"/api/v1/people/{person['id']}").status_code == 204
    assert client.get(f"/api/v1/nodes/{other['id']}/restatements").get_json()["total"] == 0


# -- /analysis/clarity ---------------------------------------------------------------------


def _anchored_vision(client, **fields):
    vision = f.node(client, "vision", **fields)
    need = f.node(client, "need", need_type="functional")
    f.link(client, vision, need, "serves")
    return vision


def test_a_vision_lists_what_it_leaves_unsaid_in_order(client):
    bare = f.node(client, "vision", description="Too short to say")
    full = _anchored_vision(client, description=DESTINATION, **CLARITY)

    items = client.get("/api/v1/analysis/clarity").get_json()["items"]

    assert [item["node"]["id"] for item in items] == [bare["id"]]
    assert items[0]["missing"] == [
        "destination",
        "measure",
        "user_outcome",
        "business_outcome",
        "target_group",
        "need",
    ]
    assert items[0]["restatements"] == 0 and items[0]["agreement"] is None
    assert full["id"] not in [item["node"]["id"] for item in items]


def test_a_goals_measure_is_a_key_result(client):
    goal = f.node(client, "goal", user_outcome="Faster", business_outcome="Cheaper")
    first = client.get("/api/v1/analysis/clarity").get_json()["items"]
    client.post(
        f"/api/v1/nodes/{goal['id']}/key-results",
        json={
            "metric": "latency",
            "direction": "decrease",
            "start_value": 10,
            "target_value": 5,
        },
    )

    assert first[0]["missing"] == ["measure"]
    assert client.get("/api/v1/analysis/clarity").get_json()["total"] == 0


def test_divergent_restatements_list_a_clear_node(app, client):
    vision = _anchored_vision(client, description=DESTINATION, **CLARITY)
    for index, text in enumerate(["Faster cars", "Cheaper insurance", "Happier dealers"]):
        person, _ = person_client(app, client, f"P{index}")
        person.post(f"/api/v1/nodes/{vision['id']}/restatements", json={"text": text})

    items = client.get("/api/v1/analysis/clarity").get_json()["items"]

    assert len(items) == 1
    assert items[0]["node"]["id"] == vision["id"]
    assert items[0]["missing"] == [] and items[0]["divergent"] is True
    assert (items[0]["restatements"], items[0]["agreement"]) == (3, 0.0)


def test_clarity_filters_by_kind_team_and_missing(client):
    team = f.team(client, "Safety")
    vision = f.node(client, "vision", team_id=team["id"])
    goal = f.node(client, "goal")

    def ids(query):
        body = client.get(f"/api/v1/analysis/clarity?{query}").get_json()
        return [item["node"]["id"] for item in body["items"]]

    assert ids("kind=goal") == [goal["id"]]
    assert ids(f"team_id={team['id']}") == [vision["id"]]
    assert ids("missing=destination") == [vision["id"]]
    assert ids("missing=measure") == [vision["id"], goal["id"]]
    assert client.get("/api/v1/analysis/clarity?missing=vibes").status_code == 422
    assert client.get("/api/v1/analysis/clarity?kind=work").status_code == 422


def test_non_live_nodes_are_not_assessed(client):
    f.node(client, "vision", status="archived")
    f.node(client, "goal", status="done")

    assert client.get("/api/v1/analysis/clarity").get_json()["total"] == 0


def test_hidden_nodes_are_redacted_in_clarity(app, client):
    f.node(client, "vision", title="Secret plan", visibility="private")
    viewer = client_as(app, make_token(app, "viewer"))

    body = viewer.get("/api/v1/analysis/clarity")

    assert body.get_json()["items"][0]["node"]["redacted"] is True
    assert "Secret plan" not in body.get_data(as_text=True)


def test_health_counts_the_clarity_findings_overall_and_per_team(client):
    team = f.team(client, "Safety")
    f.node(client, "goal", team_id=team["id"])
    f.node(client, "vision")

    health = client.get("/api/v1/analysis/health").get_json()

    assert health["clarity"] == 2
    assert health["teams"][0]["clarity"] == 1
    assert client.get(f"/api/v1/analysis/health?team_id={team['id']}").get_json()["clarity"] == 1
