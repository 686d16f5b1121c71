"""The committed OpenAPI document is valid, complete and matches the code."""

from __future__ import annotations

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
