"""Shapes of nodes: what clients send and what they get back."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models import KINDS, STATUSES
from models.alignment import VISIBILITIES
from service.schemas.common import ChangeSchema, PageArgs, StrictSchema, page_of
from service.schemas.fields import Date, Fraction, Id, QueryId, Text, Url, strict_bool

_KIND = validate.OneOf(KINDS)
_STATUS = validate.OneOf(STATUSES)
_VISIBILITY = validate.OneOf(VISIBILITIES)


class NodeFieldsSchema(StrictSchema):
    """Fields a client may set on a node."""

    title = Text(min_length=1, max_length=200)
    description = Text(max_length=20_000, allow_none=True)
    status = fields.String(validate=_STATUS, metadata={"description": "Lifecycle status."})
    owner_id = Id(allow_none=True, metadata={"description": "The person who owns the node."})
    team_id = Id(allow_none=True)
    period_id = Id(allow_none=True)
    ref = Text(
        min_length=1, max_length=200, allow_none=True, metadata={"description": "External key."}
    )
    url = Url(allow_none=True)
    start_date = Date(allow_none=True)
    due_date = Date(allow_none=True)
    standalone = strict_bool(metadata={"description": "Intentionally unaligned (never an orphan)."})
    standalone_reason = Text(max_length=2000, allow_none=True)
    visibility = fields.String(validate=_VISIBILITY)
    reported_progress = Fraction(
        allow_none=True, metadata={"description": "Progress of work, 0..1."}
    )


class NodeCreateSchema(NodeFieldsSchema):
    kind = fields.String(required=True, validate=_KIND)
    title = Text(required=True, min_length=1, max_length=200)


class NodeUpdateSchema(ChangeSchema, NodeFieldsSchema):
    """Every field optional: only those sent change."""

    kind = fields.String(validate=_KIND)


class NodeUpsertSchema(NodeCreateSchema):
    """The body of PUT by-ref: the ref comes from the path."""

    ref = None

    class Meta:
        exclude = ("ref",)


class NodeSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True)
    status = fields.String(required=True)
    owner_id = fields.Integer(allow_none=True)
    team_id = fields.Integer(allow_none=True)
    period_id = fields.Integer(allow_none=True)
    ref = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)
    standalone = fields.Boolean()
    standalone_reason = fields.String(allow_none=True)
    visibility = fields.String()
    reported_progress = fields.Float(allow_none=True)
    progress = fields.Float(
        allow_none=True, metadata={"description": "Computed progress in [0, 1], or null."}
    )
    version = fields.Integer(metadata={"description": "Changes on every update (the ETag)."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NodeSummarySchema(Schema):
    """A node as it appears inside traces and analyses."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String()
    status = fields.String()
    team_id = fields.Integer(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    standalone = fields.Boolean()
    progress = fields.Float(allow_none=True)
    redacted = fields.Boolean()


class NodeQueryArgs(PageArgs):
    kind = fields.String(validate=_KIND)
    status = fields.String(validate=_STATUS)
    team_id = QueryId()
    owner_id = QueryId()
    period_id = QueryId()
    ref = Text(max_length=200)
    q = Text(max_length=200, metadata={"description": "Case-insensitive text in the title."})


class DeleteArgs(StrictSchema):
    detach = fields.Boolean(
        load_default=False,
        metadata={"description": "Also delete the node's links instead of refusing with 409."},
    )


NodePageSchema = page_of(NodeSchema, "NodePage")
