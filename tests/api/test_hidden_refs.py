"""No refusal names a node the caller cannot see: not its id, title or any other field."""

from __future__ import annotations

import json
import re

import pytest

from tests import factories as f
from tests.conftest import client_as, make_token

SECRET = "qv9-hidden-title"


@pytest.fixture
def hidden(app, client):
    """A private goal of an insider, and an editor (an outsider) who cannot see it."""
    insider = f.person(client, "In")
    outsider = f.person(client, "Out")
    mission, vision, strategy = f.chain(client, "mission", "vision", "strategy")
    goal = f.node(
        client,
        "goal",
        title=SECRET,
        ref="R-HIDDEN",
        visibility="private",
        owner_id=insider["id"],
    )
    f.link(client, goal, strategy)
    editor = client_as(app, make_token(app, "editor", outsider["id"]))
    return {"goal": goal, "editor": editor, "outsider": outsider, "strategy": strategy}


def _numbers(value):
    if isinstance(value, dict):
        return [n for key, item in value.items() if key != "status" for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, str):
        return [int(n) for n in re.findall(r"(?<![\w-])\d+(?![\w-])", value)]
    return [value] if isinstance(value, int) else []


def _reveals_nothing(response, goal):
    body = response.get_json()
    assert SECRET not in json.dumps(body)
    assert goal["id"] not in _numbers(body), body


def test_creating_a_node_with_a_hidden_nodes_ref_names_only_the_ref(hidden):
    goal, editor = hidden["goal"], hidden["editor"]

    response = editor.post(
        "/api/v1/nodes",
        json={
            "kind": "work",
            "title": "mine",
            "ref": "R-HIDDEN",
            "owner_id": hidden["outsider"]["id"],
        },
    )

    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "duplicate_ref"
    assert "node_ids" not in body
    assert "R-HIDDEN" in body["detail"]
    _reveals_nothing(response, goal)


def test_putting_by_a_hidden_nodes_ref_names_only_the_ref(hidden):
    goal, editor = hidden["goal"], hidden["editor"]

    response = editor.put(
        "/api/v1/nodes/by-ref/R-HIDDEN",
        json={"kind": "work", "title": "mine", "owner_id": hidden["outsider"]["id"]},
    )

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate_ref"
    _reveals_nothing(response, goal)


def test_giving_an_own_node_a_hidden_ref_names_only_the_ref(hidden):
    goal, editor = hidden["goal"], hidden["editor"]
    mine = f.node(editor, "work", owner_id=hidden["outsider"]["id"])

    response = editor.patch(f"/api/v1/nodes/{mine['id']}", json={"ref": "R-HIDDEN"})

    assert response.status_code == 409
    assert "node_ids" not in response.get_json()
    _reveals_nothing(response, goal)


def test_a_visible_holder_of_the_ref_is_still_named(client):
    holder = f.node(client, "work", ref="R-SEEN")

    response = client.post("/api/v1/nodes", json={"kind": "work", "title": "x", "ref": "R-SEEN"})

    assert response.status_code == 409
    assert response.get_json()["node_ids"] == [holder["id"]]


def test_a_cycle_through_a_hidden_node_leaves_it_out(client, hidden):
    editor, owner = hidden["editor"], hidden["outsider"]["id"]
    secret = f.node(client, "work", title=SECRET, visibility="private")  # hidden from the editor
    first, last = f.node(editor, "work", owner_id=owner), f.node(editor, "work", owner_id=owner)
    f.link(client, first, secret)
    f.link(client, secret, last)  # first -> secret -> last

    response = editor.post(
        "/api/v1/links", json={"source_id": last["id"], "target_id": first["id"]}
    )

    assert response.status_code == 409
    assert response.get_json()["code"] == "cycle"
    assert response.get_json()["cycle"] == [last["id"], first["id"], last["id"]]
    _reveals_nothing(response, secret)


def test_deleting_a_node_a_hidden_node_supports_names_no_hidden_id(app, client, hidden):
    goal, editor = hidden["goal"], hidden["editor"]
    mine = f.node(editor, "goal", owner_id=hidden["outsider"]["id"])
    f.link(client, goal, mine)  # the hidden goal supports the editor's goal

    response = editor.delete(f"/api/v1/nodes/{mine['id']}")

    assert response.status_code == 409
    assert response.get_json()["code"] == "has_supporters"
    _reveals_nothing(response, goal)
