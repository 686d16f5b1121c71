"""Shapes of links between nodes."""

from __future__ import annotations

from marshmallow import fields, validate

from models import LINK_TYPES
from service.schemas.common import (
    ChangeSchema,
    Code,
    PageArgs,
    ResponseSchema,
    StrictSchema,
    page_of,
)
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


class LinkOutlineSchema(ResponseSchema):
    """A link as seen by a caller who may not see one of its ends: no words of its owner."""

    id = fields.Integer(required=True)
    type = Code(LINK_TYPES, required=True)
    source_id = fields.Integer(required=True)
    target_id = fields.Integer(required=True)
    suspect = fields.Boolean(
        required=True,
        metadata={"description": "The target changed since this link was last reviewed."},
    )


class LinkSchema(LinkOutlineSchema):
    weight = fields.Float(required=True)
    rationale = fields.String(required=True, allow_none=True)
    reviewed_at = fields.DateTime(required=True, allow_none=True)
    reviewed_by = fields.String(required=True, allow_none=True)
    restatement = fields.String(required=True, allow_none=True)
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class SuspectLinkSchema(LinkSchema):
    """How the suspect-links answer dumps a link: whole, or its outline (``oneOf`` the two)."""


class LinkQueryArgs(PageArgs):
    type = fields.String(validate=validate.OneOf(LINK_TYPES))
    source_id = QueryId()
    target_id = QueryId()
    node_id = QueryId(metadata={"description": "Links with this node at either end."})


LinkPageSchema = page_of(LinkSchema, "LinkPage")
