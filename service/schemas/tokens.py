"""Shapes of API tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models import ROLES
from service.schemas.common import StrictSchema, page_of
from service.schemas.fields import Id, Text


class TokenCreateSchema(StrictSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    person_id = Id(allow_none=True, metadata={"description": "The person the token acts as."})
    expires_in_days = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(1, 3650),
        metadata={"description": "Days until the token stops working (default: never)."},
    )
    name = Text(max_length=200, allow_none=True, metadata={"description": "What it is for."})


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(allow_none=True)
    prefix = fields.String(metadata={"description": "The first characters, to recognise it."})
    role = fields.String(required=True)
    person_id = fields.Integer(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()


class NewTokenSchema(TokenSchema):
    token = fields.String(
        required=True, metadata={"description": "The secret: shown this once, never again."}
    )


TokenPageSchema = page_of(TokenSchema, "TokenPage")
