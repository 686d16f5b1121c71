"""Where the OpenAPI document and the code could disagree, they say the same."""

from __future__ import annotations

import pytest

from service.openapi import spec_dict
from tests import factories as f


@pytest.fixture
def world(client):
    team = f.team(client, "T")
    goal = f.node(client, "goal")
    work = f.node(client, "work")
    link = f.link(client, work, goal)
    kr = f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="m.x",
        direction="increase",
        start_value=0,
        target_value=1,
    )
    term = f.create(client, "terms", name="Customer")
    definition = f.create(client, f"terms/{term['id']}/definitions", text="Who pays.")
    return {
        "term": f"/api/v1/terms/{term['id']}",
        "definition": f"/api/v1/terms/{term['id']}/definitions/{definition['id']}",
        "node": f"/api/v1/nodes/{goal['id']}",
        "link": f"/api/v1/links/{link['id']}",
        "kr": f"/api/v1/key-results/{kr['id']}",
        "team": f"/api/v1/teams/{team['id']}",
        "person": f"/api/v1/people/{f.person(client)['id']}",
        "period": f"/api/v1/periods/{f.period(client)['id']}",
    }


PATCHES = ("node", "link", "kr", "team", "person", "period", "term", "definition")


@pytest.mark.parametrize("what", PATCHES)
@pytest.mark.parametrize("body", [None, {}])
def test_a_patch_without_fields_is_422(client, world, what, body):
    before = client.get("/api/v1/audit").get_json()["total"]

    response = (
        client.patch(world[what], json=body) if body is not None else client.patch(world[what])
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/audit").get_json()["total"] == before


def test_every_patch_body_is_documented_as_required_and_not_empty(app):
    spec = spec_dict(app)
    schemas = spec["components"]["schemas"]
    patches = [
        operation
        for path in spec["paths"].values()
        for method, operation in path.items()
        if method == "patch"
    ]

    assert len(patches) == len(PATCHES)
    for operation in patches:
        body = operation["requestBody"]
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert body["required"] is True
        assert schemas[ref]["minProperties"] == 1


def test_an_integral_float_is_an_id_as_json_schema_says(client):
    team = f.team(client, "T")

    made = client.post("/api/v1/people", json={"name": "P", "team_ids": [float(team["id"])]})
    halves = client.post("/api/v1/people", json={"name": "P", "team_ids": [team["id"] + 0.5]})

    assert made.status_code == 201
    assert made.get_json()["team_ids"] == [team["id"]]
    assert halves.status_code == 422


@pytest.mark.parametrize(
    ("path", "schema", "field", "body", "fmt"),
    [
        ("/api/v1/people", "PersonCreate", "email", {"name": "P", "email": ""}, "email"),
        ("/api/v1/nodes", "NodeCreate", "url", {"kind": "work", "title": "x", "url": ""}, "uri"),
    ],
)
def test_an_empty_email_or_url_is_refused_and_the_spec_says_why(
    app, client, path, schema, field, body, fmt
):
    response = client.post(path, json=body)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert spec_dict(app)["components"]["schemas"][schema]["properties"][field]["format"] == fmt


def test_the_import_checks_urls_and_emails_as_the_api_does(client):
    response = client.post(
        "/api/v1/import",
        json={
            "people": [{"ref": "p", "name": "P", "email": "not an email"}],
            "nodes": [{"ref": "n", "kind": "work", "title": "x", "url": "not a url"}],
            "key_results": [
                {
                    "ref": "k",
                    "goal": "g",
                    "metric": "Not A Metric Key",
                    "direction": "increase",
                    "start_value": 0,
                    "target_value": 1,
                }
            ],
        },
    )

    assert response.status_code == 422
    assert {"people.0.email", "nodes.0.url", "key_results.0.metric"} <= set(
        response.get_json()["errors"]
    )


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_period_ending_before_it_starts_is_date_order_on_every_path(client, method):
    if method == "post":
        response = client.post(
            "/api/v1/periods",
            json={"name": "Q", "start_date": "2026-10-01", "end_date": "2026-09-01"},
        )
    else:
        period = f.period(client)
        response = client.patch(
            f"/api/v1/periods/{period['id']}",
            json={"start_date": "2026-10-01", "end_date": "2026-09-01"},
        )
    imported = client.post(
        "/api/v1/import?dry_run=true",
        json={
            "periods": [
                {"ref": "q", "name": "Q", "start_date": "2026-10-01", "end_date": "2026-09-01"}
            ]
        },
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == "date_order"
    assert [v["code"] for v in imported.get_json()["violations"]] == ["date_order"]
