"""Shapes of glossary terms and their definitions (DOMAIN.md section 12)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from service.schemas.common import ChangeSchema, PageArgs, ResponseSchema, StrictSchema, page_of
from service.schemas.fields import Id, Text
from service.schemas.okr import METRIC


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must hold something besides whitespace.")


def _name(**kwargs) -> Text:
    return Text(min_length=1, max_length=100, validate=[_not_blank], **kwargs)


def _aliases() -> fields.List:
    return fields.List(
        _name(),
        validate=validate.Length(max=100),
        metadata={"description": "Other names of the term, unique across terms ignoring case."},
    )


def _metrics() -> fields.List:
    return fields.List(
        Text(min_length=1, max_length=200, validate=[METRIC]),
        validate=validate.Length(max=100),
        metadata={"description": "Key-result metric keys the term defines."},
    )


class TermFieldsSchema(StrictSchema):
    name = _name(metadata={"description": "Unique ignoring case (and across aliases)."})
    aliases = _aliases()
    metrics = _metrics()


class TermCreateSchema(TermFieldsSchema):
    name = _name(required=True, metadata={"description": "Unique ignoring case."})


class TermUpdateSchema(ChangeSchema, TermFieldsSchema):
    """Every field optional: only those sent change."""


class DefinitionCreateSchema(StrictSchema):
    team_id = Id(
        allow_none=True,
        load_default=None,
        metadata={"description": "The team whose definition this is; null: company-wide."},
    )
    text = Text(required=True, min_length=1, max_length=2000, validate=[_not_blank])


class DefinitionUpdateSchema(ChangeSchema):
    text = Text(required=True, min_length=1, max_length=2000, validate=[_not_blank])


class DefinitionSchema(ResponseSchema):
    id = fields.Integer(required=True)
    term_id = fields.Integer(required=True)
    team_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Null: company-wide."}
    )
    text = fields.String(required=True)
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class TermSchema(ResponseSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    aliases = fields.List(fields.String(), required=True)
    metrics = fields.List(fields.String(), required=True)
    definitions = fields.List(
        fields.Nested(DefinitionSchema),
        required=True,
        metadata={"description": "The company-wide definition first, then by team."},
    )
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class TermQueryArgs(PageArgs):
    q = Text(
        max_length=200,
        metadata={"description": "Case-insensitive text in the name or an alias."},
    )
    metric = Text(max_length=200, metadata={"description": "Terms listing this metric key."})


class TermRefSchema(ResponseSchema):
    """A term a node's text uses."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


TermPageSchema = page_of(TermSchema, "TermPage")
