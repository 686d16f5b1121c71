"""The ``throughline`` command: serve, migrate, demo, openapi and more."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import click
from flask import Flask

from service.config import Config, ConfigError

DEMO_DATABASE_URL = "sqlite:///throughline-demo.db"


def _config(**overrides) -> Config:
    try:
        return Config.from_env(**overrides)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def _engine(url: str):
    """An engine for one command, disposed of when the command ends."""
    from models.database import make_engine

    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _app(config: Config) -> Iterator[Flask]:
    """An app for one command; its database connections close when the command ends."""
    from service import create_app

    app = create_app(config)
    try:
        yield app
    finally:
        app.extensions["database"].dispose()


def _metrics_dir() -> None:
    """Give this server's workers a fresh, shared metrics directory.

    It must happen before anything creates the metrics: workers inherit them from here.
    """
    import tempfile

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="throughline-metrics-")


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

    with _engine(_config().database_url) as engine:
        migrate.upgrade(engine, revision)
        click.echo(f"Database at migration {migrate.current_revision(engine)}.")


@db.command("current")
def db_current() -> None:
    """Print the database's migration and the code's latest one."""
    from models import migrate

    with _engine(_config().database_url) as engine:
        current = migrate.current_revision(engine)
    click.echo(f"database: {current}  code: {migrate.head_revision()}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from models import migrate

    with _engine(_config().database_url) as engine:
        migrate.revision(engine, message)


def _serve(config: Config, host: str, port: int, workers: int) -> None:
    from service.wsgi import run

    if config.migrate_on_start:
        from models import migrate

        with _engine(config.database_url) as engine:
            migrate.upgrade(engine)
    click.echo(f"Throughline serving {_safe_url(config.database_url)} at http://{host}:{port}/")
    click.echo(f"  API:     http://{host}:{port}/api/v1/nodes")
    click.echo(f"  OpenAPI: http://{host}:{port}/api/v1/openapi.json")
    if config.secret_key:
        click.echo(f"  Explorer: http://{host}:{port}/ui/")
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
    _metrics_dir()
    _serve(_config(), host, port, workers)


@main.command()
@_host
@_port
@_workers
@click.option("--reset", is_flag=True, help="Start from a fresh demo company.")
@click.option("--no-serve", is_flag=True, help="Load the demo company and exit.")
def demo(host: str, port: int, workers: int, reset: bool, no_serve: bool) -> None:
    """Load a small demo company into a SQLite file and serve it."""
    if not no_serve:
        _metrics_dir()
    from sqlalchemy.engine import make_url

    from models import migrate
    from service.demo import load_demo

    url = os.environ.get("THROUGHLINE_DATABASE_URL", DEMO_DATABASE_URL)
    config = _config(database_url=url)
    if not config.secret_key:  # explorer sessions for this demo run, one key for every worker
        config = replace(config, secret_key=secrets.token_hex(32))
    parsed = make_url(url)
    if reset and parsed.get_backend_name() == "sqlite" and parsed.database:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(parsed.database + suffix):
                os.remove(parsed.database + suffix)
    with _engine(url) as engine:
        migrate.upgrade(engine)
    with _app(config) as app:
        summary, token = load_demo(app)
    click.echo(summary)
    click.echo("An admin token for the demo (shown once):")
    click.echo(f"  {token}")
    click.echo("Try:")
    click.echo(
        f"  curl -H 'Authorization: Bearer {token}' http://{host}:{port}/api/v1/analysis/orphans"
    )
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

    with _app(_config(migrate_on_start=False)) as app:
        text = spec_yaml(app)
    if output == "-":
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"Wrote {output}.")


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

    with _app(_config()) as app:
        summary, failures = evaluate(
            app,
            max_orphans=max_orphans,
            max_violations=max_violations,
            max_conflicts=max_conflicts,
            min_aligned_ratio=min_aligned_ratio,
        )
    click.echo(render(summary, failures, as_json))
    if failures:
        sys.exit(1)


@main.group()
def tokens() -> None:
    """Create, list and revoke API tokens."""


def _system_changes(app: Flask):
    from service.auth.principal import Principal
    from service.db import session
    from service.domain.changes import Changes

    return Changes(session(), Principal.system(app.config["THROUGHLINE"].system_actor))


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice(["viewer", "editor", "admin"]))
@click.option("--person", "person_id", type=click.IntRange(1), help="Person the token acts as.")
@click.option("--expires", "expires_in_days", type=click.IntRange(1, 3650), help="Days valid.")
@click.option("--name", help="What the token is for.")
def tokens_create(role, person_id, expires_in_days, name) -> None:
    """Create a token and print it, alone on the last line (it is never shown again)."""
    from service.auth.tokens import create_token
    from service.errors import DomainError

    with _app(_config()) as app, app.app_context():
        changes = _system_changes(app)
        try:
            token, secret = create_token(changes, role, person_id, expires_in_days, name)
        except DomainError as error:
            raise click.ClickException(error.detail) from None
        changes.session.commit()
        expiry = token.expires_at.isoformat() if token.expires_at else "never"
        click.echo(f"Token {token.id}: role {role}, person {person_id or '-'}, expires {expiry}.")
        click.echo("Store it now; it cannot be shown again:")
        click.echo(secret)


@tokens.command("list")
def tokens_list() -> None:
    """List tokens (never their secrets)."""
    from sqlalchemy import select

    from models import ApiToken
    from service.db import session

    with _app(_config()) as app, app.app_context():
        for token in session().scalars(select(ApiToken).order_by(ApiToken.id)):
            state = "revoked" if token.revoked_at else "active"
            click.echo(
                f"{token.id}\t{token.prefix}…\t{token.role}\t{token.person_id or '-'}\t"
                f"{state}\t{token.name or ''}"
            )


@tokens.command("revoke")
@click.argument("token_id", type=click.IntRange(1))
def tokens_revoke(token_id: int) -> None:
    """Revoke a token: it stops working at once."""
    from service.auth.tokens import revoke_token
    from service.errors import DomainError

    with _app(_config()) as app, app.app_context():
        changes = _system_changes(app)
        try:
            revoke_token(changes, token_id)
        except DomainError as error:
            raise click.ClickException(error.detail) from None
        changes.session.commit()
        click.echo(f"Token {token_id} revoked.")


@main.command("import")
@click.argument("document", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_(document, dry_run: bool) -> None:
    """Import a JSON document of teams, people, periods, nodes, links and key results."""
    import json

    from marshmallow import ValidationError

    from service.domain.imports import import_document
    from service.schemas.imports import load_document

    try:
        data = load_document(json.load(document))
    except (ValueError, ValidationError) as error:
        raise click.ClickException(f"The document is not valid: {error}") from None
    with _app(_config()) as app, app.app_context():
        changes = _system_changes(app)
        report = import_document(changes, data, dry_run=dry_run)
        if report["applied"]:
            changes.session.commit()
    for name, counts in report["counts"].items():
        click.echo(
            f"{name:12} created {counts['created']:>8}  updated {counts['updated']:>8}  "
            f"unchanged {counts['unchanged']:>8}"
        )
    for violation in report["violations"][:50]:
        click.echo(
            f"VIOLATION {violation['code']}: {violation['detail']} ({', '.join(violation['refs'])})"
        )
    if len(report["violations"]) > 50:
        click.echo(f"... and {len(report['violations']) - 50} more violations")
    if not report["valid"]:
        click.echo("Nothing was written.")
        sys.exit(1)
    click.echo("Dry run: nothing was written." if dry_run else "Imported.")


@main.command()
@click.option("--nodes", required=True, type=click.IntRange(20), help="Nodes to generate.")
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same company.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
def generate(nodes: int, seed: int, output: str | None) -> None:
    """Write a synthetic company as an import document (for demos and load tests)."""
    from service.generate import generate as build
    from service.generate import write

    document = build(nodes, seed)
    if output is None:
        write(document, sys.stdout)
        return
    with open(output, "w", encoding="utf-8") as stream:
        write(document, stream)
    click.echo(
        f"Wrote {len(document['nodes'])} nodes and {len(document['links'])} links to {output}.",
        err=True,
    )


from service.export_command import export  # noqa: E402  (a command of its own module)

main.add_command(export)
