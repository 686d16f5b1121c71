"""Schemas every resource shares: paging, problems, base classes."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from service.problems import CELL_CODES, PROBLEM_CODES, RULE_CODES, WARNING_CODES

MAX_LIMIT = 1000


class StrictSchema(Schema):
    """Refuses unknown fields, listing them in the 422 answer."""

    class Meta:
        unknown = RAISE


class ChangeSchema(StrictSchema):
    """The body of a PATCH: at least one field (no body, or ``{}``, is 422).

    Documented as ``minProperties: 1`` (``MIN_PROPERTIES``, read by the API's spec plugin).
    """

    MIN_PROPERTIES = 1

    @validates_schema(pass_original=True)
    def _something_to_change(self, data, original, **_kwargs):
        if not original:
            raise ValidationError("Send at least one field to change.", "_schema")


class PageArgs(StrictSchema):
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page (at most {MAX_LIMIT})."},
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(0, 10**9),
        metadata={"description": "Items to skip."},
    )


class ResponseSchema(Schema):
    """An answer's shape: documented with no members beyond its fields.

    ``unknown`` only matters when loading; apispec documents RAISE as
    ``additionalProperties: false``, so clients (and the contract tests) learn of any field
    the server sends without declaring it.
    """

    class Meta:
        unknown = RAISE


def Code(choices, **kwargs) -> fields.String:  # noqa: N802 - reads as a field type
    """A code from a fixed list, documented as an enum (validated when loading)."""
    return fields.String(validate=validate.OneOf(tuple(choices)), **kwargs)


class PageSchema(ResponseSchema):
    total = fields.Integer(required=True, metadata={"description": "Items matching the filters."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A collection schema ``{"items": [...], "total", "limit", "offset"}``."""
    return type(
        name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)}
    )


class ViolationSchema(ResponseSchema):
    """One rule an import document breaks."""

    code = Code(RULE_CODES, required=True)
    detail = fields.String(required=True)
    refs = fields.List(fields.String(), required=True, metadata={"description": "Refs involved."})
    field = fields.String(
        metadata={"description": "The field of the one node the rule is about, when it names one."}
    )


class CellProblemSchema(ResponseSchema):
    """What is wrong with one cell (or one row, where ``column`` is null)."""

    row = fields.Integer(
        required=True, metadata={"description": "The sheet's row; the header is 1."}
    )
    column = fields.String(required=True, allow_none=True)
    code = Code(CELL_CODES, required=True)
    detail = fields.String(required=True)


class CellWarningSchema(ResponseSchema):
    """Something read differently from how it stands in the file."""

    row = fields.Integer(required=True)
    column = fields.String(required=True, allow_none=True)
    code = Code(WARNING_CODES, required=True)
    detail = fields.String(required=True)


class ProblemSchema(ResponseSchema):
    """RFC 9457 problem details, with Throughline's stable ``code``.

    Beside the five members every problem has, each code documents the extension members it
    may carry; no other member is sent.
    """

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    code = Code(
        PROBLEM_CODES, required=True, metadata={"description": "Stable machine-readable code."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Invalid fields and why (validation errors)."},
    )
    node_ids = fields.List(fields.Integer(), metadata={"description": "Nodes involved."})
    cycle = fields.List(
        fields.Integer(), metadata={"description": "The node ids of the loop a change would close."}
    )
    entity = fields.String(metadata={"description": "What was not found."})
    link_id = fields.Integer(metadata={"description": "The link that already exists."})
    term_id = fields.Integer(
        metadata={"description": "The term that already has the name or alias."}
    )
    definition_id = fields.Integer(
        metadata={"description": "The definition that already exists for the team."}
    )
    child_teams = fields.Integer(metadata={"description": "Teams below one still in use."})
    tokens = fields.Integer(
        metadata={"description": "API tokens (revoked ones too) of a person still in use."}
    )
    definitions = fields.Integer(
        metadata={"description": "Glossary definitions of a team still in use."}
    )
    members = fields.Integer(metadata={"description": "People in a team still in use."})
    violations = fields.List(
        fields.Nested(ViolationSchema),
        metadata={"description": "Every rule an import document breaks."},
    )
    problems = fields.List(
        fields.Nested(CellProblemSchema),
        metadata={"description": "What is wrong in an imported table, cell by cell."},
    )
    warnings = fields.List(
        fields.Nested(CellWarningSchema),
        metadata={"description": "What an imported table had read differently."},
    )
