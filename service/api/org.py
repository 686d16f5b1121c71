"""``/api/v1/teams``, ``/api/v1/people`` and ``/api/v1/periods``: the organisation."""

from __future__ import annotations

from flask.views import MethodView

from models import Period, Person, Team
from service.api.base import Blueprint, changes, if_match, with_etag
from service.db import session
from service.domain import org as domain
from service.domain.common import get_or_404
from service.schemas import org as schemas


def resource_blueprint(
    name, model, *, lister, create_schema, update_schema, schema, page_schema, query_args, noun
):
    """A blueprint with list, create, get, patch and delete for one organisation resource."""
    blp = Blueprint(name, __name__, url_prefix=f"/api/v1/{name}", description=f"{noun.title()}s.")
    key = f"{noun}_id"

    class Collection(MethodView):
        @blp.arguments(query_args, location="query")
        @blp.response(200, page_schema)
        def get(self, args):
            return lister(session(), args)

        @blp.arguments(create_schema)
        @blp.response(201, schema)
        @blp.errors(409, 415)
        @with_etag
        def post(self, data):
            return domain.create(changes(), model, data)

    class Item(MethodView):
        @blp.response(200, schema)
        @blp.errors(404)
        @with_etag
        def get(self, **path):
            return get_or_404(session(), model, path[key])

        @blp.arguments(update_schema)
        @blp.response(200, schema)
        @blp.errors(404, 409, 412, 415)
        @with_etag
        def patch(self, data, **path):
            return domain.update(changes(), model, path[key], data, if_match())

        @blp.response(204)
        @blp.errors(404, 409, 412)
        def delete(self, **path):
            domain.delete(changes(), model, path[key], if_match())

    # One-line docstrings become the operations' summaries in the OpenAPI document.
    Collection.get.__doc__ = f"List {noun}s, filtered and paged."
    Collection.post.__doc__ = f"Create a {noun}."
    Item.get.__doc__ = f"Get one {noun}."
    Item.patch.__doc__ = f"Change some fields of a {noun} (send If-Match to avoid lost updates)."
    Item.delete.__doc__ = f"Delete a {noun} that nothing refers to any more."
    blp.route("")(Collection)
    blp.route(f"/<int:{key}>")(Item)
    return blp


teams = resource_blueprint(
    "teams",
    Team,
    lister=domain.list_teams,
    create_schema=schemas.TeamCreateSchema,
    update_schema=schemas.TeamUpdateSchema,
    schema=schemas.TeamSchema,
    page_schema=schemas.TeamPageSchema,
    query_args=schemas.TeamQueryArgs,
    noun="team",
)
people = resource_blueprint(
    "people",
    Person,
    lister=domain.list_people,
    create_schema=schemas.PersonCreateSchema,
    update_schema=schemas.PersonUpdateSchema,
    schema=schemas.PersonSchema,
    page_schema=schemas.PersonPageSchema,
    query_args=schemas.PersonQueryArgs,
    noun="person",
)
periods = resource_blueprint(
    "periods",
    Period,
    lister=domain.list_periods,
    create_schema=schemas.PeriodCreateSchema,
    update_schema=schemas.PeriodUpdateSchema,
    schema=schemas.PeriodSchema,
    page_schema=schemas.PeriodPageSchema,
    query_args=schemas.PeriodQueryArgs,
    noun="period",
)
