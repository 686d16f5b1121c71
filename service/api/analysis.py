"""Trace queries and analyses over the alignment graph."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from models import Node, Person, Team
from service import analysis, ground, language, signs
from service.api.base import Blueprint
from service.api.progress import graph
from service.auth.middleware import current_principal
from service.db import session
from service.domain.common import get_or_404
from service.schemas import analysis as schemas
from service.schemas import ground as ground_schemas
from service.schemas import language as language_schemas
from service.schemas.common import PageArgs

traces = Blueprint(
    "traces", __name__, url_prefix="/api/v1", description="How nodes connect to the mission."
)


def today():
    """The day lateness is judged on: ``TODAY`` of the app's config (a callable) when set, so
    that tests choose it, else today in UTC."""
    return current_app.config.get("TODAY", signs.utc_today)()


findings = Blueprint(
    "analysis",
    __name__,
    url_prefix="/api/v1/analysis",
    description="What leaders need to see: orphans, hollow strategies, conflicts, clarity, "
    "overruns, health.",
)


@traces.route("/nodes/<int:node_id>/trace/up")
class TraceUp(MethodView):
    @traces.operation("traceUp")
    @traces.arguments(schemas.TraceUpArgs, location="query")
    @traces.response(200, schemas.TraceUpSchema)
    @traces.errors(404)
    def get(self, args, node_id):
        """How a node connects to the mission: its ancestors and shortest paths."""
        return analysis.trace_up(graph(), node_id, args["max_paths"], current_principal())


@traces.route("/nodes/<int:node_id>/trace/down")
class TraceDown(MethodView):
    @traces.operation("traceDown")
    @traces.arguments(schemas.TraceDownArgs, location="query")
    @traces.response(200, schemas.TraceDownSchema)
    @traces.errors(404)
    def get(self, args, node_id):
        """What serves a node: its descendants with counts by kind and status."""
        return analysis.trace_down(graph(), node_id, args.get("depth"), current_principal())


@traces.route("/nodes/<int:node_id>/impact")
class Impact(MethodView):
    @traces.operation("getImpact")
    @traces.response(200, schemas.ImpactSchema)
    @traces.errors(404)
    def get(self, node_id):
        """What removing or cancelling a node would touch and would orphan."""
        return analysis.impact(graph(), node_id, current_principal())


@traces.route("/trace/common")
class CommonGround(MethodView):
    @traces.operation("getCommonGround")
    @traces.arguments(schemas.CommonArgs, location="query")
    @traces.response(200, schemas.CommonGroundSchema)
    @traces.errors(404)
    def get(self, args):
        """Where two nodes' chains meet: their lowest common ancestors."""
        return analysis.common_ground(graph(), args["a"], args["b"], current_principal())


@traces.route("/people/<int:person_id>/alignment")
class PersonAlignment(MethodView):
    @traces.operation("getPersonAlignment")
    @traces.arguments(PageArgs, location="query")
    @traces.response(200, schemas.AlignmentSchema)
    @traces.errors(404)
    def get(self, args, person_id):
        """How each live node a person owns connects to the mission."""
        get_or_404(session(), Person, person_id)
        return analysis.alignment_view(
            session(), graph(), Node.owner_id, person_id, args, current_principal()
        )


@traces.route("/teams/<int:team_id>/alignment")
class TeamAlignment(MethodView):
    @traces.operation("getTeamAlignment")
    @traces.arguments(PageArgs, location="query")
    @traces.response(200, schemas.AlignmentSchema)
    @traces.errors(404)
    def get(self, args, team_id):
        """How each live node of a team connects to the mission."""
        get_or_404(session(), Team, team_id)
        return analysis.alignment_view(
            session(), graph(), Node.team_id, team_id, args, current_principal()
        )


@traces.route("/nodes/<int:node_id>/dependencies")
class Dependencies(MethodView):
    @traces.operation("getDependencies")
    @traces.response(200, ground_schemas.DependenciesSchema)
    @traces.errors(404)
    def get(self, node_id):
        """What a node waits on and what waits on it, each with status and due date."""
        return ground.dependencies(graph(), node_id, current_principal())


@traces.route("/teams/<int:team_id>/ground")
class TeamGround(MethodView):
    @traces.operation("getTeamGround")
    @traces.response(200, ground_schemas.TeamGroundSchema)
    @traces.errors(404)
    def get(self, team_id):
        """The teams one team shares ground with, and the strategies and goals they share."""
        get_or_404(session(), Team, team_id)
        return ground.ground_of(session(), graph(), team_id, current_principal())


@findings.route("/market")
class Market(MethodView):
    @findings.operation("getMarket")
    @findings.arguments(ground_schemas.MarketArgs, location="query")
    @findings.response(200, ground_schemas.MarketSchema)
    def get(self, args):
        """Market alignment: visions serving no need, needs nobody serves, one-sided visions."""
        return ground.market(graph(), args, current_principal())


@findings.route("/team-graph")
class TeamGraph(MethodView):
    @findings.operation("getTeamGraph")
    @findings.response(200, ground_schemas.TeamGraphSchema)
    def get(self):
        """Every team with its assessed nodes, and each pair of teams tied together."""
        return ground.team_graph(session(), graph())


@findings.route("/silos")
class Silos(MethodView):
    @findings.operation("listSilos")
    @findings.arguments(PageArgs, location="query")
    @findings.response(200, ground_schemas.SiloPageSchema)
    def get(self, args):
        """Teams whose work meets no other team's below the vision."""
        return ground.silos(session(), graph(), args)


@findings.route("/clarity")
class Clarity(MethodView):
    @findings.operation("listClarity")
    @findings.arguments(schemas.ClarityArgs, location="query")
    @findings.response(200, schemas.ClarityPageSchema)
    def get(self, args):
        """Visions and goals that leave their destination, measure, outcomes, beneficiaries or
        need unsaid, or whose restatements diverge ("five people, five answers")."""
        return signs.clarity(graph(), args, current_principal())


@findings.route("/overruns")
class Overruns(MethodView):
    @findings.operation("listOverruns")
    @findings.arguments(schemas.OverrunArgs, location="query")
    @findings.response(200, schemas.OverrunPageSchema)
    def get(self, args):
        """Late work and spending under each vision, strategy and goal, hotspots first."""
        return signs.overruns(graph(), args, current_principal(), today())


@findings.route("/orphans")
class Orphans(MethodView):
    @findings.operation("listOrphans")
    @findings.arguments(schemas.OrphanArgs, location="query")
    @findings.response(200, schemas.OrphanPageSchema)
    def get(self, args):
        """Live nodes with no live path to the mission, each with its one reason."""
        return analysis.orphans(graph(), args, current_principal())


@findings.route("/unsupported")
class Unsupported(MethodView):
    @findings.operation("listUnsupported")
    @findings.arguments(schemas.FindingArgs, location="query")
    @findings.response(200, schemas.UnsupportedPageSchema)
    def get(self, args):
        """Live visions, strategies and goals with no live work below them."""
        return analysis.unsupported(graph(), args, current_principal())


@findings.route("/conflicts")
class Conflicts(MethodView):
    @findings.operation("listConflicts")
    @findings.arguments(schemas.ConflictArgs, location="query")
    @findings.response(200, schemas.ConflictPageSchema)
    def get(self, args):
        """Goals and nodes that pull against each other."""
        return analysis.conflicts(graph(), args, current_principal())


@findings.route("/language")
class Language(MethodView):
    @findings.operation("listLanguageFindings")
    @findings.arguments(language_schemas.LanguageArgs, location="query")
    @findings.response(200, language_schemas.LanguagePageSchema)
    def get(self, args):
        """Terms teams define apart, and metrics several teams use that no term defines."""
        return language.language(session(), graph(), args, current_principal())


@findings.route("/health")
class Health(MethodView):
    @findings.operation("getHealth")
    @findings.arguments(schemas.HealthArgs, location="query")
    @findings.response(200, schemas.HealthSchema)
    @findings.errors(404)
    def get(self, args):
        """The alignment summary for leaders, overall and per team."""
        team_id = args.get("team_id")
        if team_id is not None:
            get_or_404(session(), Team, team_id)
        days = current_app.config["THROUGHLINE"].stale_after_days
        return analysis.health(graph(), days, team_id, today(), session())
