"""The errors domain operations raise: a stable code, a detail, and extension members.

They know nothing of HTTP beyond a status number; ``service.errors`` renders them as
``application/problem+json``. Codes are part of the public API.
"""

from __future__ import annotations

from typing import Any

# Ids are integers that fit every database's BIGINT and every client's JSON number.
MAX_ID = 2**53 - 1


class DomainError(Exception):
    """A rule of the domain refused an operation; ``code`` is part of the public API."""

    status = 422

    def __init__(self, code: str, detail: str, status: int | None = None, **extra: Any):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        if status is not None:
            self.status = status
        self.extra = extra


class NotFound(DomainError):
    """404: the entity does not exist, or the caller may not know that it does."""

    status = 404

    def __init__(self, entity: str, entity_id: Any):
        super().__init__("not_found", f"{entity} {entity_id} does not exist.", entity=entity)


class Conflict(DomainError):
    """409: the operation conflicts with stored data."""

    status = 409


class PreconditionFailed(DomainError):
    """412: the request was made against an older version."""

    status = 412

    def __init__(self, detail: str = "The resource changed since the given ETag."):
        super().__init__("precondition_failed", detail)
