"""The versioned REST API under ``/api/v1``."""

from __future__ import annotations

from flask import Flask

from service.api import (
    analysis,
    exports,
    imports,
    links,
    nodes,
    okr,
    org,
    probes,
    restatements,
    terms,
    tokens,
)
from service.api.base import Api


def register(app: Flask) -> Api:
    api = Api(app)
    blueprints = (
        nodes.blp,
        restatements.blp,
        links.blp,
        org.teams,
        org.people,
        org.periods,
        terms.blp,
        analysis.traces,
        analysis.findings,
        okr.okr,
        okr.reviews,
        okr.trail,
        tokens.blp,
        imports.blp,
        exports.blp,
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    api.document_complete()
    probes.init_app(app)
    app.extensions["api"] = api
    return api
