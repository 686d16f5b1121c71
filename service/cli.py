"""The ``throughline`` command: serve, migrate, check, import, demo, tokens and more.

Each command imports what it needs when it runs, so ``throughline --help`` loads click
and little else, and ``throughline check`` never builds the web service.

Exit codes: 0 done (``check``: every threshold holds); 1 ``check`` found a threshold
broken, or an import or token change was refused (nothing written); 2 the command could
not run as asked: a bad option or setting, no database or schema, a pending migration, or
a database that cannot be reached (one line on standard error says which).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy import Engine

    from service.config import Config

DEFAULT_DATABASE_URL = "sqlite:///throughline.db"
DEMO_DATABASE_URL = "sqlite:///throughline-demo.db"


class CannotRun(click.ClickException):
    """The command cannot run as asked (exit code 2, like a usage error)."""

    exit_code = 2


def _config(database_url: str | None = None, verbose: bool = False, **overrides) -> Config:
    from service.config import Config, ConfigError

    if database_url:
        overrides["database_url"] = database_url
    if not verbose:
        # A command's own output is what it prints; the service's info lines only on -v.
        overrides.setdefault("log_level", "WARNING")
    try:
        return Config.from_env(**overrides)
    except ConfigError as error:
        raise CannotRun(str(error)) from None


def _logging(verbose: bool) -> None:
    """On ``--verbose``, log what the command does (migrations, graph builds) to stderr."""
    if not verbose:
        return
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("service", "alembic"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    """An engine for one command, disposed of when the command ends."""
    from models.database import make_engine

    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _ready(config: Config) -> Iterator[Engine]:
    """An engine on a database that exists and whose schema is the code's; else exit 2.

    A SQLite file that is not there is reported, not created.
    """
    from service.readiness import NotReady, require_file, require_schema

    try:
        require_file(config.database_url)
    except NotReady as error:
        raise CannotRun(str(error)) from None
    with _engine(config.database_url) as engine:
        try:
            require_schema(engine)
        except NotReady as error:
            raise CannotRun(str(error)) from None
        yield engine


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


def _safe_url(url: str) -> str:
    from service.readiness import safe_url

    return safe_url(url)


def database_options(default: str = DEFAULT_DATABASE_URL) -> Callable:
    """``--database URL`` (beside THROUGHLINE_DATABASE_URL) and ``--verbose``, for a command."""

    def decorate(command: Callable) -> Callable:
        command = click.option(
            "--verbose", "-v", is_flag=True, help="Log what the command does on standard error."
        )(command)
        return click.option(
            "--database",
            "database_url",
            metavar="URL",
            envvar="THROUGHLINE_DATABASE_URL",
            show_envvar=True,
            help=f"SQLAlchemy URL of the database to use (default {default}).",
        )(command)

    return decorate


@click.group(context_settings={"max_content_width": 100})
def main() -> None:
    """Throughline: how every piece of work connects to the company's mission.

    \b
    Exit codes:
      0  done (check: every threshold holds)
      1  check: a threshold is broken; import, tokens: refused, nothing written
      2  cannot run: a bad option or setting, no database or schema, a pending
         migration (run `throughline db upgrade`), a database out of reach
    """


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migration to reach.")
@database_options()
def db_upgrade(revision: str, database_url: str | None, verbose: bool) -> None:
    """Create the database or apply its pending migrations."""
    from models import migrate

    _logging(verbose)
    with _engine(_config(database_url, verbose).database_url) as engine:
        migrate.upgrade(engine, revision)
        click.echo(f"Database at migration {migrate.current_revision(engine)}.")


@db.command("current")
@database_options()
def db_current(database_url: str | None, verbose: bool) -> None:
    """Print the database's migration and the code's latest one."""
    from service.readiness import NotReady, head_revision, require_file

    _logging(verbose)
    config = _config(database_url, verbose)
    try:
        require_file(config.database_url)
    except NotReady as error:
        raise CannotRun(str(error)) from None
    from models import migrate

    with _engine(config.database_url) as engine:
        current = migrate.current_revision(engine)
    click.echo(f"database: {current}  code: {head_revision()}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@database_options()
def db_revision(message: str, database_url: str | None, verbose: bool) -> None:
    """Write a new migration from the difference between the models and the database."""
    from models import migrate

    _logging(verbose)
    with _engine(_config(database_url, verbose).database_url) as engine:
        migrate.revision(engine, message)


def _serve(config: Config, host: str, port: int, workers: int) -> None:
    from service.wsgi import run

    if config.migrate_on_start:
        from models import migrate

        with _engine(config.database_url) as engine:
            migrate.upgrade(engine)
    else:
        # Serving a schema that is behind is allowed (it answers 503 migrations_pending until
        # upgraded); serving a SQLite file that is not there would create an empty one.
        from service.readiness import NotReady, require_file

        try:
            require_file(config.database_url)
        except NotReady as error:
            raise CannotRun(str(error)) from None
    click.echo(f"Throughline serving {_safe_url(config.database_url)} at http://{host}:{port}/")
    click.echo(f"  API:     http://{host}:{port}/api/v1/nodes")
    click.echo(f"  OpenAPI: http://{host}:{port}/api/v1/openapi.json")
    if config.secret_key:
        click.echo(f"  Explorer: http://{host}:{port}/ui/")
    sys.stdout.flush()
    run(config, host=host, port=port, workers=workers)


_host = click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
_port = click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
_workers = click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)


@main.command()
@_host
@_port
@_workers
@database_options()
def serve(host: str, port: int, workers: int, database_url: str | None, verbose: bool) -> None:
    """Serve the database with gunicorn (migrating it first); logs go to standard error."""
    _metrics_dir()
    # A server's logs are its output: they stay at THROUGHLINE_LOG_LEVEL.
    _serve(_config(database_url, verbose=True), host, port, workers)


@main.command()
@_host
@_port
@_workers
@click.option("--reset", is_flag=True, help="Delete the demo's SQLite file and start afresh.")
@click.option("--no-serve", is_flag=True, help="Load the demo company and exit.")
@database_options(DEMO_DATABASE_URL)
def demo(
    host: str,
    port: int,
    workers: int,
    reset: bool,
    no_serve: bool,
    database_url: str | None,
    verbose: bool,
) -> None:
    """Load a small demo company into a SQLite file and serve it."""
    from service.readiness import sqlite_path

    _logging(verbose)
    if not no_serve:
        _metrics_dir()
    config = _config(database_url or DEMO_DATABASE_URL, verbose)
    url = config.database_url
    if reset:
        path = sqlite_path(url)
        if path is None:
            raise CannotRun(
                f"--reset deletes a SQLite file; {_safe_url(url)} is not one "
                "(empty that database yourself, then run the demo)."
            )
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    from models import migrate
    from service.demo import load_demo

    if not config.secret_key:  # explorer sessions for this demo run, one key for every worker
        import secrets

        config = replace(config, secret_key=secrets.token_hex(32))
    with _engine(url) as engine:
        migrate.upgrade(engine)
        summary, token = load_demo(engine)
    click.echo(summary)
    click.echo("An admin token for the demo (shown once; it replaces the demo's earlier one):")
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
    """Write the OpenAPI document generated from the code (it uses no database)."""
    from service.openapi import spec_yaml

    with _app(_config(migrate_on_start=False)) as app:
        text = spec_yaml(app)
    if output == "-":
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"Wrote {output}.")


def _limit(name: str, what: str) -> Callable:
    return click.option(name, type=click.IntRange(0), help=f"Fail above this many {what}.")


@main.command()
@_limit("--max-orphans", "orphans")
@_limit("--max-unsupported", "unsupported (hollow) visions, strategies and goals")
@_limit("--max-conflicts", "conflicts")
@_limit("--max-violations", "conflicts of severity violation")
@_limit("--max-suspect-links", "suspect links")
@click.option(
    "--min-aligned-ratio",
    type=click.FloatRange(0, 1),
    help="Fail when less of the live work than this is aligned.",
)
@_limit("--max-silos", "silo teams")
@_limit("--max-unanchored", "live visions that serve no need")
@_limit("--max-clarity", "live visions and goals with parts unsaid or divergent restatements")
@_limit("--max-vocabulary", "glossary terms defined in different ways (vocabulary findings)")
@click.option(
    "--max-late-share",
    type=click.FloatRange(0, 1),
    help="Fail when more of the live and done work with a due date than this is late.",
)
@click.option(
    "--list",
    "as_list",
    is_flag=True,
    help="Name every orphan, hollow node, conflict, suspect link, silo team, unanchored "
    "vision, unclear vision or goal, language finding and overrun hotspot, one a line: "
    "finding, ref (or id), kind, code, title, tab-separated.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print as text or as one JSON object.",
)
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Same as --format json.")
@click.option(
    "--import",
    "documents",
    type=click.File("rb"),
    multiple=True,
    metavar="FILE",
    help="Check these import documents, imported in order into a scratch database in memory, "
    "instead of a database (no file is written).",
)
@database_options()
@click.pass_context
def check(
    context: click.Context,
    as_list: bool,
    output_format: str,
    as_json: bool,
    documents: tuple[Any, ...],
    database_url: str | None,
    verbose: bool,
    **limits: Any,
) -> None:
    """Print the health summary; exit 1 when it breaks a threshold (for pipelines).

    The first line names the database checked.
    """
    from sqlalchemy.orm import Session

    from service.gate import Thresholds, evaluate, findings, read_graph, render

    _logging(verbose)
    config = _config(database_url, verbose)
    if documents:
        if context.get_parameter_source("database_url") is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("--import checks a scratch database; leave out --database.")
        opened = _scratch(documents, config)
        where = "scratch database in memory, from " + ", ".join(d.name for d in documents)
    else:
        opened = _ready(config)
        where = _safe_url(config.database_url)
    with opened as engine, Session(engine) as session:
        graph, refs = read_graph(engine, with_refs=as_list)
        summary, failures = evaluate(
            graph, config.stale_after_days, Thresholds(**limits), session=session
        )
        listed = findings(graph, refs, session=session) if as_list else None
    click.echo(render(where, summary, failures, listed, as_json or output_format == "json"))
    if failures:
        sys.exit(1)


@contextmanager
def _scratch(documents: tuple[Any, ...], config: Config) -> Iterator[Engine]:
    """A scratch database holding ``documents``, imported in turn; exit 1 on a refused one."""
    from service.bulk import DocumentError, apply_document, read_document, scratch_engine

    engine = scratch_engine()
    try:
        for document in documents:
            try:
                data = read_document(document)
            except DocumentError as error:
                raise CannotRun(f"{document.name}: {error}") from None
            report = apply_document(engine, data, config.system_actor)
            if not report["valid"]:
                _print_violations(report)
                click.echo(f"{document.name} breaks the rules above; nothing was checked.")
                sys.exit(1)
        yield engine
    finally:
        engine.dispose()


@main.group()
def tokens() -> None:
    """Create, list and revoke API tokens."""


@contextmanager
def _changes(engine: Engine, actor: str):
    """A write transaction as the service itself, committed when the block ends cleanly."""
    from sqlalchemy.orm import Session

    from service.auth.principal import Principal
    from service.domain.changes import Changes

    with Session(engine, expire_on_commit=False) as session:
        yield Changes(session, Principal.system(actor))
        session.commit()


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice(["viewer", "editor", "admin"]))
@click.option("--person", "person_id", type=click.IntRange(1), help="Person the token acts as.")
@click.option("--expires", "expires_in_days", type=click.IntRange(1, 3650), help="Days valid.")
@click.option("--name", help="What the token is for.")
@database_options()
def tokens_create(role, person_id, expires_in_days, name, database_url, verbose) -> None:
    """Create a token and print it, alone on the last line (it is never shown again)."""
    from service.auth.tokens import create_token
    from service.domain.errors import DomainError

    _logging(verbose)
    config = _config(database_url, verbose)
    with _ready(config) as engine:
        try:
            with _changes(engine, config.system_actor) as changes:
                token, secret = create_token(changes, role, person_id, expires_in_days, name)
        except DomainError as error:
            raise click.ClickException(error.detail) from None
    expiry = token.expires_at.isoformat() if token.expires_at else "never"
    click.echo(f"Token {token.id}: role {role}, person {person_id or '-'}, expires {expiry}.")
    click.echo("Store it now; it cannot be shown again:")
    click.echo(secret)


@tokens.command("list")
@database_options()
def tokens_list(database_url: str | None, verbose: bool) -> None:
    """List tokens (never their secrets)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models import ApiToken

    _logging(verbose)
    with _ready(_config(database_url, verbose)) as engine, Session(engine) as session:
        for token in session.scalars(select(ApiToken).order_by(ApiToken.id)):
            state = "revoked" if token.revoked_at else "active"
            click.echo(
                f"{token.id}\t{token.prefix}…\t{token.role}\t{token.person_id or '-'}\t"
                f"{state}\t{token.name or ''}"
            )


@tokens.command("revoke")
@click.argument("token_id", type=click.IntRange(1))
@database_options()
def tokens_revoke(token_id: int, database_url: str | None, verbose: bool) -> None:
    """Revoke a token: it stops working at once."""
    from service.auth.tokens import revoke_token
    from service.domain.errors import DomainError

    _logging(verbose)
    config = _config(database_url, verbose)
    with _ready(config) as engine:
        try:
            with _changes(engine, config.system_actor) as changes:
                revoke_token(changes, token_id)
        except DomainError as error:
            raise click.ClickException(error.detail) from None
    click.echo(f"Token {token_id} revoked.")


@main.command("import")
@click.argument("document", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--layout",
    type=click.Choice(["okr", "jira", "linear"]),
    help="Read a .csv or .xlsx file in this layout (default for those files: okr).",
)
@click.option("--date-format", help="How the table writes dates when not ISO 8601 (%d/%m/%Y).")
@click.option("--kind", "kinds", multiple=True, help="Map a tracker issue type: 'Epic=goal'.")
@database_options()
def import_(
    document,
    dry_run: bool,
    layout: str | None,
    date_format,
    kinds,
    database_url: str | None,
    verbose: bool,
) -> None:
    """Import a JSON document, an OKR sheet or a Jira or Linear export (.csv or .xlsx)."""
    from service.bulk import DocumentError, apply_document, read_document

    _logging(verbose)
    config = _config(database_url, verbose)
    name = (document.name or "").lower()
    if layout or name.endswith(TABLE_SUFFIXES):
        _import_table(config, document, layout or "okr", dry_run, date_format, kinds)
        return
    try:
        data = read_document(document)
    except DocumentError as error:
        raise click.ClickException(str(error)) from None
    with _ready(config) as engine:
        report = apply_document(engine, data, config.system_actor, dry_run=dry_run)
    for name, counts in report["counts"].items():
        click.echo(
            f"{name:12} created {counts['created']:>8}  updated {counts['updated']:>8}  "
            f"unchanged {counts['unchanged']:>8}"
        )
    _print_violations(report)
    if not report["valid"]:
        click.echo("Nothing was written.")
        sys.exit(1)
    click.echo("Dry run: nothing was written." if dry_run else "Imported.")


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


def _import_table(config, file, layout: str, dry_run: bool, date_format, kinds) -> None:
    from marshmallow import ValidationError
    from sqlalchemy.orm import Session

    from service.auth.principal import Principal
    from service.domain.changes import Changes
    from service.schemas.table_imports import TableImportArgs, kind_map
    from service.tables.imports import import_table
    from service.tables.read import TableError
    from service.tables.translation import Options

    try:
        args = TableImportArgs().load(
            {"layout": layout, "date_format": date_format, "kind": list(kinds)}
        )
    except ValidationError as error:
        raise click.UsageError(str(error.messages)) from None
    options = Options(date_format=args["date_format"], kinds=kind_map(args["kind"]))
    body = file.read()
    with _ready(config) as engine, Session(engine, expire_on_commit=False) as session:
        changes = Changes(session, Principal.system(config.system_actor))
        try:
            report = import_table(
                changes,
                body,
                layout,
                xlsx=(file.name or "").lower().endswith(".xlsx"),
                options=options,
                dry_run=dry_run,
            )
        except TableError as error:
            raise click.ClickException(f"{error.code}: {error.detail}") from None
        if report["applied"]:
            session.commit()
        else:
            session.rollback()
    for item in report["warnings"]:
        click.echo(f"warning: {_cell(item)}")
    for item in report["problems"]:
        click.echo(_cell(item))
    if not report["valid"]:
        click.echo(f"{report['problems_total']} problem(s): nothing was written.")
        sys.exit(1)
    for name, counts in report["counts"].items():
        click.echo(
            f"{name:12} created {counts['created']:>8}  updated {counts['updated']:>8}  "
            f"unchanged {counts['unchanged']:>8}"
        )
    click.echo("Dry run: nothing was written." if dry_run else "Imported.")


def _cell(item: dict) -> str:
    where = f"row {item['row']}" + (f", column {item['column']}" if item["column"] else "")
    return f"{where}: {item['code']}: {item['detail']}"


def _print_violations(report: dict[str, Any], shown: int = 50) -> None:
    violations = report["violations"]
    for violation in violations[:shown]:
        click.echo(
            f"VIOLATION {violation['code']}: {violation['detail']} ({', '.join(violation['refs'])})"
        )
    if len(violations) > shown:
        click.echo(f"... and {len(violations) - shown} more violations")


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
