"""``/api/v1/links``: supports, depends_on and conflicts_with links between nodes."""

from __future__ import annotations

from flask.views import MethodView

from service.api.base import Blueprint, changes, if_match, with_etag
from service.auth.middleware import current_principal
from service.db import session
from service.domain import links as domain
from service.schemas.links import (
    LinkCreateSchema,
    LinkPageSchema,
    LinkQueryArgs,
    LinkSchema,
    LinkUpdateSchema,
)

blp = Blueprint("links", __name__, url_prefix="/api/v1/links", description="Links between nodes.")


@blp.route("")
class Links(MethodView):
    @blp.operation("listLinks")
    @blp.arguments(LinkQueryArgs, location="query")
    @blp.response(200, LinkPageSchema)
    def get(self, args):
        """List links, filtered and paged."""
        return domain.list_links(session(), args, current_principal())

    @blp.operation("createLink")
    @blp.arguments(LinkCreateSchema)
    @blp.response(201, LinkSchema)
    @blp.errors(409, 415)
    @with_etag
    def post(self, data):
        """Create a link; refused with a stable code when it breaks a link rule."""
        return domain.create_link(changes(), data)


@blp.route("/<int:link_id>")
class LinkById(MethodView):
    @blp.operation("getLink")
    @blp.response(200, LinkSchema)
    @blp.errors(404)
    @with_etag
    def get(self, link_id):
        """Get one link."""
        return domain.get_link(session(), link_id, current_principal())

    @blp.operation("updateLink")
    @blp.arguments(LinkUpdateSchema)
    @blp.response(200, LinkSchema)
    @blp.errors(404, 412, 415)
    @with_etag
    def patch(self, data, link_id):
        """Change a link's weight or rationale."""
        return domain.update_link(changes(), link_id, data, if_match())

    @blp.operation("deleteLink")
    @blp.response(204)
    @blp.errors(404, 412)
    def delete(self, link_id):
        """Delete a link."""
        domain.delete_link(changes(), link_id, if_match())
