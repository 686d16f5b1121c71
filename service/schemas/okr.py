"""Shapes of key results, check-ins, reviews and audit events."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate

from models.okr import DIRECTIONS
from service.schemas.common import ChangeSchema, PageArgs, PageSchema, StrictSchema, page_of
from service.schemas.fields import Fraction, QueryId, Text, Value, Weight
from service.schemas.links import LinkSchema
from service.schemas.nodes import NodeSummarySchema

METRIC = validate.Regexp(
    r"^[a-z0-9][a-z0-9_.\-]*$",
    error="Use a shared-vocabulary key: lower case, digits, '.', '_' or '-'.",
)


class KeyResultFieldsSchema(StrictSchema):
    title = Text(max_length=200, allow_none=True)
    metric = Text(
        min_length=1,
        max_length=200,
        validate=[METRIC],
        metadata={"description": "Shared-vocabulary key, e.g. support.first_response_time."},
    )
    unit = Text(max_length=50, allow_none=True)
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    start_value = Value()
    target_value = Value()
    weight = Weight()
    confidence = Fraction(allow_none=True)


class KeyResultCreateSchema(KeyResultFieldsSchema):
    metric = Text(min_length=1, max_length=200, required=True, validate=[METRIC])
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    start_value = Value(required=True)
    target_value = Value(required=True)
    current_value = Value(allow_none=True, metadata={"description": "Until the first check-in."})


class KeyResultUpdateSchema(ChangeSchema, KeyResultFieldsSchema):
    """Every field optional: only those sent change."""


class KeyResultSchema(Schema):
    id = fields.Integer(required=True)
    node_id = fields.Integer(required=True)
    title = fields.String(allow_none=True)
    metric = fields.String(required=True)
    unit = fields.String(allow_none=True)
    direction = fields.String(required=True)
    start_value = fields.Float(required=True)
    target_value = fields.Float(required=True)
    current_value = fields.Float(allow_none=True)
    weight = fields.Float()
    confidence = fields.Float(allow_none=True)
    progress = fields.Float(allow_none=True, metadata={"description": "Computed, in [0, 1]."})
    last_check_in_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CheckInCreateSchema(StrictSchema):
    value = Value(required=True)
    confidence = Fraction(allow_none=True)
    note = Text(max_length=5000, allow_none=True)


class CheckInSchema(Schema):
    id = fields.Integer(required=True)
    key_result_id = fields.Integer(required=True)
    value = fields.Float(required=True)
    confidence = fields.Float(allow_none=True)
    note = fields.String(allow_none=True)
    actor = fields.String(required=True)
    at = fields.DateTime(required=True)


class StaleSchema(Schema):
    key_result = fields.Nested(KeyResultSchema, required=True)
    goal = fields.Nested(NodeSummarySchema, required=True)
    last_check_in_at = fields.DateTime(allow_none=True)


class StaleArgs(PageArgs):
    team_id = QueryId()
    days = fields.Integer(
        validate=validate.Range(1, 3650),
        metadata={"description": "Days without a check-in (default: the configured value)."},
    )


class SuspectArgs(PageArgs):
    owner_id = QueryId(metadata={"description": "Owner of the supporting (child) node."})
    team_id = QueryId(metadata={"description": "Team of the supporting (child) node."})


class SuspectSchema(Schema):
    link = fields.Nested(LinkSchema, required=True)
    source = fields.Nested(NodeSummarySchema, required=True)
    target = fields.Nested(NodeSummarySchema, required=True)
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw()),
        metadata={"description": "{field: [before, after]} for what changed in the target."},
    )


class ReviewSchema(StrictSchema):
    restatement = Text(
        required=True,
        min_length=1,
        max_length=5000,
        metadata={"description": "In your own words: how this work serves the changed parent."},
    )


class AuditArgs(PageArgs):
    entity_type = fields.String(
        validate=validate.OneOf(
            ("node", "link", "key_result", "check_in", "team", "person", "period", "token")
        )
    )
    entity_id = QueryId()
    actor = Text(max_length=200)
    since = fields.AwareDateTime(
        default_timezone=dt.UTC,
        metadata={"description": "ISO 8601; events at or after it (UTC when no offset)."},
    )
    until = fields.AwareDateTime(
        default_timezone=dt.UTC,
        metadata={"description": "ISO 8601; events before it (UTC when no offset)."},
    )


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    entity_type = fields.String(required=True)
    entity_id = fields.Integer(required=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


KeyResultPageSchema = page_of(KeyResultSchema, "KeyResultPage")
CheckInPageSchema = page_of(CheckInSchema, "CheckInPage")
AuditPageSchema = page_of(AuditEventSchema, "AuditPage")


class StalePageSchema(PageSchema):
    items = fields.List(fields.Nested(StaleSchema), required=True)
    days = fields.Integer()


class SuspectPageSchema(PageSchema):
    items = fields.List(fields.Nested(SuspectSchema), required=True)
