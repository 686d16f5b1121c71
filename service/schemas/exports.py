"""The query of ``GET /api/v1/export`` (DOMAIN.md 16)."""

from __future__ import annotations

from marshmallow import fields, validate

from service.graph.export import DIRECTIONS
from service.schemas.common import StrictSchema
from service.schemas.fields import QueryId

FORMATS = ("json", "graphml", "dot", "mermaid", "csv")


class ExportArgs(StrictSchema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "json, graphml, dot, mermaid (at most 500 nodes) or csv."},
    )
    root = QueryId(metadata={"description": "Export only around this node (default: all)."})
    direction = fields.String(
        load_default="both",
        validate=validate.OneOf(DIRECTIONS),
        metadata={"description": "From root: its ancestors (up), descendants (down) or both."},
    )
    depth = fields.Integer(
        validate=validate.Range(1, 100_000),
        metadata={"description": "Links to follow from root on each side (default: all)."},
    )
