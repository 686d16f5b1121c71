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

_CONTENT = {mimetype: {"schema": {"type": "string"}} for mimetype, _ in MEDIA.values()}


def download(result: Export) -> Response:
    """The export as a file download."""
    response = Response(result.text, mimetype=result.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@blp.route("/export")
class GraphExport(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(responses={"200": {"description": "The export", "content": _CONTENT}})
    @blp.errors(404, 422)
    def get(self, args):
        """Export the graph the caller can see, whole or around a root node."""
        return download(export(session(), graph(), current_principal(), **args))
