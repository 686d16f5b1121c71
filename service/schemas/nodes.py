"""Shapes of nodes: what clients send and what they get back."""

from __future__ import annotations

from marshmallow import fields, validate

from models import KINDS, NEED_TYPES, STATUSES
from models.alignment import VISIBILITIES
from service.schemas.common import (
    ChangeSchema,
    Code,
    PageArgs,
    ResponseSchema,
    StrictSchema,
    page_of,
)
from service.schemas.fields import Amount, Date, Fraction, Id, QueryId, Text, Url, strict_bool

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
    segment = Text(
        max_length=200, allow_none=True, metadata={"description": "Needs only: who has the need."}
    )
    need_type = fields.String(
        allow_none=True,
        validate=validate.OneOf(NEED_TYPES),
        metadata={"description": "Needs only (required for them): functional or psychological."},
    )
    user_outcome = Text(
        max_length=2000,
        allow_none=True,
        metadata={"description": "What success changes for the user."},
    )
    business_outcome = Text(
        max_length=2000,
        allow_none=True,
        metadata={"description": "What success changes for the business."},
    )
    target_group = Text(max_length=2000, allow_none=True, metadata={"description": "Who benefits."})
    measure = Text(
        max_length=2000, allow_none=True, metadata={"description": "How progress is measured."}
    )
    budget = Amount(allow_none=True, metadata={"description": "Planned cost (one currency)."})
    spent = Amount(allow_none=True, metadata={"description": "Cost so far (the same currency)."})


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


WITH_TERMS = "terms"


def _with() -> fields.String:
    return fields.String(
        data_key="with",
        validate=validate.OneOf((WITH_TERMS,)),
        metadata={"description": "terms: each node also carries the glossary terms it uses."},
    )


class NodeTermSchema(ResponseSchema):
    """A glossary term a node's title or description uses as a whole word."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


class NodeSchema(ResponseSchema):
    id = fields.Integer(required=True)
    kind = Code(KINDS, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    status = Code(STATUSES, required=True)
    owner_id = fields.Integer(required=True, allow_none=True)
    team_id = fields.Integer(required=True, allow_none=True)
    period_id = fields.Integer(required=True, allow_none=True)
    ref = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True)
    start_date = fields.Date(required=True, allow_none=True)
    due_date = fields.Date(required=True, allow_none=True)
    standalone = fields.Boolean(required=True)
    standalone_reason = fields.String(required=True, allow_none=True)
    visibility = Code(VISIBILITIES, required=True)
    reported_progress = fields.Float(required=True, allow_none=True)
    segment = fields.String(
        required=True, allow_none=True, metadata={"description": "Needs: the market segment."}
    )
    need_type = Code(
        NEED_TYPES,
        required=True,
        allow_none=True,
        metadata={"description": "Needs: functional or psychological."},
    )
    user_outcome = fields.String(required=True, allow_none=True)
    business_outcome = fields.String(required=True, allow_none=True)
    target_group = fields.String(required=True, allow_none=True)
    measure = fields.String(required=True, allow_none=True)
    budget = fields.Float(required=True, allow_none=True)
    spent = fields.Float(required=True, allow_none=True)
    done_at = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the status became done (set by the service)."},
    )
    progress = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Computed progress in [0, 1], or null."},
    )
    version = fields.Integer(
        required=True, metadata={"description": "Changes on every update (the ETag)."}
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    terms = fields.List(
        fields.Nested(NodeTermSchema),
        metadata={
            "description": "With ?with=terms only: the glossary terms whose name or an alias "
            "the title or description uses as a whole word, ignoring case; by id."
        },
    )


class VisibleNodeSchema(ResponseSchema):
    """A node the caller may see, as it appears inside traces and analyses."""

    id = fields.Integer(required=True)
    kind = Code(KINDS, required=True)
    title = fields.String(required=True)
    status = Code(STATUSES, required=True)
    ref = fields.String(required=True, allow_none=True, metadata={"description": "External key."})
    url = fields.String(required=True, allow_none=True)
    team_id = fields.Integer(required=True, allow_none=True)
    owner_id = fields.Integer(required=True, allow_none=True)
    standalone = fields.Boolean(required=True)
    progress = fields.Float(required=True, allow_none=True)
    need_type = Code(NEED_TYPES, allow_none=True, metadata={"description": "Needs only."})
    segment = fields.String(allow_none=True, metadata={"description": "Needs only."})


class RedactedNodeSchema(ResponseSchema):
    """A node the caller may not see: enough to keep a path's shape, nothing more."""

    id = fields.Integer(required=True)
    kind = Code(KINDS, required=True)
    redacted = fields.Boolean(required=True, metadata={"enum": [True]})


class NodeSummarySchema(VisibleNodeSchema):
    """How traces and analyses dump a node: visible or redacted.

    Documented as ``oneOf`` the two (``service/api/contract.py``); dumping leaves out the
    fields a summary does not hold, so each comes out in its own shape.
    """

    redacted = fields.Boolean()


class NodeQueryArgs(PageArgs):
    kind = fields.String(validate=_KIND)
    status = fields.String(validate=_STATUS)
    team_id = QueryId()
    owner_id = QueryId()
    period_id = QueryId()
    ref = Text(max_length=200)
    q = Text(max_length=200, metadata={"description": "Case-insensitive text in the title."})
    with_ = _with()


class NodeReadArgs(StrictSchema):
    with_ = _with()


class DeleteArgs(StrictSchema):
    detach = fields.Boolean(
        load_default=False,
        metadata={"description": "Also delete the node's links instead of refusing with 409."},
    )


NodePageSchema = page_of(NodeSchema, "NodePage")
