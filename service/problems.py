"""Every code a problem answer can carry, in one place.

The codes are part of the public API: the OpenAPI document lists them as the enum of a
problem's ``code`` (and of an import violation's), and a test fails when the code raises a
code that is not listed here (``tests/test_problem_codes.py``).
"""

from __future__ import annotations

__all__ = [
    "CELL_CODES",
    "HTTP_CODES",
    "PROBLEM_CODES",
    "RULE_CODES",
    "SERVICE_CODES",
    "TABLE_CODES",
    "WARNING_CODES",
]

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    417: "expectation_failed",
    422: "validation_error",
    428: "precondition_required",
    429: "too_many_requests",
    431: "request_header_fields_too_large",
    500: "internal_error",
    501: "not_implemented",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
"""The code of a plain HTTP error, by status."""

SERVICE_CODES = {
    "error": "An HTTP error with no code of its own (a status not listed above).",
    "malformed_json": "The body is not valid JSON (or nests too deeply).",
    "malformed_url": "The path or query string is not valid UTF-8.",
    "integrity_error": "The change conflicts with existing data.",
    "invalid_value": "A value is out of the range the database accepts.",
    "database_unavailable": "The database cannot be reached; retry after Retry-After.",
    "migrations_pending": "The database schema is behind the code; retry after Retry-After.",
    "graph_warming": "A worker is still building its graph; retry after Retry-After.",
    "too_large": "The answer would hold more than its format allows (Mermaid: 500 nodes).",
    "import_invalid": "An import breaks rules; `violations` (or a table's `problems`) lists each.",
    "unreadable_table": "The body is no table that can be read (CSV text or an xlsx workbook).",
}
"""Codes of the service itself, beside the HTTP ones."""

RULE_CODES = {
    "cycle": "The change would close a loop; `cycle` lists its node ids.",
    "level": "A parent would be more specific than its child.",
    "mission_parent": "A mission supports nothing above it.",
    "self_link": "A node cannot be linked to itself.",
    "duplicate": "Such a link, or a definition of the term for that team, already exists.",
    "duplicate_term": "Another term already has this name or alias (ignoring case).",
    "repeated_name": "A term's alias repeats its name or another of its aliases.",
    "duplicate_ref": "Another entity already has this ref.",
    "unknown_reference": "A reference names nothing that exists.",
    "has_supporters": "Other nodes still support this one (see `node_ids`).",
    "in_use": "Other entities still refer to this one.",
    "date_order": "An end or due date is before the start date.",
    "standalone_reason_required": "A standalone node needs a reason.",
    "reported_progress_on_work_only": "Only work takes reported_progress.",
    "key_results_on_goals_only": "Only goals have key results.",
    "empty_span": "A key result's start and target values are equal.",
    "direction_mismatch": "A key result's target lies against its direction.",
    "not_reviewable": "Only supports links are reviewed.",
    "serves_kind": "A serves link runs from a vision, strategy or goal to a need.",
    "need_link": "A need takes part in serves links only.",
    "need_type_required": "A need needs a need_type.",
    "need_fields": "Only needs take segment and need_type.",
    "not_for_needs": "A need takes no clarity fields, budget or spent.",
    "done_at_not_done": "An import gives done_at to a node that is not done.",
    "person_required": "Only a person may restate a node in their own words.",
}
"""Codes of the domain's rules: a refused write, or a violation listed by an import."""

TABLE_CODES = {
    "missing_column": "The sheet lacks a column its layout requires.",
}
"""Codes of a table import's cell problems beside the rules' own (and ``invalid_value``)."""

CELL_CODES = tuple(dict.fromkeys([*RULE_CODES, "invalid_value", *TABLE_CODES]).keys())
"""Every code a cell problem of a table import may carry."""

WARNING_CODES = {
    "unknown_column": "A column the layout does not read; it is ignored.",
    "unmatched_assignee": "No person matches a tracker's assignee; the item keeps its owner.",
    "unknown_parent": "A parent id names no issue of the file; the link is not made.",
    "title_shortened": "A title longer than 200 characters was shortened.",
}
"""Codes of a table import's warnings: what was read differently from how it stands."""

PROBLEM_CODES = tuple(dict.fromkeys([*HTTP_CODES.values(), *SERVICE_CODES, *RULE_CODES]).keys())
"""Every code a problem answer may carry."""
