"""Request-level rules every endpoint shares: body types, JSON parsing, security headers."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import orjson
from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import UnsupportedMediaType

from service.bodies import ReadableInput, load_json
from service.errors import problem
from service.tables.read import TABLE_MEDIA

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
IMPORT_PATHS = frozenset({"/api/v1/import", "/api/v1/import/table"})
# Bodies that are not JSON, by the path that takes them.
TABLE_TYPES = frozenset({"application/csv", *TABLE_MEDIA})
OTHER_BODIES = {"/api/v1/import/table": TABLE_TYPES}


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, written by orjson and refusing documents nested too deeply to parse.

    Answers are written by orjson, several times faster than the standard library on the
    large traces and analyses this service sends (keys sorted, as before); what orjson
    cannot write (an integer past 64 bits echoed in an error) goes to the standard library.
    Bodies are still read by the standard library, whose errors become 400 problems.
    """

    OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS

    def dumps(self, obj, **kwargs):
        if kwargs:  # a caller asking for the standard library's options gets them
            return super().dumps(obj, **kwargs)
        return self._encode(obj).decode()

    def response(self, *args, **kwargs) -> Response:
        body = self._encode(self._prepare_response_obj(args, kwargs)) + b"\n"
        return self._app.response_class(body, mimetype=self.mimetype)

    def _encode(self, obj) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default, option=self.OPTIONS)
        except orjson.JSONEncodeError:
            return super().dumps(obj).encode()

    def loads(self, s, **kwargs):
        if kwargs:
            return super().loads(s, **kwargs)
        return load_json(s)  # the same rules as every body the schemas read


MAX_URL_BYTES = 8192


def _bounded_url() -> Response | None:
    if len(request.full_path) > MAX_URL_BYTES:
        return problem(414, "uri_too_long", f"The URL is longer than {MAX_URL_BYTES} bytes.")
    return None


def _utf8_url() -> Response | None:
    """A path or query string that is not UTF-8 is refused, not read with replacements.

    werkzeug decodes bad bytes to U+FFFD, so ``%ED%A0%80`` and ``%FF`` would both name the
    ref "\ufffd": different bad refs would collapse onto one node.
    """
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")  # as the client sent it
    try:
        if raw:
            unquote_to_bytes(raw).decode("utf-8")
        else:
            environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
            unquote_to_bytes(environ.get("QUERY_STRING", "")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return problem(400, "malformed_url", "The path or query string is not valid UTF-8.")
    return None


def _require_json_body() -> Response | None:
    from service.auth.middleware import signed_in_by_session

    if request.method not in BODY_METHODS or signed_in_by_session():
        return None
    if request.path in IMPORT_PATHS:  # whole companies arrive here
        request.max_content_length = current_app.config["THROUGHLINE"].max_import_bytes
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    if not has_body:
        return None
    mimetype = request.mimetype or ""
    other = OTHER_BODIES.get(request.path)
    if other is not None:
        if mimetype in other:
            return None
        expected = " or ".join(sorted(other))
        detail = f"Send the body as {expected}, not {mimetype or 'an unnamed type'}."
        return problem(415, "unsupported_media_type", detail)
    if mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        return None
    error = UnsupportedMediaType(
        f"Send the body as application/json, not {mimetype or 'an unnamed type'}."
    )
    return problem(415, "unsupported_media_type", error.description)


def _cors(response: Response) -> Response:
    """Let the configured portal origins call the API from browsers; nobody else."""
    origin = request.headers.get("Origin")
    allowed = current_app.config["THROUGHLINE"].cors_origins
    if not origin or origin not in allowed:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.vary.add("Origin")
    response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After, X-Request-ID"
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = (
            "Authorization, Content-Type, If-Match, X-Request-ID"
        )
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith("/api/") and not request.path.endswith("openapi.json"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.json = JSONProvider(app)
    app.wsgi_app = ReadableInput(app.wsgi_app)
    app.before_request(_bounded_url)
    app.before_request(_utf8_url)
    app.before_request(_require_json_body)
    app.after_request(_security_headers)
    app.after_request(_cors)
