"""The committed OpenAPI document is valid, complete and matches the code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from openapi_spec_validator import validate

from service.openapi import spec_dict, spec_yaml

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_committed_document_matches_the_code(app):
    assert COMMITTED.read_text(encoding="utf-8") == spec_yaml(app), (
        "openapi/openapi.yaml is out of date: run `throughline openapi`"
    )


def test_document_is_valid_openapi_3_1(app):
    document = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))

    validate(document)
    assert document["openapi"] == "3.1.0"


def test_document_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.get_json()["info"]["title"] == "Throughline"


def test_every_operation_has_summary_responses_and_problem_errors(app):
    spec = spec_dict(app)
    for path, method, operation in _operations(spec):
        assert operation.get("summary"), f"{method} {path} has no summary"
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert success, f"{method} {path} documents no success"
        assert "default" in operation["responses"], f"{method} {path} documents no errors"
        if method in {"post", "put", "patch"}:
            assert "requestBody" in operation, f"{method} {path} documents no body"
            assert "422" in operation["responses"]


def test_error_responses_are_problem_json(app):
    spec = spec_dict(app)
    for name, response in spec["components"]["responses"].items():
        if "content" in response and name != "DEFAULT_ERROR":
            assert list(response["content"]) == ["application/problem+json"], name


OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def operation_id_problems(spec) -> list[str]:
    """Operations with no operationId, one that is not camelCase, or one already taken."""
    problems, seen = [], {}
    for path, method, operation in _operations(spec):
        name = operation.get("operationId")
        if not name:
            problems.append(f"{method} {path} has no operationId")
        elif not OPERATION_ID.match(name):
            problems.append(f"{method} {path}: {name} is not camelCase")
        elif name in seen:
            problems.append(f"{method} {path} and {seen[name]} are both {name}")
        else:
            seen[name] = f"{method} {path}"
    return problems


def test_every_operation_has_a_unique_camel_case_operation_id(app):
    assert operation_id_problems(spec_dict(app)) == []


def test_a_missing_or_colliding_operation_id_is_found(app):
    spec = spec_dict(app)
    first, second, third = [operation for _p, _m, operation in _operations(spec)][:3]
    second["operationId"] = first["operationId"]
    del third["operationId"]

    problems = operation_id_problems(spec)

    assert len(problems) == 2
    assert "are both" in problems[0]
    assert "has no operationId" in problems[1]


# Revoking a token takes no If-Match: a token has no versions, and revoking is idempotent.
WITHOUT_IF_MATCH = {("delete", "/api/v1/tokens/{token_id}")}


def test_changes_take_if_match_and_document_412(app):
    for path, method, operation in _operations(spec_dict(app)):
        if method not in {"patch", "put", "delete"} or (method, path) in WITHOUT_IF_MATCH:
            continue
        parameters = operation.get("parameters", [])
        assert {"$ref": "#/components/parameters/IfMatch"} in parameters, f"{method} {path}"
        assert "412" in operation["responses"], f"{method} {path}"


def test_answers_document_their_headers(app):
    spec = spec_dict(app)
    for path, method, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
            headers = response.get("headers", {})
            assert "X-Request-ID" in headers, f"{method} {path} {status}"
            if status in {"429", "503"}:
                assert "Retry-After" in headers, f"{method} {path} {status}"
    node = spec["paths"]["/api/v1/nodes/{node_id}"]
    assert "ETag" in node["get"]["responses"]["200"]["headers"]
    assert "ETag" in node["patch"]["responses"]["200"]["headers"]
