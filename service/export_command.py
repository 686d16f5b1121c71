"""``throughline export``: the graph in a format other tools draw, from the command line."""

from __future__ import annotations

import click

from service.cli import database_options

# As the API's ``format`` and ``direction`` (service/schemas/exports.py, a test holds them
# equal); written here so that the command line loads no schema library to list them.
FORMATS = ("json", "graphml", "dot", "mermaid", "csv")
DIRECTIONS = ("up", "down", "both")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--root", help="Export only around the node with this ref (or id).")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="both", show_default=True)
@click.option("--depth", type=click.IntRange(1), help="Links to follow from the root.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
@database_options()
def export(
    fmt: str,
    root: str | None,
    direction: str,
    depth: int | None,
    output: str | None,
    database_url: str | None,
    verbose: bool,
):
    """Write the whole graph, or the part around --root, as json, graphml, dot, mermaid or csv."""
    from service.api.progress import graph
    from service.auth.principal import Principal
    from service.cli import _app, _config, _logging, _ready
    from service.db import session
    from service.domain.nodes import node_by_ref
    from service.errors import DomainError
    from service.exports import export as build

    _logging(verbose)
    config = _config(database_url, verbose)
    # _ready exits 2, creating nothing, when the database is not there or not migrated.
    with _ready(config), _app(config) as app, app.app_context():
        root_id = None
        if root is not None:
            node = node_by_ref(session(), root)
            if node is None and not root.isdigit():
                raise click.ClickException(f"No node has the ref {root!r}.")
            root_id = node.id if node is not None else int(root)
        principal = Principal.system(app.config["THROUGHLINE"].system_actor)
        try:
            result = build(session(), graph(), principal, fmt, root_id, direction, depth)
        except DomainError as error:
            raise click.ClickException(error.detail) from None
    if output is None:
        click.echo(result.text, nl=False)
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        stream.write(result.text)
    click.echo(f"Wrote {output}.", err=True)
