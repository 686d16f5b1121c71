"""The first graph load of a fresh process, as a worker does it on its first request.

``python -m tests.benchmarks.cold_build DATABASE_URL [--profile]`` prints one JSON line:
``seconds`` (``GraphStore.current``: the revision check, the database reads and the
build), ``nodes``, ``edges`` (supports links) and ``rss_growth`` (bytes the process grew
by).
"""

from __future__ import annotations

import argparse
import gc
import json
import time

from tests.benchmarks.processes import rss_bytes
from tests.benchmarks.profiling import profiled


def cold_build(database_url: str, profile: bool = False) -> dict:
    """Build the app on ``database_url`` and time its graph store's first load."""
    from service import create_app
    from service.config import Config
    from service.db import session

    app = create_app(Config(database_url=database_url, migrate_on_start=False))
    try:
        with app.app_context():
            store = app.extensions["graph_store"]
            gc.collect()
            before = rss_bytes()
            started = time.perf_counter()
            with profiled(profile, "cold graph build"):
                graph = store.current(session)
            seconds = time.perf_counter() - started
            return {
                "seconds": seconds,
                "nodes": graph.G.number_of_nodes(),
                "edges": graph.G.number_of_edges(),
                "rss_growth": rss_bytes() - before,
            }
    finally:
        app.extensions["database"].dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.cold_build")
    parser.add_argument("database_url")
    parser.add_argument("--profile", action="store_true", help="Print a cProfile to stderr.")
    args = parser.parse_args(argv)
    print(json.dumps(cold_build(args.database_url, args.profile)))


if __name__ == "__main__":
    main()
