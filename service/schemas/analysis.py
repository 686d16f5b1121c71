"""Shapes of traces and analyses (DOMAIN.md section 9)."""

from __future__ import annotations

from marshmallow import fields, validate

from service.graph.codes import CLARITY_GAPS, CONFLICT_TYPES, KINDS, ORPHAN_REASONS, SEVERITIES
from service.schemas.common import Code, PageArgs, PageSchema, ResponseSchema, StrictSchema
from service.schemas.fields import (
    IntegerLists,
    Integers,
    OneStepSchema,
    QueryId,
    Records,
)
from service.schemas.nodes import NodeSummarySchema


def _edges():
    return IntegerLists(
        required=True,
        metadata={"description": "[source_id, target_id] of each supports link (child, parent)."},
    )


def _reason(**kwargs) -> fields.String:
    return Code(ORPHAN_REASONS, required=True, allow_none=True, **kwargs)


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


class OneStepResponseSchema(OneStepSchema, ResponseSchema):
    """An answer dumped in one step (see ``OneStepSchema``)."""


class TraceUpSchema(OneStepResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    aligned = fields.Boolean(required=True)
    reason = _reason(metadata={"description": "Orphan reason; null when aligned."})
    nodes = Records(NodeSummarySchema, required=True)
    edges = _edges()
    paths = IntegerLists(
        required=True, metadata={"description": "Shortest first: [node, ..., mission]."}
    )
    truncated = fields.Boolean(required=True)
    needs = Records(
        NodeSummarySchema,
        required=True,
        metadata={"description": "Live needs served by the node or its ancestors, by id."},
    )


class CountsSchema(ResponseSchema):
    total = fields.Integer(required=True)
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class TraceDownSchema(OneStepResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    nodes = Records(NodeSummarySchema, required=True)
    edges = _edges()
    counts = fields.Nested(CountsSchema, required=True)


class CommonGroundSchema(OneStepResponseSchema):
    lowest_common_ancestors = Records(NodeSummarySchema, required=True)


class ImpactSchema(OneStepResponseSchema):
    touches = Integers(required=True, metadata={"description": "Every descendant."})
    would_orphan = Integers(
        required=True, metadata={"description": "Nodes aligned only through this one."}
    )


class AlignmentItemSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    aligned = fields.Boolean(required=True)
    reason = _reason()
    path = Integers(
        required=True,
        allow_none=True,
        metadata={"description": "A shortest path [node, ..., mission]; null when there is none."},
    )
    needs = fields.List(
        fields.Nested(NodeSummarySchema),
        required=True,
        metadata={"description": "Live needs served by the nodes of the path, by id."},
    )


class AlignmentSchema(PageSchema):
    items = fields.List(fields.Nested(AlignmentItemSchema), required=True)
    aligned_ratio = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Aligned / all live nodes, standalone left out."},
    )


class FindingArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))
    team_id = QueryId()


class OrphanArgs(FindingArgs):
    reason = fields.String(validate=validate.OneOf(ORPHAN_REASONS))


class OrphanSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    reason = Code(ORPHAN_REASONS, required=True)
    root_causes = Integers(required=True)


class OrphanPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrphanSchema), required=True)


class UnsupportedSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)


class UnsupportedPageSchema(PageSchema):
    items = fields.List(fields.Nested(UnsupportedSchema), required=True)


class ConflictArgs(PageArgs):
    type = fields.String(validate=validate.OneOf(CONFLICT_TYPES))
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    team_id = QueryId()


class ConflictSchema(ResponseSchema):
    type = Code(CONFLICT_TYPES, required=True)
    severity = Code(SEVERITIES, required=True)
    node_ids = Integers(required=True)
    key_result_ids = Integers(metadata={"description": "The key results involved (metric)."})
    message = fields.String(required=True)


class ConflictPageSchema(PageSchema):
    items = fields.List(fields.Nested(ConflictSchema), required=True)


class ClarityArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(("vision", "goal")))
    team_id = QueryId()
    missing = fields.String(
        validate=validate.OneOf(CLARITY_GAPS),
        metadata={"description": "Only nodes missing this part."},
    )


class ClaritySchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    missing = fields.List(
        Code(CLARITY_GAPS),
        required=True,
        metadata={"description": "What the node leaves unsaid, in the documented order."},
    )
    restatements = fields.Integer(required=True)
    agreement = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Agreement of its restatements, 0..1; null below two."},
    )
    divergent = fields.Boolean(
        required=True,
        metadata={"description": "Three or more restatements agreeing below 0.2."},
    )


class ClarityPageSchema(PageSchema):
    items = fields.List(fields.Nested(ClaritySchema), required=True)


class OverrunArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(("vision", "strategy", "goal")))
    team_id = QueryId()
    hotspots_only = fields.Boolean(load_default=False, metadata={"description": "Only hotspots."})


class OverrunSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    dated_work = fields.Integer(
        required=True, metadata={"description": "Live and done work below with a due date."}
    )
    late = fields.Integer(required=True)
    late_share = fields.Float(required=True)
    budget = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Summed over the work below with both a budget and spent."},
    )
    spent = fields.Float(required=True, allow_none=True)
    over_budget = fields.Float(
        required=True, allow_none=True, metadata={"description": "spent - budget."}
    )
    hotspot = fields.Boolean(
        required=True,
        metadata={"description": "The highest point where late work concentrates."},
    )
    late_work = Integers(
        required=True,
        metadata={"description": "The first 20 late work items below, by id (visible ones)."},
    )


class OverrunPageSchema(PageSchema):
    items = fields.List(fields.Nested(OverrunSchema), required=True)
    today = fields.Date(required=True, metadata={"description": "The day lateness is judged on."})


class HealthArgs(StrictSchema):
    team_id = QueryId(metadata={"description": "Only this team's summary."})


class OrphanTallySchema(ResponseSchema):
    total = fields.Integer(required=True)
    by_reason = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ConflictTallySchema(ResponseSchema):
    total = fields.Integer(required=True)
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class StandaloneSchema(ResponseSchema):
    total = fields.Integer(required=True)
    node_ids = Integers(required=True)


class LanguageTallySchema(ResponseSchema):
    """Language findings (DOMAIN.md section 12) by type."""

    vocabulary = fields.Integer(required=True)
    undefined_metric = fields.Integer(required=True)


class HealthSummarySchema(ResponseSchema):
    counts = fields.Nested(CountsSchema, required=True)
    work_aligned_ratio = fields.Float(required=True, allow_none=True)
    orphans = fields.Nested(OrphanTallySchema, required=True)
    unsupported = fields.Integer(required=True)
    conflicts = fields.Nested(ConflictTallySchema, required=True)
    suspect_links = fields.Integer(required=True)
    stale_key_results = fields.Integer(required=True)
    standalone = fields.Nested(StandaloneSchema, required=True)
    silos = fields.Integer(
        required=True, metadata={"description": "Silo teams (for a team: 1 if it is one)."}
    )
    unanchored_visions = fields.Integer(
        required=True, metadata={"description": "Live visions serving no need."}
    )
    unserved_needs = fields.Integer(
        required=True, metadata={"description": "Live needs nothing live serves."}
    )
    clarity = fields.Integer(
        required=True,
        metadata={"description": "Live visions and goals with parts unsaid or divergent."},
    )
    late_work = fields.Integer(
        required=True, metadata={"description": "Late work items, done-late ones included."}
    )
    overrun_hotspots = fields.Integer(
        required=True, metadata={"description": "Where late work concentrates highest."}
    )
    language = fields.Nested(
        LanguageTallySchema,
        required=True,
        metadata={
            "description": "Language findings by type (for a team: those naming it in "
            "their team_ids)."
        },
    )


class TeamHealthSchema(HealthSummarySchema):
    team_id = fields.Integer(required=True)


class HealthSchema(HealthSummarySchema):
    teams = fields.List(
        fields.Nested(TeamHealthSchema),
        metadata={"description": "Each team's summary (the company's answer only)."},
    )
    team_id = fields.Integer(metadata={"description": "The team summarised (with ?team_id)."})
    revision = fields.Integer(
        required=True, metadata={"description": "The data revision summarised."}
    )
