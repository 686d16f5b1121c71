"""What the OpenAPI document says beyond the schemas: headers, preconditions, unions.

An apispec plugin that completes every operation flask-smorest documents:

- ``ETag`` on the answers of operations that send one (marked by ``with_etag``), and
  ``X-Request-ID`` on every answer;
- the ``If-Match`` request header on every operation that can answer 412;
- ``oneOf`` for fields that hold one of several shapes (a node summary or its redacted
  placeholder), from the field's ``one_of`` metadata.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

ETAG_MARK = "x-throughline-etag"
"""Set on an operation whose successful answers carry an ``ETag``."""

HEADERS = {
    "ETag": {
        "description": "The entity's version, for If-Match on a later change.",
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    },
    "X-Request-ID": {
        "description": "The request's id in the service's logs (the caller's own, if valid).",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    },
}

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag the change was made against; a stale one is refused with 412 "
    "and changes nothing.",
    "schema": {"type": "string"},
}


def header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


class ContractPlugin(BasePlugin):
    """Documents headers, preconditions and unions on every operation."""

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        for name, definition in HEADERS.items():
            spec.components.header(name, definition)
        spec.components.parameter("IfMatch", "header", IF_MATCH)
        for plugin in spec.plugins:
            if isinstance(plugin, MarshmallowPlugin):
                plugin.converter.add_attribute_function(_one_of)

    def operation_helper(self, path=None, operations=None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            etag = operation.pop(ETAG_MARK, False)
            responses = operation.get("responses", {})
            for status, response in responses.items():
                if isinstance(response, dict) and str(status).startswith("2"):
                    headers = response.setdefault("headers", {})
                    if etag and str(status) != "204":
                        headers["ETag"] = header("ETag")
                    headers["X-Request-ID"] = header("X-Request-ID")
            if method in {"patch", "put", "delete"} and _documents(responses, 412):
                operation.setdefault("parameters", []).append(
                    "IfMatch"  # a reference to the component
                )


def _documents(responses: dict, status: int) -> bool:
    return any(str(code) == str(status) for code in responses)


def _one_of(self, field: fields.Field, ret: dict, **_kwargs: Any) -> dict:
    """A field documented as one of several schemas (``metadata={"one_of": [...]}``)."""
    choices = field.metadata.get("one_of")
    if not choices:
        return {}
    ret.pop("$ref", None)
    ret.pop("allOf", None)
    return {"oneOf": [self.resolve_nested_schema(choice) for choice in choices]}
