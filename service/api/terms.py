"""``/api/v1/terms``: the glossary, each term with its teams' definitions."""

from __future__ import annotations

from flask.views import MethodView

from service.api.base import Blueprint, changes, if_match, with_etag
from service.db import session
from service.domain import terms as domain
from service.schemas import terms as schemas

blp = Blueprint(
    "terms",
    __name__,
    url_prefix="/api/v1/terms",
    description="The shared language: terms, their aliases and metrics, and definitions.",
)


@blp.route("")
class Terms(MethodView):
    @blp.operation("listTerms")
    @blp.arguments(schemas.TermQueryArgs, location="query")
    @blp.response(200, schemas.TermPageSchema)
    def get(self, args):
        """List terms, filtered and paged."""
        return domain.list_terms(session(), args)

    @blp.operation("createTerm")
    @blp.arguments(schemas.TermCreateSchema)
    @blp.response(201, schemas.TermSchema)
    @blp.errors(409, 415)
    @with_etag
    def post(self, data):
        """Create a term (editors and admins)."""
        return domain.create_term(changes(), data)


@blp.route("/<int:term_id>")
class TermById(MethodView):
    @blp.operation("getTerm")
    @blp.response(200, schemas.TermSchema)
    @blp.errors(404)
    @with_etag
    def get(self, term_id):
        """Get one term with its definitions."""
        return domain.get_term(session(), term_id)

    @blp.operation("updateTerm")
    @blp.arguments(schemas.TermUpdateSchema)
    @blp.response(200, schemas.TermSchema)
    @blp.errors(404, 409, 412, 415)
    @with_etag
    def patch(self, data, term_id):
        """Change some fields of a term (editors: while only their teams define it)."""
        return domain.update_term(changes(), term_id, data, if_match())

    @blp.operation("deleteTerm")
    @blp.response(204)
    @blp.errors(404, 412)
    def delete(self, term_id):
        """Delete a term and its definitions (editors: while only their teams define it)."""
        domain.delete_term(changes(), term_id, if_match())


@blp.route("/<int:term_id>/definitions")
class Definitions(MethodView):
    @blp.operation("createDefinition")
    @blp.arguments(schemas.DefinitionCreateSchema)
    @blp.response(201, schemas.DefinitionSchema)
    @blp.errors(404, 409, 415)
    @with_etag
    def post(self, data, term_id):
        """Define a term for a team (editors: their own) or company-wide (admins)."""
        return domain.create_definition(changes(), term_id, data)


@blp.route("/<int:term_id>/definitions/<int:definition_id>")
class DefinitionById(MethodView):
    @blp.operation("updateDefinition")
    @blp.arguments(schemas.DefinitionUpdateSchema)
    @blp.response(200, schemas.DefinitionSchema)
    @blp.errors(404, 412, 415)
    @with_etag
    def patch(self, data, term_id, definition_id):
        """Change a definition's text (send If-Match to avoid lost updates)."""
        return domain.update_definition(changes(), term_id, definition_id, data, if_match())

    @blp.operation("deleteDefinition")
    @blp.response(204)
    @blp.errors(404, 412)
    def delete(self, term_id, definition_id):
        """Delete a definition."""
        domain.delete_definition(changes(), term_id, definition_id, if_match())
