"""Key results, check-ins, change review and the audit trail."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import analysis
from service.analysis import with_key_result_progress
from service.api.base import Blueprint, changes, if_match, with_etag
from service.api.progress import graph
from service.auth.middleware import current_principal
from service.db import session
from service.domain import audit, key_results, review
from service.schemas import okr as schemas
from service.schemas.common import PageArgs
from service.schemas.links import LinkSchema

okr = Blueprint(
    "key-results", __name__, url_prefix="/api/v1", description="Key results and check-ins."
)
reviews = Blueprint(
    "review", __name__, url_prefix="/api/v1", description="Links whose parent changed."
)
trail = Blueprint("audit", __name__, url_prefix="/api/v1", description="Who changed what.")


@okr.route("/nodes/<int:node_id>/key-results")
class GoalKeyResults(MethodView):
    @okr.arguments(PageArgs, location="query")
    @okr.response(200, schemas.KeyResultPageSchema)
    @okr.errors(404)
    def get(self, args, node_id):
        """List the key results of a goal."""
        result = key_results.list_key_results(session(), node_id, args, current_principal())
        return {**result, "items": with_key_result_progress(list(result["items"]))}

    @okr.arguments(schemas.KeyResultCreateSchema)
    @okr.response(201, schemas.KeyResultSchema)
    @okr.errors(404, 415)
    @with_etag
    def post(self, data, node_id):
        """Add a key result to a goal."""
        return with_key_result_progress(key_results.create_key_result(changes(), node_id, data))


@okr.route("/key-results/<int:kr_id>")
class KeyResultById(MethodView):
    @okr.response(200, schemas.KeyResultSchema)
    @okr.errors(404)
    @with_etag
    def get(self, kr_id):
        """Get one key result."""
        return with_key_result_progress(
            key_results.get_key_result(session(), kr_id, current_principal())
        )

    @okr.arguments(schemas.KeyResultUpdateSchema)
    @okr.response(200, schemas.KeyResultSchema)
    @okr.errors(404, 412, 415)
    @with_etag
    def patch(self, data, kr_id):
        """Change a key result (its value moves through check-ins)."""
        return with_key_result_progress(
            key_results.update_key_result(changes(), kr_id, data, if_match())
        )

    @okr.response(204)
    @okr.errors(404, 412)
    def delete(self, kr_id):
        """Delete a key result and its check-ins (the audit trail keeps them)."""
        key_results.delete_key_result(changes(), kr_id, if_match())


@okr.route("/key-results/<int:kr_id>/check-ins")
class CheckIns(MethodView):
    @okr.arguments(PageArgs, location="query")
    @okr.response(200, schemas.CheckInPageSchema)
    @okr.errors(404)
    def get(self, args, kr_id):
        """The check-in history of a key result, newest first."""
        return key_results.list_check_ins(session(), kr_id, args, current_principal())

    @okr.arguments(schemas.CheckInCreateSchema)
    @okr.response(201, schemas.CheckInSchema)
    @okr.errors(404, 415)
    def post(self, data, kr_id):
        """Record a check-in: a new value, confidence and note."""
        return key_results.check_in(changes(), kr_id, data)


@okr.route("/analysis/stale")
class Stale(MethodView):
    @okr.arguments(schemas.StaleArgs, location="query")
    @okr.response(200, schemas.StalePageSchema)
    def get(self, args):
        """Key results of live goals with no check-in for a while."""
        days = args.get("days") or current_app.config["THROUGHLINE"].stale_after_days
        return analysis.stale(session(), graph(), days, args, current_principal())


@reviews.route("/analysis/suspect-links")
class SuspectLinks(MethodView):
    @reviews.arguments(schemas.SuspectArgs, location="query")
    @reviews.response(200, schemas.SuspectPageSchema)
    def get(self, args):
        """Links whose parent changed since they were last reviewed, with what changed."""
        return review.suspect_links(session(), args, current_principal())


@reviews.route("/links/<int:link_id>/review")
class Review(MethodView):
    @reviews.arguments(schemas.ReviewSchema)
    @reviews.response(200, LinkSchema)
    @reviews.errors(404, 415)
    @with_etag
    def post(self, data, link_id):
        """Review a link against its changed parent, restating it in your own words."""
        return review.review_link(changes(), link_id, data["restatement"])


@trail.route("/audit")
class Audit(MethodView):
    @trail.arguments(schemas.AuditArgs, location="query")
    @trail.response(200, schemas.AuditPageSchema)
    def get(self, args):
        """Every write, newest first, filtered by entity, actor and time."""
        return audit.list_events(session(), args, current_principal())
