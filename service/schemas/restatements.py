"""Shapes of restatements: a node said back in a person's own words (DOMAIN.md 13)."""

from __future__ import annotations

from marshmallow import fields, validate

from models import KINDS
from service.domain.rules import RESTATEMENT_LENGTH
from service.schemas.common import Code, PageSchema, ResponseSchema, StrictSchema
from service.schemas.fields import Text


class RestatementCreateSchema(StrictSchema):
    text = Text(
        required=True,
        min_length=1,
        max_length=RESTATEMENT_LENGTH,
        validate=[validate.Regexp(r"[\s\S]*\S", error="Must not be blank.")],
        metadata={"description": "What you heard, in your own words."},
    )


class RestatementSchema(ResponseSchema):
    id = fields.Integer(required=True)
    node_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(required=True)
    text = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class StatementSchema(ResponseSchema):
    """What the node itself says, shown beside the restatements."""

    id = fields.Integer(required=True)
    kind = Code(KINDS, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    user_outcome = fields.String(required=True, allow_none=True)
    business_outcome = fields.String(required=True, allow_none=True)
    target_group = fields.String(required=True, allow_none=True)
    measure = fields.String(required=True, allow_none=True)


class RestatementPageSchema(PageSchema):
    statement = fields.Nested(StatementSchema, required=True)
    items = fields.List(fields.Nested(RestatementSchema), required=True)
    agreement = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Mean Jaccard similarity of the restatements' stemmed content "
            "words over all pairs, 0..1; null with fewer than two."
        },
    )
