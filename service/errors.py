"""Every error the API answers, rendered as RFC 9457 ``application/problem+json``.

Flask and werkzeug are imported where a response is built, not above: commands that
never answer HTTP (``throughline check``, ``import``) reach this module through the
analyses and must not load a web framework for it.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    StatementError,
)
from sqlalchemy.orm.exc import StaleDataError

if TYPE_CHECKING:
    from flask import Flask, Response
    from werkzeug.exceptions import HTTPException

from service.domain.errors import Conflict, DomainError, NotFound, PreconditionFailed
from service.problems import HTTP_CODES

PROBLEM_MIMETYPE = "application/problem+json"
TYPE_BASE = "https://throughline.dev/problems/"

__all__ = ["Conflict", "DomainError", "NotFound", "PreconditionFailed", "problem"]

log = logging.getLogger(__name__)


def problem(
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    headers: Any = None,
    **extra: Any,
) -> Response:
    """Build one problem response."""
    body = {
        "type": TYPE_BASE + code,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    from flask import Response, json

    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    if headers:
        for name, value in dict(headers).items():
            if name.lower() not in {"content-type", "content-length"}:
                response.headers[name] = value
    return response


def http_problem(error: HTTPException) -> Response:
    """Render a werkzeug exception, keeping its headers (``Allow`` on 405, for one)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    extra: dict[str, Any] = {}
    code = data.get("code") or HTTP_CODES.get(status, "error")
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    errors = data.get("errors") or data.get("messages")
    if errors is not None:
        extra["errors"] = _flatten_location(errors)
        detail = "The request has invalid fields: " + ", ".join(sorted(extra["errors"])) + "."
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    headers.extend(dict(data.get("headers") or {}).items())
    return problem(status, code, detail, headers=headers, **extra)


def _flatten_location(errors: dict) -> dict:
    """webargs nests errors under their location ('json', 'query'); clients want field names."""
    flat: dict = {}
    for key, value in errors.items():
        if key in {"json", "query", "path", "headers", "form", "files", "view_args"} and isinstance(
            value, dict
        ):
            flat.update(value)
        else:
            flat[key] = value
    return flat


def _schema_is_behind(error: DBAPIError) -> bool:
    """A table or column the code needs is missing: the schema is behind the code."""
    if getattr(error.orig, "sqlstate", None) in ("42P01", "42703"):  # undefined table, column
        return True
    message = str(error.orig)  # SQLite says it in words
    missing = message.startswith(("no such table", "no such column"))
    return missing or "has no column named" in message


def _retry_later(code: str, detail: str) -> Response:
    """503: the service cannot answer now, but may once the database is back or current."""
    return problem(503, code, detail, headers={"Retry-After": "5"})


def init_app(app: Flask) -> None:
    """Register the handlers that turn every exception into a problem response."""
    from werkzeug.exceptions import HTTPException

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        return problem(error.status, error.code, error.detail, **error.extra)

    @app.errorhandler(StaleDataError)
    def _stale(_error):
        return problem(412, "precondition_failed", "The resource changed while being updated.")

    @app.errorhandler(IntegrityError)
    def _integrity(error):
        log.info("integrity error: %s", error.orig)
        return problem(409, "integrity_error", "The change conflicts with existing data.")

    @app.errorhandler(OperationalError)
    def _unavailable(error):
        if _schema_is_behind(error):
            return _schema_behind(error)
        log.warning("database unavailable: %s", error.orig)
        return _retry_later(
            "database_unavailable", "The database cannot be reached; try again shortly."
        )

    @app.errorhandler(ProgrammingError)
    def _programming(error):
        return _schema_behind(error) if _schema_is_behind(error) else _database(error)

    def _schema_behind(error):
        log.error("database schema does not match the code: %s", error.orig)
        return _retry_later(
            "migrations_pending",
            "The database schema is not the one this version needs; run `throughline db upgrade`.",
        )

    @app.errorhandler(DBAPIError)
    def _database(error):
        if error.connection_invalidated:
            return _unavailable(error)
        log.warning("database refused a statement: %s", error.orig)
        return problem(422, "invalid_value", "A value is out of the range the database accepts.")

    @app.errorhandler(StatementError)
    def _statement(error):
        log.warning("statement error: %s", error)
        return problem(422, "invalid_value", "A value cannot be stored.")

    @app.errorhandler(Exception)
    def _unexpected(error):
        if isinstance(error, HTTPException):
            return http_problem(error)
        log.exception("unhandled error")
        return problem(500, "internal_error", "An unexpected error occurred.")
