"""Throughline: how every piece of work connects to the company's mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.config import Config

if TYPE_CHECKING:
    from flask import Flask

API_VERSION = "1.0.0"


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the Flask app; settings come from the environment unless ``config`` is given."""
    # Imported here, not above: ``throughline serve`` must set up the metrics directory
    # before anything loads prometheus-client, and every CLI command imports this package
    # first, most of them without needing Flask at all.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from service import errors, http, observability
    from service.db import Database
    from service.graphstore import GraphStore

    config = config or Config.from_env(**overrides)
    app = Flask(__name__)
    if config.proxy_count:
        # Client addresses (rate limits, logs) come from the proxies' X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count, x_proto=config.proxy_count)
    app.config.update(
        THROUGHLINE=config,
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        API_TITLE="Throughline",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Trace every piece of work to the company's mission; find orphaned "
                "work, conflicting goals and hollow strategies.",
                "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            },
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An API token (tl_...) or a JWT from the identity provider.",
                    }
                }
            },
        },
    )
    observability.configure_logging(config.log_level)
    observability.init_app(app)  # first: every answer, refusals included, gets a request id
    Database(config.database_url, timeouts=_timeouts(config)).init_app(app)
    app.extensions["graph_store"] = GraphStore(_snapshots(config))
    from service.auth import middleware

    middleware.init_app(app)
    http.init_app(app)
    errors.init_app(app)

    from service.api import register

    register(app)
    from service import ui

    ui.init_app(app)
    return app


def _snapshots(config: Config):
    if not config.graph_snapshot_dir:
        return None
    from service.graphsnapshot import Snapshots

    return Snapshots(config.graph_snapshot_dir, config.database_url)


def _timeouts(config: Config):
    from models.database import Timeouts

    return Timeouts(
        connect=config.db_connect_timeout,
        network=config.db_network_timeout,
        statement=config.db_statement_timeout,
        pool=config.db_pool_timeout,
    )
