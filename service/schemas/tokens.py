"""Shapes of API tokens."""

from __future__ import annotations

from marshmallow import fields, validate

from models import ROLES
from service.schemas.common import Code, ResponseSchema, StrictSchema, page_of
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


class TokenSchema(ResponseSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)
    prefix = fields.String(
        required=True, metadata={"description": "The first characters, to recognise it."}
    )
    role = Code(ROLES, required=True)
    person_id = fields.Integer(required=True, allow_none=True)
    expires_at = fields.DateTime(required=True, allow_none=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(
        required=True, metadata={"description": "The secret: shown this once, never again."}
    )


TokenPageSchema = page_of(TokenSchema, "TokenPage")
