"""Shapes of links between nodes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models import LINK_TYPES
from service.schemas.common import ChangeSchema, PageArgs, StrictSchema, page_of
from service.schemas.fields import Fraction, Id, QueryId, Text


class LinkCreateSchema(StrictSchema):
    type = fields.String(
        load_default="supports",
        validate=validate.OneOf(LINK_TYPES),
        metadata={"description": "Read as 'source <type> target'."},
    )
    source_id = Id(required=True, metadata={"description": "The child, for supports."})
    target_id = Id(required=True, metadata={"description": "The parent, for supports."})
    weight = Fraction(metadata={"description": "Share in the parent's progress (supports)."})
    rationale = Text(max_length=5000, allow_none=True)


class LinkUpdateSchema(ChangeSchema):
    weight = Fraction()
    rationale = Text(max_length=5000, allow_none=True)


class LinkSchema(Schema):
    id = fields.Integer(required=True)
    type = fields.String(required=True)
    source_id = fields.Integer(required=True)
    target_id = fields.Integer(required=True)
    weight = fields.Float()
    rationale = fields.String(allow_none=True)
    suspect = fields.Boolean(
        metadata={"description": "The target changed since this link was last reviewed."}
    )
    reviewed_at = fields.DateTime(allow_none=True)
    reviewed_by = fields.String(allow_none=True)
    restatement = fields.String(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class LinkQueryArgs(PageArgs):
    type = fields.String(validate=validate.OneOf(LINK_TYPES))
    source_id = QueryId()
    target_id = QueryId()
    node_id = QueryId(metadata={"description": "Links with this node at either end."})


LinkPageSchema = page_of(LinkSchema, "LinkPage")
