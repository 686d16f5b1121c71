"""Shapes of market and team alignment answers (DOMAIN.md sections 10 and 11)."""

from __future__ import annotations

from marshmallow import fields

from service.schemas.common import PageSchema, ResponseSchema, StrictSchema
from service.schemas.fields import Date, Integers, OneStepSchema, QueryId, Records
from service.schemas.nodes import NodeSummarySchema


class MarketArgs(StrictSchema):
    team_id = QueryId(
        metadata={"description": "Only this team's nodes (a need: if it or a server is)."}
    )


class NeedSupportSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    served_by = Integers(
        required=True, metadata={"description": "Live visions, strategies, goals serving it."}
    )
    work = fields.Integer(
        required=True, metadata={"description": "Live aligned work below those, each once."}
    )


class MarketSchema(ResponseSchema):
    unanchored = Records(
        NodeSummarySchema,
        required=True,
        metadata={"description": "Live visions that serve no live need themselves."},
    )
    unserved = Records(
        NodeSummarySchema,
        required=True,
        metadata={"description": "Live needs no live vision, strategy or goal serves."},
    )
    one_sided = Records(
        NodeSummarySchema,
        required=True,
        metadata={"description": "Live visions whose needs are all of one need_type."},
    )
    needs = fields.List(fields.Nested(NeedSupportSchema), required=True)


class TeamStandingSchema(ResponseSchema):
    team = fields.Integer(required=True, metadata={"description": "The team's id."})
    name = fields.String(required=True)
    assessed = fields.Integer(
        required=True, metadata={"description": "Live, non-standalone strategies, goals, work."}
    )
    silo = fields.Boolean(required=True)


class TeamEdgeSchema(ResponseSchema):
    a = fields.Integer(required=True, metadata={"description": "The smaller team id."})
    b = fields.Integer(required=True)
    shared = fields.Integer(
        required=True, metadata={"description": "Live strategies and goals both work below."}
    )
    dependencies = fields.Integer(
        required=True, metadata={"description": "depends_on links between their live nodes."}
    )


class TeamGraphSchema(OneStepSchema, ResponseSchema):
    teams = Records(
        TeamStandingSchema, required=True, metadata={"description": "Every team, by id."}
    )
    edges = Records(
        TeamEdgeSchema,
        required=True,
        metadata={"description": "Connected pairs only, by (a, b)."},
    )


class SiloSchema(ResponseSchema):
    team = fields.Integer(required=True, metadata={"description": "The team's id."})
    name = fields.String(required=True)
    assessed = fields.Integer(required=True)


class SiloPageSchema(PageSchema):
    items = fields.List(fields.Nested(SiloSchema), required=True)


class SharedGroundSchema(ResponseSchema):
    team = fields.Integer(required=True, metadata={"description": "The other team's id."})
    name = fields.String(required=True)
    shared = fields.Integer(required=True)
    dependencies = fields.Integer(required=True)
    nodes = fields.List(
        fields.Nested(NodeSummarySchema),
        required=True,
        metadata={"description": "Up to 10 shared strategies and goals you may see, by id."},
    )


class TeamGroundSchema(ResponseSchema):
    team = fields.Integer(required=True)
    name = fields.String(required=True)
    assessed = fields.Integer(required=True)
    silo = fields.Boolean(required=True)
    items = fields.List(
        fields.Nested(SharedGroundSchema),
        required=True,
        metadata={"description": "Each team this one is tied to, by id."},
    )


class DependencySchema(ResponseSchema):
    link_id = fields.Integer(required=True)
    node = fields.Nested(NodeSummarySchema, required=True)
    due_date = Date(required=True, allow_none=True)


class DependenciesSchema(ResponseSchema):
    node = fields.Nested(NodeSummarySchema, required=True)
    due_date = Date(required=True, allow_none=True)
    waits_on = fields.List(
        fields.Nested(DependencySchema),
        required=True,
        metadata={"description": "What the node depends on (it is the link's source)."},
    )
    waited_on_by = fields.List(
        fields.Nested(DependencySchema),
        required=True,
        metadata={"description": "What depends on the node."},
    )
