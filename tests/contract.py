"""Every answer the suite's apps give, checked against the OpenAPI document.

``ResponseContract.check`` finds the operation a request was routed to, the response the
document gives for its status (or ``default``), and checks the answer's content type, its
headers marked ``required`` and its JSON body (a missing required field, an undeclared one,
a wrong type or a value outside an enum). The suite's ``app`` fixture runs it after every
request and fails the test at teardown if any answer broke the document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Request, Response
from jsonschema import Draft202012Validator

PROBLEM = "application/problem+json"
_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def openapi_path(rule: str) -> str:
    """``/api/v1/nodes/<int:node_id>`` -> ``/api/v1/nodes/{node_id}``."""
    return _PARAMETER.sub(r"{\1}", rule)


class ResponseContract:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self._validators: dict[str, Draft202012Validator] = {}

    def _resolve(self, item: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in item:
            section, name = item["$ref"].split("/")[-2:]
            item = self.spec["components"][section][name]
        return item

    def _validator(self, key: str, schema: dict[str, Any]) -> Draft202012Validator:
        if key not in self._validators:
            rooted = {**schema, "components": self.spec["components"]}
            self._validators[key] = Draft202012Validator(rooted)
        return self._validators[key]

    def check(self, request: Request, response: Response) -> list[str]:
        """What is wrong with this answer, by the document (nothing: an empty list)."""
        if response.is_streamed:
            return []
        rule = request.url_rule
        path = openapi_path(rule.rule) if rule is not None else None
        operation = self.spec["paths"].get(path, {}).get(request.method.lower())
        if operation is None:
            # Probes, the document itself, unknown paths: only their problems are checked.
            if response.mimetype != PROBLEM:
                return []
            return self._body(f"problem {response.status_code}", _problem_schema(), response)
        where = f"{request.method} {path} -> {response.status_code}"
        responses = operation["responses"]
        entry = responses.get(str(response.status_code), responses.get("default"))
        if entry is None:
            return [f"{where}: status not documented"]
        entry = self._resolve(entry)
        wrong = [
            f"{where}: header {name} missing"
            for name, header in entry.get("headers", {}).items()
            if self._resolve(header).get("required") and name not in response.headers
        ]
        content = entry.get("content")
        if not content:
            # werkzeug never sends the body of a 204, whatever the view left in it.
            if response.status_code != 204 and response.get_data():
                wrong.append(f"{where}: a body where none is documented")
            return wrong
        media = content.get(response.mimetype)
        if media is None:
            return [*wrong, f"{where}: content type {response.mimetype} not documented"]
        if not response.is_json:  # a text or file body (an export): its type is all it says
            return wrong
        return wrong + self._body(where, media["schema"], response)

    def _body(self, where: str, schema: dict[str, Any], response: Response) -> list[str]:
        try:
            body = json.loads(response.get_data())
        except ValueError:
            return [f"{where}: the body is not JSON"]
        validator = self._validator(json.dumps(schema, sort_keys=True), schema)
        return [
            f"{where}: {'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in list(validator.iter_errors(body))[:5]
        ]


def _problem_schema() -> dict[str, Any]:
    return {"$ref": "#/components/schemas/Problem"}


def watch(app: Flask, contract: ResponseContract, broken: list[str]) -> None:
    """Check every answer of ``app``, appending what is wrong to ``broken``.

    The hook goes first in the list, so it runs last: after every other after-request
    function has set its headers.
    """

    def record(response: Response) -> Response:
        from flask import request

        broken.extend(contract.check(request, response))
        return response

    app.after_request_funcs.setdefault(None, []).insert(0, record)
