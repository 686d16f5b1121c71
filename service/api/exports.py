"""``GET /api/v1/export``: the graph as JSON, GraphML, DOT, Mermaid or an okr spreadsheet."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from service.api.base import Blueprint
from service.api.progress import graph
from service.auth.middleware import current_principal
from service.db import session
from service.exports import MEDIA, Export, export
from service.schemas.exports import ExportArgs

blp = Blueprint(
    "export", __name__, url_prefix="/api/v1", description="The graph in formats other tools draw."
)

_NODE = {
    "type": "object",
    "required": ["id", "kind"],
    "properties": {
        "id": {"type": "integer"},
        "ref": {"type": ["string", "null"]},
        "kind": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "string"},
        "team_id": {"type": ["integer", "null"]},
        "progress": {"type": ["number", "null"]},
        "aligned": {"type": "boolean"},
        "reason": {"type": ["string", "null"]},
        "redacted": {"type": "boolean", "description": "A node hidden from the caller."},
    },
}
_LINK = {
    "type": "object",
    "required": ["id", "type", "source_id", "target_id", "weight", "suspect"],
    "properties": {
        "id": {"type": "integer"},
        "type": {"type": "string"},
        "source_id": {"type": "integer"},
        "target_id": {"type": "integer"},
        "weight": {"type": "number"},
        "suspect": {"type": "boolean"},
    },
}
_DOCUMENT = {
    "type": "object",
    "required": ["nodes", "links"],
    "properties": {
        "nodes": {"type": "array", "items": _NODE},
        "links": {"type": "array", "items": _LINK},
    },
}
_CONTENT = {
    mimetype: {"schema": _DOCUMENT if name == "json" else {"type": "string"}}
    for name, (mimetype, _) in MEDIA.items()
}


def download(result: Export) -> Response:
    """The export as a file download."""
    response = Response(result.text, mimetype=result.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@blp.route("/export")
class GraphExport(MethodView):
    @blp.operation("exportGraph")
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(responses={"200": {"description": "The export", "content": _CONTENT}})
    @blp.errors(404, 422)
    def get(self, args):
        """Export the graph the caller can see, whole or around a root node."""
        return download(export(session(), graph(), current_principal(), **args))
