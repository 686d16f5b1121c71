"""What the OpenAPI document says beyond the schemas: headers, preconditions, unions.

An apispec plugin that completes every operation flask-smorest documents:

- ``ETag`` on the answers of operations that send one (marked by ``with_etag``), and
  ``X-Request-ID`` on every answer;
- the ``If-Match`` request header on every operation that can answer 412;
- ``oneOf`` for schemas that dump one of several shapes (a node summary or its redacted
  placeholder): every reference to such a schema names the union instead;
- named enums: a field whose choices are one of the domain's lists of codes refers to one
  component (``Kind``, ``Status``, ...), so a generated client has one type for each, and a
  nullable one is ``anyOf`` the enum and null.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apispec import APISpec, BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import make_schema_key, resolve_schema_instance
from marshmallow import Schema, validate

ETAG_MARK = "x-throughline-etag"
"""Set on an operation whose successful answers carry an ``ETag``."""

HEADERS = {
    "ETag": {
        "description": "The entity's version, for If-Match on a later change.",
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    },
    "X-Request-ID": {
        "description": "The request's id in the service's logs (the caller's own, if valid).",
        "required": True,
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
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
    """Documents headers, preconditions, unions, named enums and formats.

    ``unions`` maps a schema used for dumping to the schemas of the shapes it dumps;
    ``enums`` names each list of codes.
    """

    def __init__(
        self,
        unions: dict[type[Schema], tuple[type[Schema], ...]],
        enums: dict[str, Iterable[str]],
    ):
        self.unions = unions
        self.enums = {tuple(choices): name for name, choices in enums.items()}

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.spec = spec
        for name, definition in HEADERS.items():
            spec.components.header(name, definition)
        spec.components.parameter("IfMatch", "header", IF_MATCH)
        converter = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin)).converter
        plugin = self

        def named_enum(_converter, field, ret: dict, **_kwargs: Any) -> dict:
            return plugin._named_enum(field, ret)

        converter.add_attribute_function(named_enum)
        converter.add_attribute_function(_formats)
        for schema, shapes in self.unions.items():
            name = converter.schema_name_resolver(schema)
            choices = [converter.resolve_nested_schema(shape) for shape in shapes]
            spec.components.schema(name, {"oneOf": choices})
            converter.refs[make_schema_key(resolve_schema_instance(schema))] = name

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

    def _named_enum(self, _field: Any, ret: dict) -> dict:
        """Refer to a named enum component, and write a nullable enum as anyOf it and null."""
        if "enum" not in ret:
            return {}
        values = [value for value in ret["enum"] if value is not None]
        types = ret["type"] if isinstance(ret.get("type"), list) else [ret.get("type")]
        if "string" not in types:
            return {}
        nullable = None in ret["enum"] or "null" in types
        name = self.enums.get(tuple(values))
        if name is None and not nullable:
            return {}
        enum = {"type": "string", "enum": values}
        if name is not None:
            if name not in self.spec.components.schemas:
                self.spec.components.schema(name, enum)
            enum = {"$ref": f"#/components/schemas/{name}"}
        ret.pop("enum")
        ret.pop("type", None)
        return {"anyOf": [enum, {"type": "null"}]} if nullable else enum


# Validators whose rule a JSON Schema format states, so clients send what is accepted.
FORMATS = ((validate.URL, "uri"), (validate.Email, "email"))


def _formats(_converter, field, ret: dict, **_kwargs: Any) -> dict:
    """``format: uri`` or ``email`` for a string field its validators hold to one.

    (Text also refuses NUL characters; a pattern saying so would make every fuzzer and
    client-side validator pay for a regular expression on each string, so it is left to
    the 422 answer.)
    """
    found = {}
    for validator in field.validators:
        for kind, name in FORMATS:
            if isinstance(validator, kind):
                found["format"] = name
    return found


def _documents(responses: dict, status: int) -> bool:
    return any(str(code) == str(status) for code in responses)
