"""In-process figures on a large generated company: graph build, memory, orphans, trace-up.

``python -m tests.benchmarks.million --nodes 1000000 [--profile]`` prints one JSON line. It
runs as a process of its own so that its resident memory says what the graph costs.

The company goes straight into a scratch SQLite file (rows written as the tables store them,
without the checks of ``throughline import``, which would take many minutes at this size);
the graph is
then built the way a worker builds it, by ``GraphStore.current``, and analysed with the
functions of ``service.graph``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.benchmarks.processes import rss_bytes
from tests.benchmarks.profiling import profiled

TRACES = 200
_BATCH = 50_000


def _numbered(items: list[dict[str, Any]]) -> dict[str, int]:
    return {item["ref"]: number for number, item in enumerate(items, start=1)}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


_STAMP = "2026-01-01 00:00:00.000000"  # created_at and updated_at, as SQLite stores them
_COLUMNS = {
    "periods": "id ref name start_date end_date version created_at updated_at",
    "nodes": "id ref kind title status team_id owner_id period_id standalone start_date "
    "due_date reported_progress visibility fingerprint version created_at updated_at",
    "links": "id type source_id target_id weight reviewed_fingerprint version created_at "
    "updated_at",
    "key_results": "id node_id metric direction start_value target_value current_value weight "
    "version created_at updated_at",
    "graph_state": "id revision",
}


def _rows(document: dict[str, list[dict[str, Any]]]) -> dict[str, Iterable[tuple]]:
    """Each table's rows, in the order of ``_COLUMNS``, numbered in document order."""
    teams, people = _numbered(document["teams"]), _numbered(document["people"])
    periods, nodes = _numbered(document["periods"]), _numbered(document["nodes"])
    return {
        "periods": (
            (
                periods[p["ref"]],
                p["ref"],
                p["name"],
                p["start_date"],
                p["end_date"],
                1,
                _STAMP,
                _STAMP,
            )
            for p in document["periods"]
        ),
        "nodes": (
            (
                nodes[n["ref"]],
                n["ref"],
                n["kind"],
                n["title"],
                n["status"],
                teams.get(n.get("team")),
                people.get(n.get("owner")),
                periods.get(n.get("period")),
                int(n.get("standalone", False)),
                n.get("start_date"),
                n.get("due_date"),
                n.get("reported_progress"),
                "public",
                "",
                1,
                _STAMP,
                _STAMP,
            )
            for n in document["nodes"]
        ),
        "links": (
            (
                number,
                link["type"],
                nodes[link["source"]],
                nodes[link["target"]],
                link.get("weight", 1.0),
                "",
                1,
                _STAMP,
                _STAMP,
            )
            for number, link in enumerate(document["links"], start=1)
        ),
        "key_results": (
            (
                number,
                nodes[kr["goal"]],
                kr["metric"],
                kr["direction"],
                kr["start_value"],
                kr["target_value"],
                kr.get("current_value"),
                kr.get("weight", 1.0),
                1,
                _STAMP,
                _STAMP,
            )
            for number, kr in enumerate(document["key_results"], start=1)
        ),
        "graph_state": [(1, 1)],
    }


def write_database(document: dict[str, list[dict[str, Any]]], url: str) -> None:
    """Write the document's periods, nodes, links and key results into a fresh database.

    Rows go in through the driver as the SQLite columns store them (dates as ISO text),
    many times faster than through the ORM. Teams and people are left out: the graph
    keeps only their ids, and SQLite leaves foreign keys unchecked on a plain connection.
    """
    from models import Base

    engine = create_engine(url)
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA synchronous = OFF")
            for table, rows in _rows(document).items():
                names = _COLUMNS[table].split()
                statement = (
                    f"INSERT INTO {table} ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' * len(names))})"
                )
                for batch in _batches(rows):
                    connection.exec_driver_sql(statement, batch)
    finally:
        engine.dispose()


def _graph(url: str):
    """The graph of the database as a worker's graph store first loads it."""
    from models.database import make_engine
    from service.graphstore import GraphStore

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return GraphStore().current(lambda: session)
    finally:
        engine.dispose()


def measure(nodes: int, directory: Path, seed: int = 0, profile: bool = False) -> dict:
    """Generate a company of ``nodes`` nodes and measure the in-memory graph of it."""
    from service import graph as analysis
    from service.generate import generate

    started = time.perf_counter()
    document = generate(nodes, seed)
    result: dict[str, Any] = {
        "nodes": nodes,
        "links": len(document["links"]),
        "generate_seconds": time.perf_counter() - started,
    }
    url = f"sqlite:///{directory / 'company.db'}"
    started = time.perf_counter()
    write_database(document, url)
    result["write_seconds"] = time.perf_counter() - started
    del document

    # Resident growth over the build: what the graph keeps, allocator slack included.
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    with profiled(profile, "graph build"):
        graph = _graph(url)
    result["build_seconds"] = time.perf_counter() - started
    gc.collect()
    result["rss_growth"] = rss_bytes() - before
    result["edges"] = graph.G.number_of_edges()

    started = time.perf_counter()
    with profiled(profile, "orphan scan"):
        # The census comes with the graph (taken at build, kept by replays), as in a worker.
        found = analysis.orphans(graph.G, census=graph.census)
    result["orphan_seconds"] = time.perf_counter() - started
    result["orphans"] = len(found)

    work = [n for n, data in graph.G.nodes(data="kind") if data == "work"]
    picked = random.Random(seed).sample(work, min(TRACES, len(work)))
    times = []
    with profiled(profile, f"{len(picked)} trace-ups"):
        for node in picked:
            started = time.perf_counter()
            analysis.trace_up(graph.G, node)
            times.append(time.perf_counter() - started)
    result["trace_seconds"] = sorted(times)

    # Traced Python allocations of a second build: what the graph keeps, without slack.
    del graph, found
    gc.collect()
    tracemalloc.start()
    try:
        kept = _graph(url)
        gc.collect()
        result["traced_bytes"] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    result["traced_nodes"] = kept.G.number_of_nodes()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.million")
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="Print cProfiles to stderr.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="throughline-bench-") as directory:
        print(json.dumps(measure(args.nodes, Path(directory), args.seed, args.profile)))


if __name__ == "__main__":
    main()
