"""Every error is application/problem+json with a stable code; bad input changes nothing."""

from __future__ import annotations

import pytest

from tests import factories as f

PROBLEM = "application/problem+json"


def _problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body


def _node_count(client):
    return client.get("/api/v1/nodes").get_json()["total"]


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/nodes", data="{oops", content_type="application/json")

    _problem(response, 400, "malformed_json")
    assert _node_count(client) == 0


def test_json_nested_too_deeply_is_400(client):
    body = "[" * 100_000 + "]" * 100_000

    response = client.post("/api/v1/nodes", data=body, content_type="application/json")

    _problem(response, 400, "malformed_json")


def test_invalid_utf8_is_400(client):
    response = client.post("/api/v1/nodes", data=b"\xff\xfe", content_type="application/json")

    _problem(response, 400, "malformed_json")


def test_unknown_fields_are_422_listing_them(client):
    response = client.post("/api/v1/nodes", json={"kind": "goal", "title": "x", "colour": "red"})

    body = _problem(response, 422, "validation_error")
    assert "colour" in body["errors"]
    assert _node_count(client) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 7),
        ("title", ""),
        ("title", "x" * 201),
        ("title", "nul\x00byte"),
        ("kind", "epic"),
        ("owner_id", "7"),
        ("owner_id", 2.5),
        ("owner_id", 2**70),
        ("standalone", "yes"),
        ("reported_progress", 1.5),
        ("due_date", "tomorrow"),
        ("url", "not a url"),
    ],
)
def test_wrong_types_and_values_are_422_naming_the_field(client, field, value):
    body = {"kind": "work", "title": "ok", field: value}

    problem = _problem(client.post("/api/v1/nodes", json=body), 422, "validation_error")

    assert field in problem["errors"]
    assert _node_count(client) == 0


def test_body_that_is_not_an_object_is_422(client):
    _problem(client.post("/api/v1/nodes", json=[1, 2]), 422, "validation_error")


def test_missing_body_is_422_listing_required_fields(client):
    problem = _problem(client.post("/api/v1/nodes"), 422, "validation_error")

    assert {"kind", "title"} <= set(problem["errors"])


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/nodes", data="kind=goal", content_type="text/plain")

    _problem(response, 415, "unsupported_media_type")


def test_body_too_large_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = client.post("/api/v1/nodes", json={"kind": "goal", "title": "x" * 2000})

    _problem(response, 413, "payload_too_large")


def test_wrong_method_is_405_with_allow(client):
    response = client.put("/api/v1/nodes")

    _problem(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_unknown_path_is_404(client):
    _problem(client.get("/api/v1/nope"), 404, "not_found")


def test_huge_id_in_path_is_404_not_500(client):
    _problem(client.get(f"/api/v1/nodes/{2**70}"), 404, "not_found")


def test_rule_violation_changes_nothing(client):
    goal, work = f.node(client, "goal"), f.node(client)
    before = client.get("/api/v1/links").get_json()["total"]

    client.post("/api/v1/links", json={"source_id": goal["id"], "target_id": work["id"]})

    assert client.get("/api/v1/links").get_json()["total"] == before


def test_answers_carry_security_headers(client):
    response = client.get("/api/v1/nodes")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_200(client):
    assert client.get("/healthz").status_code == 200


def test_an_empty_query_string_loads_constant_defaults_once():
    from marshmallow import Schema, fields
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from service.api.base import Parser
    from service.schemas.common import PageArgs

    class Needs(Schema):
        a = fields.Integer(required=True)

    calls = []

    class Fresh(Schema):
        at = fields.Integer(load_default=lambda: calls.append(1) or len(calls))

    parser, empty = Parser(), Request(EnvironBuilder(path="/").get_environ())
    page = PageArgs()

    first = parser.parse(page, empty, location="query")
    first["limit"] = 7  # the answer is the caller's to change
    assert parser.parse(page, empty, location="query") == {"limit": 50, "offset": 0}
    assert [parser.parse(Fresh(), empty, location="query")["at"] for _ in range(2)] == [1, 2]
    with pytest.raises(Exception) as refused:
        parser.parse(Needs(), empty, location="query")
    assert refused.value.code == 422


def test_query_strings_are_still_checked_in_full(client):
    node = f.node(client)
    for query in ("max_paths=0", "max_paths=x", "other=1"):
        response = client.get(f"/api/v1/nodes/{node['id']}/trace/up?{query}")
        _problem(response, 422, "validation_error")
    assert client.get(f"/api/v1/nodes/{node['id']}/trace/up?").status_code == 200
