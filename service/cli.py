"""The ``throughline`` command: serve, migrate, demo, openapi and more."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask

from service.config import Config, ConfigError

DEMO_DATABASE_URL = "sqlite:///throughline-demo.db"


def _config(**overrides) -> Config:
    try:
        return Config.from_env(**overrides)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _app(config: Config) -> Flask:
    from service import create_app

    return create_app(config)


@click.group()
def main() -> None:
    """Throughline: how every piece of work connects to the company's mission."""


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migration to reach.")
def db_upgrade(revision: str) -> None:
    """Apply pending migrations to THROUGHLINE_DATABASE_URL."""
    from models import migrate
    from models.database import make_engine

    engine = make_engine(_config().database_url)
    migrate.upgrade(engine, revision)
    click.echo(f"Database at migration {migrate.current_revision(engine)}.")


@db.command("current")
def db_current() -> None:
    """Print the database's migration and the code's latest one."""
    from models import migrate
    from models.database import make_engine

    engine = make_engine(_config().database_url)
    click.echo(f"database: {migrate.current_revision(engine)}  code: {migrate.head_revision()}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from models import migrate
    from models.database import make_engine

    migrate.revision(make_engine(_config().database_url), message)


def _serve(config: Config, host: str, port: int, workers: int) -> None:
    from service.wsgi import run

    if config.migrate_on_start:
        from models import migrate
        from models.database import make_engine

        migrate.upgrade(make_engine(config.database_url))
    click.echo(f"Throughline serving {_safe_url(config.database_url)} at http://{host}:{port}/")
    click.echo(f"  API:     http://{host}:{port}/api/v1/nodes")
    click.echo(f"  OpenAPI: http://{host}:{port}/api/v1/openapi.json")
    sys.stdout.flush()
    run(config, host=host, port=port, workers=workers)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


_host = click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
_port = click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
_workers = click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)


@main.command()
@_host
@_port
@_workers
def serve(host: str, port: int, workers: int) -> None:
    """Serve the configured database with gunicorn (migrating it first)."""
    _serve(_config(), host, port, workers)


@main.command()
@_host
@_port
@_workers
@click.option("--reset", is_flag=True, help="Start from a fresh demo company.")
@click.option("--no-serve", is_flag=True, help="Load the demo company and exit.")
def demo(host: str, port: int, workers: int, reset: bool, no_serve: bool) -> None:
    """Load a small demo company into a SQLite file and serve it."""
    from models import migrate
    from models.database import make_engine
    from service.demo import load_demo

    url = os.environ.get("THROUGHLINE_DATABASE_URL", DEMO_DATABASE_URL)
    config = _config(database_url=url)
    engine = make_engine(url)
    if reset and engine.dialect.name == "sqlite" and engine.url.database:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(engine.url.database + suffix):
                os.remove(engine.url.database + suffix)
        engine = make_engine(url)
    migrate.upgrade(engine)
    summary = load_demo(_app(config))
    click.echo(summary)
    if not no_serve:
        _serve(config, host, port, workers)


@main.command()
@click.option(
    "--output",
    "-o",
    default="openapi/openapi.yaml",
    show_default=True,
    help="File to write ('-' for standard output).",
)
def openapi(output: str) -> None:
    """Write the OpenAPI document generated from the code."""
    from service.openapi import spec_yaml

    text = spec_yaml(_app(_config(migrate_on_start=False)))
    if output == "-":
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"Wrote {output}.")


def init_app(app: Flask) -> None:
    """Nothing to wire into Flask's own CLI: ``throughline`` is the entry point."""


@main.command()
@click.option("--max-orphans", type=click.IntRange(0), help="Fail above this many orphans.")
@click.option(
    "--max-violations",
    type=click.IntRange(0),
    help="Fail above this many conflicts of severity violation.",
)
@click.option("--max-conflicts", type=click.IntRange(0), help="Fail above this many conflicts.")
@click.option(
    "--min-aligned-ratio",
    type=click.FloatRange(0, 1),
    help="Fail when less of the live work than this is aligned.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def check(max_orphans, max_violations, max_conflicts, min_aligned_ratio, as_json) -> None:
    """Print the health summary; exit 1 when it breaks a threshold (for pipelines)."""
    from service.gate import evaluate, render

    config = _config()
    summary, failures = evaluate(
        _app(config),
        max_orphans=max_orphans,
        max_violations=max_violations,
        max_conflicts=max_conflicts,
        min_aligned_ratio=min_aligned_ratio,
    )
    click.echo(render(summary, failures, as_json))
    if failures:
        sys.exit(1)
