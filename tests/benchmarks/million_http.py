"""A million nodes over HTTP: import, workers warm before traffic, traces and analyses.

``python -m tests.benchmarks --million-http`` runs this on each database: the company is
imported by ``throughline import``, served by gunicorn with two workers sharing a graph
snapshot directory, and measured over HTTP. Each worker builds or loads its graph before it
takes traffic (its ``graph warm`` log line says how long that took); after the writes of
the after-write rounds, one worker is stopped, and the time its replacement takes to load
the snapshot and replay those writes is the figure a restart or a new instance pays.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks import http_figures as figures
from tests.benchmarks.database_figures import run_command
from tests.benchmarks.report import DATABASES, GB, Figure, _ms
from tests.benchmarks.scratch import scratch_database
from tests.benchmarks.server import BenchmarkError, Client, Server, service_command

IMPORT_TIMEOUT = 3_600
START_SECONDS = 1_200
RESTART_SECONDS = 600


@dataclass(frozen=True)
class MillionSettings:
    nodes: int = 1_000_000
    seed: int = 0
    workers: int = 2
    requests: int = 500
    write_rounds: int = 10
    analysis_rounds: int = 3


def measure(
    kind: str, document: Path, directory: Path, settings: MillionSettings, server_url: str
) -> dict[str, Any]:
    """Every figure on a fresh database of ``kind``; ``error`` says what stopped them."""
    result: dict[str, Any] = {}
    try:
        with scratch_database(kind, directory, server_url) as url:
            _measure(url, document, directory, settings, result)
    except Exception as error:  # report the figures so far, whatever went wrong
        result["error"] = f"{type(error).__name__}: {error}"[:1500]
    return result


def _measure(url: str, document: Path, directory: Path, settings, result: dict) -> None:
    run_command(service_command("db", "upgrade"), "db upgrade", url, 300)
    started = time.perf_counter()
    run_command(service_command("import", str(document)), "import", url, IMPORT_TIMEOUT)
    result["import_seconds"] = time.perf_counter() - started
    created = run_command(
        service_command("tokens", "create", "--role", "admin"), "tokens create", url, 60
    )
    token = created.strip().splitlines()[-1]
    snapshots = directory / f"snapshots-{os.getpid()}-{time.monotonic_ns()}"
    env = {"THROUGHLINE_GRAPH_SNAPSHOT_DIR": str(snapshots)}
    rng = random.Random(settings.seed)
    started = time.perf_counter()
    with Server(url, directory, settings.workers, env=env, start_seconds=START_SECONDS) as server:
        result["first_answer_seconds"] = time.perf_counter() - started
        _wait_for(server, "graph warm", settings.workers, START_SECONDS)
        result["start_warm_seconds"] = [r["seconds"] for r in server.log_records("graph warm")]
        # A worker takes traffic once its findings are warm too: measure from there, not
        # while the other worker still warms beside the one answering.
        _wait_for(server, "findings warm", settings.workers, START_SECONDS)
        result["start_findings_seconds"] = [
            r["seconds"] for r in server.log_records("findings warm")
        ]
        result["start_snapshot_loads"] = server.log_count("graph loaded from its snapshot")
        client = Client(server.port, token)
        try:
            _over_http(server, client, rng, settings, result)
            _restart_one(server, settings, result)
            result["trace_after_restart_seconds"] = figures.trace_latencies(
                client, figures.work_ids(client, rng), rng, 50
            )
        except Exception as error:
            raise BenchmarkError(f"{error}; server log ends: {server.log_tail(5)}") from error
        finally:
            client.close()
        result["rss_at_end"] = figures.worker_rss(server)


def _over_http(server: Server, client: Client, rng, settings, result: dict) -> None:
    ids = figures.work_ids(client, rng)
    result["rss_after_start"] = figures.worker_rss(server)
    result["trace_seconds"] = figures.trace_latencies(client, ids, rng, settings.requests)
    result["after_write"] = figures.trace_after_write(
        server, client, ids, rng, settings.write_rounds
    )
    result["analyses_seconds"] = figures.analyses_after_write(
        client, ids, rng, settings.analysis_rounds
    )
    result["rss_after_analyses"] = figures.worker_rss(server)


def _restart_one(server: Server, settings, result: dict) -> None:
    """Stop one worker; gunicorn starts another, which loads the snapshot and replays."""
    before = server.log_count("graph warm")
    warmed = server.log_count("findings warm")
    os.kill(server.worker_pids()[0], signal.SIGTERM)
    started = time.perf_counter()
    _wait_for(server, "graph warm", before + 1, RESTART_SECONDS)
    result["restart_wall_seconds"] = time.perf_counter() - started
    result["restart_warm_seconds"] = server.log_records("graph warm")[-1]["seconds"]
    # It takes traffic only once every whole-graph finding is warm as well.
    _wait_for(server, "findings warm", warmed + 1, RESTART_SECONDS)
    result["restart_ready_seconds"] = time.perf_counter() - started
    result["restart_snapshot_loads"] = server.log_count("graph loaded from its snapshot")


def _wait_for(server: Server, message: str, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while server.log_count(message) < count:
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{count} '{message}' log lines not seen in {seconds:g} s")
        time.sleep(0.2)


FIGURES = [
    Figure("Import (`throughline import`, wall time)", "s", lambda r: r["import_seconds"], 90),
    Figure(
        "Start: slowest worker warm (one builds and saves, the other waits, then loads)",
        "s",
        lambda r: max(r["start_warm_seconds"]),
    ),
    Figure(
        "Restarted worker's graph warm (snapshot load + replay of the writes since)",
        "s",
        lambda r: r["restart_warm_seconds"],
    ),
    Figure(
        "Restarted worker takes traffic (graph, then every finding warm), from its stop",
        "s",
        lambda r: r["restart_ready_seconds"],
        10,
    ),
    Figure(
        "Trace-up latency p50 (HTTP, one client)", "ms", lambda r: _ms(r["trace_seconds"], 0.5), 5
    ),
    Figure("Trace-up latency p99", "ms", lambda r: _ms(r["trace_seconds"], 0.99)),
    Figure(
        "First trace-up after a write, p50", "ms", lambda r: _ms(r["after_write"]["times"], 0.5), 20
    ),
    Figure(
        "First trace-up after a write, max", "ms", lambda r: _ms(r["after_write"]["times"], 1), 20
    ),
    Figure(
        "Orphans + conflicts + health after a write, max",
        "s",
        lambda r: max(r["analyses_seconds"]),
        3,
    ),
    Figure("RSS per worker at the end (largest)", "GB", lambda r: max(r["rss_at_end"]), 1.2 * GB),
]


def table(results: dict[str, dict[str, Any]], nodes: int) -> str:
    """The figures, one column per database."""
    kinds = list(results)
    lines = [
        f"| Figure ({nodes:,} nodes over HTTP, 2 workers) | Target | "
        f"{' | '.join(DATABASES[k] for k in kinds)} |",
        f"|---|---|{'---|' * len(kinds)}",
    ]
    for figure in FIGURES:
        cells = " | ".join(figure.cell(results[k]) for k in kinds)
        lines.append(f"| {figure.label} | {figure.target()} | {cells} |")
    return "\n".join(lines)


def notes(results: dict[str, dict[str, Any]]) -> list[str]:
    """What each database's run did besides the table."""
    out = []
    for kind, r in results.items():
        name = DATABASES[kind]
        if "error" in r:
            out.append(f"{name} (million over HTTP): stopped early: {r['error']}")
        if "start_warm_seconds" in r:
            out.append(
                f"{name} (million over HTTP): workers warm at start in "
                f"{', '.join(f'{s:.1f}' for s in r['start_warm_seconds'])} s, their findings "
                f"{', '.join(f'{s:.1f}' for s in r.get('start_findings_seconds', []))} s later "
                f"({r['start_snapshot_loads']} from the snapshot); first answer "
                f"{r['first_answer_seconds']:.1f} s after the server was started; RSS per "
                f"worker after start {', '.join(f'{b / GB:.2f}' for b in r['rss_after_start'])}"
                f" GB, at the end {', '.join(f'{b / GB:.2f}' for b in r.get('rss_at_end', []))}"
                " GB."
            )
        if r.get("analyses_seconds"):
            out.append(
                f"{name} (million over HTTP): orphans + conflicts + health after each write: "
                f"{', '.join(f'{s:.2f}' for s in r['analyses_seconds'])} s."
            )
        if "restart_warm_seconds" in r:
            out.append(
                f"{name} (million over HTTP): the restarted worker was warm "
                f"{r['restart_wall_seconds']:.1f} s after its predecessor was stopped "
                f"(snapshot loads in all: {r['restart_snapshot_loads']})."
            )
    return out
