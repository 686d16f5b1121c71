"""Team and private nodes never leak to outsiders, whatever door they knock on."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import update

from models import KeyResult
from service.openapi import spec_dict
from tests import factories as f
from tests.conftest import client_as, make_token

MARKER = "zq7-secret-marker"


@pytest.fixture
def world(app, client):
    """Public chain to the mission, with a private and a team goal holding the marker."""
    team_a, team_b = f.team(client, "Insiders"), f.team(client, "Outsiders")
    insider = f.person(client, "In", team_ids=[team_a["id"]])
    outsider = f.person(client, "Out", team_ids=[team_b["id"]])
    q4 = f.period(client)
    mission, vision, strategy = f.chain(client, "mission", "vision", "strategy")
    hidden = {}
    for visibility in ("private", "team"):
        goal = f.node(
            client,
            "goal",
            title=f"{visibility} {MARKER}",
            description=f"about {MARKER}",
            visibility=visibility,
            owner_id=insider["id"],
            team_id=team_a["id"],
            period_id=q4["id"],
            ref=f"{MARKER}-{visibility}",
        )
        f.link(client, goal, strategy, rationale=f"because {MARKER}")
        kr = f.create(
            client,
            f"nodes/{goal['id']}/key-results",
            title=f"kr {MARKER}",
            metric="shared.rate",
            unit=MARKER,
            direction="increase",
            start_value=0,
            target_value=1,
        )
        f.create(
            client,
            f"nodes/{goal['id']}/key-results",
            metric=f"{MARKER}.count",
            direction="increase",
            start_value=0,
            target_value=1,
        )
        client.post(
            f"/api/v1/key-results/{kr['id']}/check-ins",
            json={"value": 0.5, "note": f"note {MARKER}"},
        )
        hidden[visibility] = {"goal": goal, "kr": kr}
    # Public work under the private goal: its trace must show the goal redacted.
    work = f.node(client, "work", title="public work", owner_id=outsider["id"])
    link = f.link(client, work, hidden["private"]["goal"], rationale=f"serves {MARKER}")
    # A public goal measuring the hidden metric the other way: a metric conflict.
    rival = f.node(client, "goal", title="rival", period_id=q4["id"])
    f.link(client, rival, strategy)
    f.create(
        client,
        f"nodes/{rival['id']}/key-results",
        metric="shared.rate",
        direction="decrease",
        start_value=1,
        target_value=0,
    )
    f.link(client, rival, hidden["team"]["goal"], "conflicts_with")
    # The hidden goal changes after the work linked to it: a suspect link.
    client.patch(
        f"/api/v1/nodes/{hidden['private']['goal']['id']}", json={"title": f"changed {MARKER}"}
    )
    # A hidden need the public rival serves, and public work waiting on the hidden goal.
    need = f.node(
        client,
        "need",
        title=f"need {MARKER}",
        segment=f"segment {MARKER}",
        need_type="functional",
        visibility="private",
        owner_id=insider["id"],
    )
    f.link(client, rival, need, "serves")
    f.link(client, hidden["private"]["goal"], need, "serves")
    f.link(client, work, hidden["private"]["goal"], "depends_on")
    # An aged key result: stale.
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(
            update(KeyResult).values(
                created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
                last_check_in_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
            )
        )
    # A term the teams define apart, used by the hidden goals' titles and descriptions.
    term = f.create(client, "terms", name="about")
    for team in (team_a, team_b):
        f.create(client, f"terms/{term['id']}/definitions", team_id=team["id"], text=team["name"])
    return {
        "term": term,
        "insider": insider,
        "outsider": outsider,
        "team_a": team_a,
        "team_b": team_b,
        "hidden": hidden,
        "work": work,
        "link": link,
        "rival": rival,
        "mission": mission,
        "strategy": strategy,
        "period": q4,
        "need": need,
    }


def _urls(app, w):
    """Every GET operation, with each id it can take: public and hidden."""
    ids = {
        "node_id": [w["work"]["id"], w["strategy"]["id"], w["rival"]["id"], w["need"]["id"]]
        + [h["goal"]["id"] for h in w["hidden"].values()],
        "link_id": [w["link"]["id"]],
        "kr_id": [h["kr"]["id"] for h in w["hidden"].values()],
        "person_id": [w["insider"]["id"], w["outsider"]["id"]],
        "team_id": [w["team_a"]["id"], w["team_b"]["id"]],
        "period_id": [w["period"]["id"]],
        "ref": [f"{MARKER}-private", f"{MARKER}-team"],
        "token_id": [1],
        "term_id": [w["term"]["id"]],
    }
    hidden_goal = w["hidden"]["private"]["goal"]["id"]
    queries = {
        "/api/v1/trace/common": [
            f"?a={w['work']['id']}&b={w['rival']['id']}",
            f"?a={w['work']['id']}&b={hidden_goal}",
        ],
        "/api/v1/audit": ["?limit=1000", f"?entity_id={hidden_goal}&entity_type=node"],
        "/api/v1/analysis/market": ["", f"?team_id={w['team_a']['id']}"],
        "/api/v1/nodes": ["?limit=1000&with=terms"],
        "/api/v1/nodes/{node_id}": ["?with=terms"],
    }
    for path, item in spec_dict(app)["paths"].items():
        if "get" not in item:
            continue
        names = re.findall(r"{(\w+)}", path)
        pages = any(p["name"] == "limit" for p in item["get"].get("parameters", []))
        for values in itertools.product(*(ids[name] for name in names)):
            url = path
            for name, value in zip(names, values, strict=True):
                url = url.replace("{" + name + "}", str(value))
            for query in queries.get(path, ["?limit=1000" if pages else ""]):
                yield url + query


@pytest.mark.parametrize("who", ["viewer", "outsider_editor"])
def test_no_get_operation_leaks_hidden_nodes(app, world, who):
    token = (
        make_token(app, "viewer")
        if who == "viewer"
        else make_token(app, "editor", world["outsider"]["id"])
    )
    outsider = client_as(app, token)
    checked = 0
    for url in _urls(app, world):
        response = outsider.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        assert MARKER not in response.get_data(as_text=True), url
        checked += 1

    assert checked > 40


def test_insiders_see_what_outsiders_do_not(app, world):
    insider = client_as(app, make_token(app, "editor", world["insider"]["id"]))
    goal = world["hidden"]["team"]["goal"]

    assert MARKER in insider.get(f"/api/v1/nodes/{goal['id']}").get_data(as_text=True)
    listed = insider.get("/api/v1/nodes?limit=1000").get_json()
    assert {h["goal"]["id"] for h in world["hidden"].values()} <= {n["id"] for n in listed["items"]}


def test_traces_keep_the_shape_with_redacted_placeholders(app, world):
    outsider = client_as(app, make_token(app, "viewer"))

    body = outsider.get(f"/api/v1/nodes/{world['work']['id']}/trace/up").get_json()

    hidden_id = world["hidden"]["private"]["goal"]["id"]
    placeholder = next(n for n in body["nodes"] if n["id"] == hidden_id)
    assert placeholder == {"id": hidden_id, "kind": "goal", "redacted": True}
    assert body["aligned"] is True
    assert body["paths"][0][1] == hidden_id


def test_hidden_nodes_answer_404_like_missing_ones(app, world):
    outsider = client_as(app, make_token(app, "viewer"))
    goal = world["hidden"]["private"]["goal"]

    response = outsider.get(f"/api/v1/nodes/{goal['id']}")

    assert response.status_code == 404
    assert response.get_json()["detail"] == outsider.get("/api/v1/nodes/987654").get_json()[
        "detail"
    ].replace("987654", str(goal["id"]))


def test_counts_may_include_hidden_nodes(app, world, client):
    outsider = client_as(app, make_token(app, "viewer"))

    seen = outsider.get("/api/v1/analysis/health").get_json()["counts"]["total"]

    assert seen == client.get("/api/v1/analysis/health").get_json()["counts"]["total"]
