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
# A token is revoked, and one's own restatement withdrawn, whatever its version.
WITHOUT_IF_MATCH = {
    ("delete", "/api/v1/tokens/{token_id}"),
    ("delete", "/api/v1/nodes/{node_id}/restatements/{restatement_id}"),
}


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


def _component(spec, reference: str) -> tuple[str, dict]:
    name = reference.rsplit("/", 1)[1]
    return name, spec["components"]["schemas"][name]


def _references(value):
    """Every ``$ref`` inside a piece of the document."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item["$ref"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def test_answers_declare_every_member_they_may_hold(app):
    spec = spec_dict(app)
    answers = [
        response
        for _path, _method, operation in _operations(spec)
        for response in operation["responses"].values()
    ]
    answers.extend(spec["components"]["responses"].values())
    seen: set[str] = set()
    pending = [ref for answer in answers for ref in _references(answer)]
    while pending:
        reference = pending.pop()
        if "/schemas/" not in reference or reference in seen:
            continue
        seen.add(reference)
        name, schema = _component(spec, reference)
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, name
        pending.extend(_references(schema))
    assert len(seen) > 40


ENUMS = {
    ("Node", "kind"): "Kind",
    ("Node", "status"): "Status",
    ("Node", "visibility"): "Visibility",
    ("VisibleNode", "kind"): "Kind",
    ("VisibleNode", "status"): "Status",
    ("RedactedNode", "kind"): "Kind",
    ("Link", "type"): "LinkType",
    ("Conflict", "type"): "ConflictType",
    ("Conflict", "severity"): "Severity",
    ("Orphan", "reason"): "OrphanReason",
    ("KeyResult", "direction"): "Direction",
    ("Token", "role"): "Role",
    ("NewToken", "role"): "Role",
}


def test_codes_in_answers_are_the_code_s_own_enums(app):
    from models import KINDS, LINK_TYPES, ROLES, STATUSES
    from models.alignment import VISIBILITIES
    from models.okr import DIRECTIONS
    from service.graph.codes import CONFLICT_TYPES, ORPHAN_REASONS, SEVERITIES

    spec = spec_dict(app)
    schemas = spec["components"]["schemas"]
    for (schema, field), enum in ENUMS.items():
        assert schemas[schema]["properties"][field] == {"$ref": f"#/components/schemas/{enum}"}
    for schema, field in (("AlignmentItem", "reason"), ("TraceUp", "reason")):
        assert schemas[schema]["properties"][field]["anyOf"] == [
            {"$ref": "#/components/schemas/OrphanReason"},
            {"type": "null"},
        ]
    constants = {
        "Kind": KINDS,
        "Status": STATUSES,
        "Visibility": VISIBILITIES,
        "LinkType": LINK_TYPES,
        "Direction": DIRECTIONS,
        "Role": ROLES,
        "OrphanReason": ORPHAN_REASONS,
        "ConflictType": CONFLICT_TYPES,
        "Severity": SEVERITIES,
    }
    for name, values in constants.items():
        assert schemas[name] == {"type": "string", "enum": list(values)}, name
