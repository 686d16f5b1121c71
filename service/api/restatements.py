"""``/api/v1/nodes/{id}/restatements``: "what did you hear?", in each person's own words."""

from __future__ import annotations

from flask.views import MethodView

from service.api.base import Blueprint, changes
from service.auth.middleware import current_principal
from service.db import session
from service.domain import restatements as domain
from service.schemas.common import PageArgs
from service.schemas.restatements import (
    RestatementCreateSchema,
    RestatementPageSchema,
    RestatementSchema,
)

blp = Blueprint(
    "restatements",
    __name__,
    url_prefix="/api/v1/nodes",
    description="Restatements: a node said back in a person's own words.",
)


@blp.route("/<int:node_id>/restatements")
class Restatements(MethodView):
    @blp.operation("listRestatements")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RestatementPageSchema)
    @blp.errors(404)
    def get(self, args, node_id):
        """The node's own statement beside everyone's restatement of it, and their agreement."""
        return domain.restatements_of(session(), node_id, args, current_principal())

    @blp.operation("restateNode")
    @blp.arguments(RestatementCreateSchema)
    @blp.response(200, RestatementSchema)
    @blp.alt_response(201, schema=RestatementSchema, description="Created", success=True)
    @blp.errors(404, 415)
    def post(self, data, node_id):
        """Say what you heard, in your own words; a second restatement replaces your first."""
        row, created = domain.restate(changes(), node_id, data["text"])
        return domain.restatement_item(session(), row), 201 if created else 200


@blp.route("/<int:node_id>/restatements/<int:restatement_id>")
class RestatementById(MethodView):
    @blp.operation("deleteRestatement")
    @blp.response(204)
    @blp.errors(404)
    def delete(self, node_id, restatement_id):
        """Withdraw a restatement: your own (an admin may withdraw anyone's)."""
        domain.withdraw(changes(), node_id, restatement_id)
