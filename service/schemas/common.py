"""Schemas every resource shares: paging, problems, base classes."""

from __future__ import annotations

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

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


class PageSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "Items matching the filters."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A collection schema ``{"items": [...], "total", "limit", "offset"}``."""
    return type(
        name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)}
    )


class ProblemSchema(Schema):
    """RFC 9457 problem details, with Throughline's stable ``code``.

    Problems may carry more members than these (RFC 9457 extension members).
    """

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "Stable machine-readable code."})
    errors = fields.Dict(metadata={"description": "Invalid fields and why (validation errors)."})
    node_ids = fields.List(fields.Raw(), metadata={"description": "Nodes involved, where any."})
    cycle = fields.List(fields.Raw(), metadata={"description": "The cycle a link would close."})
    entity = fields.String(metadata={"description": "What was not found."})
    link_id = fields.Integer(metadata={"description": "The link that already exists."})
    child_teams = fields.Integer(metadata={"description": "Teams below one still in use."})
    members = fields.Integer(metadata={"description": "People in a team still in use."})
    violations = fields.List(
        fields.Dict(), metadata={"description": "Every rule an import document breaks."}
    )
