"""``/api/v1/nodes``: the mission, visions, strategies, goals and work of the company."""

from __future__ import annotations

from flask.views import MethodView

from service.api.base import Blueprint, changes, if_match, with_etag
from service.api.progress import graph, with_progress
from service.auth.middleware import current_principal
from service.auth.policy import can_see
from service.db import session
from service.domain import nodes as domain
from service.errors import DomainError
from service.language import node_terms
from service.schemas.nodes import (
    WITH_TERMS,
    DeleteArgs,
    NodeCreateSchema,
    NodePageSchema,
    NodeQueryArgs,
    NodeReadArgs,
    NodeSchema,
    NodeUpdateSchema,
    NodeUpsertSchema,
)

blp = Blueprint("nodes", __name__, url_prefix="/api/v1/nodes", description="Nodes of the graph.")


@blp.route("")
class Nodes(MethodView):
    @blp.operation("listNodes")
    @blp.arguments(NodeQueryArgs, location="query")
    @blp.response(200, NodePageSchema)
    def get(self, args):
        """List nodes, filtered and paged."""
        result = domain.list_nodes(session(), args, current_principal())
        return {**result, "items": _with(args, with_progress(result["items"]))}

    @blp.operation("createNode")
    @blp.arguments(NodeCreateSchema)
    @blp.response(201, NodeSchema)
    @blp.errors(409, 415)
    @with_etag
    def post(self, data):
        """Create a node."""
        return with_progress(domain.create_node(changes(), data))


@blp.route("/<int:node_id>")
class NodeById(MethodView):
    @blp.operation("getNode")
    @blp.arguments(NodeReadArgs, location="query")
    @blp.response(200, NodeSchema)
    @blp.errors(404)
    @with_etag
    def get(self, args, node_id):
        """Get one node."""
        node = domain.get_node(session(), node_id, current_principal())
        return _with(args, with_progress(node))

    @blp.operation("updateNode")
    @blp.arguments(NodeUpdateSchema)
    @blp.response(200, NodeSchema)
    @blp.errors(404, 409, 412, 415)
    @with_etag
    def patch(self, data, node_id):
        """Change some fields of a node (send If-Match to avoid lost updates)."""
        return with_progress(domain.update_node(changes(), node_id, data, if_match()))

    @blp.operation("deleteNode")
    @blp.arguments(DeleteArgs, location="query")
    @blp.response(204)
    @blp.errors(404, 409, 412)
    def delete(self, args, node_id):
        """Delete a node; refused while others support it unless detach=true."""
        domain.delete_node(changes(), node_id, args["detach"], if_match())


@blp.route("/by-ref/<path:ref>")
class NodeByRef(MethodView):
    @blp.operation("getNodeByRef")
    @blp.arguments(NodeReadArgs, location="query")
    @blp.response(200, NodeSchema)
    @blp.errors(404)
    @with_etag
    def get(self, args, ref):
        """Get the node with this external ref."""
        node = domain.node_by_ref(session(), ref)
        if node is None or not can_see(current_principal(), node):
            raise DomainError("not_found", "No node has this ref.", status=404)
        return _with(args, with_progress(node))

    @blp.operation("upsertNodeByRef")
    @blp.arguments(NodeUpsertSchema)
    @blp.response(200, NodeSchema)
    @blp.alt_response(201, schema=NodeSchema, description="Created", success=True)
    @blp.errors(409, 412, 415)
    @with_etag
    def put(self, data, ref):
        """Create or update the node with this external ref (idempotent, for tracker sync)."""
        node, created = domain.upsert_node_by_ref(changes(), ref, data, if_match())
        return with_progress(node), 201 if created else 200


def _with(args, items):
    """Attach what ``?with=`` asks for to a node or a list of nodes."""
    if args.get("with_") == WITH_TERMS:
        node_terms(session(), graph(), items if isinstance(items, list) else [items])
    return items
