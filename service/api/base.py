"""The flask-smorest Api and Blueprint, adapted to problem+json and strict parsing."""

from __future__ import annotations

import http
import json
from functools import wraps

import flask_smorest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import g, request
from flask_smorest.utils import prepare_response
from marshmallow import RAISE, Schema, ValidationError, missing
from webargs.flaskparser import FlaskParser, is_json_request

from models import KINDS, LINK_TYPES, NEED_TYPES, ROLES, STATUSES
from models.alignment import VISIBILITIES
from models.audit import AUDIT_ACTIONS, AUDIT_ENTITY_TYPES
from models.okr import DIRECTIONS
from service.api.contract import ETAG_MARK, ContractPlugin, header
from service.auth.middleware import current_principal
from service.bodies import load_json
from service.db import session
from service.domain.changes import Changes
from service.domain.common import etag
from service.errors import PROBLEM_MIMETYPE, http_problem
from service.graph.codes import CLARITY_GAPS, CONFLICT_TYPES, ORPHAN_REASONS, SEVERITIES
from service.graph.language import LANGUAGE_FINDING_TYPES
from service.problems import CELL_CODES, PROBLEM_CODES, RULE_CODES, WARNING_CODES
from service.schemas.common import ProblemSchema
from service.schemas.links import LinkOutlineSchema, LinkSchema, SuspectLinkSchema
from service.schemas.nodes import NodeSummarySchema, RedactedNodeSchema, VisibleNodeSchema
from service.schemas.table_imports import LAYOUTS


class Parser(FlaskParser):
    """Refuses unknown query parameters and turns unreadable JSON into a 400 problem."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._empty_queries: dict[Schema, dict | None] = {}

    def parse(self, argmap, req=None, *, location=None, validate=None, **kwargs):
        """As webargs', but a query schema loads an empty query string once and for all.

        Most reads send no query string, and loading nothing gives the same answer each
        time when the schema's defaults are constants and it has no hooks.
        """
        if (
            location in ("query", "querystring")
            and validate is None
            and isinstance(argmap, Schema)
            and not (request if req is None else req).query_string
        ):
            if argmap not in self._empty_queries:
                self._empty_queries[argmap] = _constant_load(argmap)
            loaded = self._empty_queries[argmap]
            if loaded is not None:
                return dict(loaded)
        return super().parse(argmap, req, location=location, validate=validate, **kwargs)

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        return load_json(req.get_data(cache=True))

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        flask_smorest.abort(
            400, message=f"The body is not valid JSON: {error}", code="malformed_json"
        )


def _constant_load(schema: Schema) -> dict | None:
    """What ``schema`` loads from no input, if that is the same every time; else None."""
    if any(schema._hooks.get(tag) for tag in ("pre_load", "post_load", "validates_schema")):
        return None
    if any(callable(field.load_default) for field in schema.load_fields.values()):
        return None
    try:
        loaded = schema.load({})
    except ValidationError:
        return None  # answered by the usual path, with its 422
    if not all(value is None or isinstance(value, int | float | str) for value in loaded.values()):
        return None
    return loaded


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def route(self, rule, *, parameters=None, **options):
        """Register a MethodView, documenting the errors every operation can give."""
        register = super().route(rule, parameters=parameters, **options)

        def decorator(view):
            for method in ("get", "post", "put", "patch", "delete"):
                func = getattr(view, method, None)
                if func is not None:
                    common = (401, 429, 503) if method == "get" else (401, 403, 429, 503)
                    setattr(view, method, self.errors(*common)(func))
            return register(view)

        return decorator

    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's, with one schema instance per operation, not one per request."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)

    def operation(self, operation_id: str):
        """Name the operation: its ``operationId``, the function name in generated clients.

        Names are part of the contract: portals' code calls them, so they never change.
        """
        return self.doc(operationId=operation_id)

    def errors(self, *statuses: int):
        """Document the problem responses an operation can give."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(status, response=http.HTTPStatus(status).name)(func)
            return func

        return decorator


# Headers of error answers, beside X-Request-ID which every answer carries.
ERROR_HEADERS = {429: ("Retry-After",), 503: ("Retry-After",)}


# The domain's lists of codes, each one named enum in the document.
ENUMS = {
    "Kind": KINDS,
    "Status": STATUSES,
    "Visibility": VISIBILITIES,
    "NeedType": NEED_TYPES,
    "LinkType": LINK_TYPES,
    "Direction": DIRECTIONS,
    "Role": ROLES,
    "OrphanReason": ORPHAN_REASONS,
    "ConflictType": CONFLICT_TYPES,
    "Severity": SEVERITIES,
    "ClarityGap": CLARITY_GAPS,
    "LanguageFindingType": LANGUAGE_FINDING_TYPES,
    "AuditAction": AUDIT_ACTIONS,
    "AuditEntityType": AUDIT_ENTITY_TYPES,
    "ProblemCode": PROBLEM_CODES,
    "RuleCode": RULE_CODES,
    "CellCode": CELL_CODES,
    "WarningCode": tuple(WARNING_CODES),
    "Layout": LAYOUTS,
}
# Schemas that dump one of several shapes, documented as oneOf those shapes.
UNIONS = {
    NodeSummarySchema: (VisibleNodeSchema, RedactedNodeSchema),
    SuspectLinkSchema: (LinkSchema, LinkOutlineSchema),
}


class SchemaPlugin(MarshmallowPlugin):
    """apispec's marshmallow plugin, documenting a schema's ``MIN_PROPERTIES`` too."""

    def schema_helper(self, name, definition, schema=None, **kwargs):
        json_schema = super().schema_helper(name, definition, schema=schema, **kwargs)
        if schema is None:  # a component given as a plain dict (a named enum, a union)
            return json_schema
        least = getattr(resolve_schema_instance(schema), "MIN_PROPERTIES", None)
        if json_schema is not None and least:
            json_schema["minProperties"] = least
        return json_schema


# The OpenAPI document of each set of document settings, once the first app of the process
# with those settings has built it. Later apps (another test's, a second app in a process)
# share it: the routes and schemas it comes from are fixed in the code, and building it
# is most of an app's start-up.
_DOCUMENTS: dict[str, APISpec] = {}
_DOCUMENT_SETTINGS = ("API_TITLE", "API_VERSION", "OPENAPI_VERSION", "API_SPEC_OPTIONS")


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = {"marshmallow_plugin": SchemaPlugin(), **(spec_kwargs or {})}
        spec_kwargs["extra_plugins"] = [
            *spec_kwargs.get("extra_plugins", ()),
            ContractPlugin(UNIONS, ENUMS),
        ]
        self._shared_document = False
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def _document_settings(self) -> str:
        settings = {name: self._app.config.get(name) for name in _DOCUMENT_SETTINGS}
        return json.dumps(settings, sort_keys=True, default=repr)

    def _init_spec(self, *args, **kwargs):
        built = _DOCUMENTS.get(self._document_settings())
        self._shared_document = built is not None
        if built is None:
            super()._init_spec(*args, **kwargs)
        else:
            self.spec = built

    def register_blueprint(self, blp, *, parameters=None, **options):
        """As flask-smorest's; with a shared document, only the routes are registered."""
        if not self._shared_document:
            super().register_blueprint(blp, parameters=parameters, **options)
            return
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)

    def document_complete(self) -> None:
        """Every blueprint is registered: later apps of the process may share the document."""
        _DOCUMENTS.setdefault(self._document_settings(), self.spec)

    def handle_http_exception(self, error):
        return http_problem(error)

    def _register_responses(self):
        """Document every error response as application/problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                names = ("X-Request-ID", *ERROR_HEADERS.get(status, ()))
                response["headers"] = {name: header(name) for name in names}
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {
            "description": "Error (problem details)",
            "headers": {"X-Request-ID": header("X-Request-ID")},
            "schema": self.ERROR_SCHEMA,
        }
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def changes() -> Changes:
    """The write transaction of the current request."""
    if "changes" not in g:
        g.changes = Changes(session(), current_principal())
    return g.changes


def json_body():
    """The request's JSON body, parsed under the same rules as every schema-checked body."""
    body = Blueprint.ARGUMENTS_PARSER.load_json(request, None)
    return {} if body is missing else body


def if_match():
    return request.if_match


def with_etag(func):
    """Answer with the entity and its ETag header."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        if isinstance(result, tuple):
            result, status = result
            return result, status, {"ETag": etag(result)}
        return result, {"ETag": etag(result)}

    return Blueprint.doc(**{ETAG_MARK: True})(wrapper)
