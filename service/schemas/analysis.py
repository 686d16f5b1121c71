"""Shapes of traces and analyses (DOMAIN.md section 9)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.graph.codes import CONFLICT_TYPES, KINDS, ORPHAN_REASONS, SEVERITIES
from service.schemas.common import PageArgs, PageSchema, StrictSchema
from service.schemas.fields import IntegerLists, Integers, OneStepSchema, QueryId, Records
from service.schemas.nodes import NodeSummarySchema

_Edges = IntegerLists(
    metadata={"description": "[source_id, target_id] of each supports link (child, parent)."},
)


class TraceUpArgs(StrictSchema):
    max_paths = fields.Integer(load_default=20, validate=validate.Range(1, 1000))


class TraceDownArgs(StrictSchema):
    depth = fields.Integer(
        validate=validate.Range(1, 100_000),
        metadata={"description": "Levels to descend (default: all)."},
    )


class CommonArgs(StrictSchema):
    a = QueryId(required=True)
    b = QueryId(required=True)


class TraceUpSchema(OneStepSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    aligned = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, metadata={"description": "Orphan reason, if any."})
    nodes = Records(NodeSummarySchema, required=True)
    edges = _Edges
    paths = IntegerLists(metadata={"description": "Shortest first: [node, ..., mission]."})
    truncated = fields.Boolean(required=True)
    needs = Records(
        NodeSummarySchema,
        required=True,
        metadata={"description": "Live needs served by the node or its ancestors, by id."},
    )


class CountsSchema(Schema):
    total = fields.Integer()
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())


class TraceDownSchema(OneStepSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    nodes = Records(NodeSummarySchema, required=True)
    edges = _Edges
    counts = fields.Nested(CountsSchema)


class CommonGroundSchema(OneStepSchema):
    lowest_common_ancestors = Records(NodeSummarySchema, required=True)


class ImpactSchema(OneStepSchema):
    touches = Integers(metadata={"description": "Every descendant."})
    would_orphan = Integers(metadata={"description": "Nodes aligned only through this one."})


class AlignmentItemSchema(Schema):
    node = fields.Nested(NodeSummarySchema, required=True)
    aligned = fields.Boolean(required=True)
    reason = fields.String(allow_none=True)
    path = Integers(allow_none=True)
    needs = fields.List(
        fields.Nested(NodeSummarySchema),
        required=True,
        metadata={"description": "Live needs served by the nodes of the path, by id."},
    )


class AlignmentSchema(PageSchema):
    items = fields.List(fields.Nested(AlignmentItemSchema), required=True)
    aligned_ratio = fields.Float(
        allow_none=True, metadata={"description": "Aligned / all live nodes, standalone left out."}
    )


class FindingArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))
    team_id = QueryId()


class OrphanArgs(FindingArgs):
    reason = fields.String(validate=validate.OneOf(ORPHAN_REASONS))


class OrphanSchema(Schema):
    node = fields.Nested(NodeSummarySchema, required=True)
    reason = fields.String(required=True, validate=validate.OneOf(ORPHAN_REASONS))
    root_causes = Integers(required=True)


class OrphanPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrphanSchema), required=True)


class UnsupportedSchema(Schema):
    node = fields.Nested(NodeSummarySchema, required=True)


class UnsupportedPageSchema(PageSchema):
    items = fields.List(fields.Nested(UnsupportedSchema), required=True)


class ConflictArgs(PageArgs):
    type = fields.String(validate=validate.OneOf(CONFLICT_TYPES))
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    team_id = QueryId()


class ConflictSchema(Schema):
    type = fields.String(required=True)
    severity = fields.String(required=True)
    node_ids = Integers(required=True)
    key_result_ids = Integers()
    message = fields.String(required=True)


class ConflictPageSchema(PageSchema):
    items = fields.List(fields.Nested(ConflictSchema), required=True)


class HealthArgs(StrictSchema):
    team_id = QueryId(metadata={"description": "Only this team's summary."})


class TallySchema(Schema):
    total = fields.Integer()
    by_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer())


class StandaloneSchema(Schema):
    total = fields.Integer()
    node_ids = Integers()


class HealthSummarySchema(Schema):
    counts = fields.Nested(CountsSchema)
    work_aligned_ratio = fields.Float(allow_none=True)
    orphans = fields.Nested(TallySchema)
    unsupported = fields.Integer()
    conflicts = fields.Nested(TallySchema)
    suspect_links = fields.Integer()
    stale_key_results = fields.Integer()
    standalone = fields.Nested(StandaloneSchema)
    silos = fields.Integer(metadata={"description": "Silo teams (for a team: 1 if it is one)."})
    unanchored_visions = fields.Integer(metadata={"description": "Live visions serving no need."})
    unserved_needs = fields.Integer(metadata={"description": "Live needs nothing live serves."})


class TeamHealthSchema(HealthSummarySchema):
    team_id = fields.Integer()


class HealthSchema(HealthSummarySchema):
    teams = fields.List(fields.Nested(TeamHealthSchema))
    team_id = fields.Integer()
    revision = fields.Integer(metadata={"description": "The data revision summarised."})
