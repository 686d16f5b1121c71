"""The versioned REST API under ``/api/v1``."""

from __future__ import annotations

from flask import Flask

from service.api import links, nodes, org, probes
from service.api.base import Api


def register(app: Flask) -> Api:
    api = Api(app)
    for blueprint in (nodes.blp, links.blp, org.teams, org.people, org.periods):
        api.register_blueprint(blueprint)
    probes.init_app(app)
    app.extensions["api"] = api
    return api
