"""Every figure on one database: import, cold build, then a gunicorn server measured over HTTP.

Figures are recorded as they come, so a failure half-way still reports those measured
before it (with the error).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks import http_figures as figures
from tests.benchmarks.scratch import scratch_database, settle
from tests.benchmarks.server import ROOT, BenchmarkError, Client, Server, service_command

IMPORT_TIMEOUT = 900
COMMAND_TIMEOUT = 300
PART_NODES = 50_000  # nodes per document when the whole one cannot be imported at once
_ERROR_LINE = re.compile(r"^[\w.]*(Error|Exception): .+$", re.MULTILINE)


@dataclass(frozen=True)
class Settings:
    """How much each measurement does; ``quick()`` for a smoke run."""

    nodes: int = 100_000
    seed: int = 0
    requests: int = 2_000
    write_rounds: int = 20
    analysis_rounds: int = 5
    rate_clients: int = 4
    rate_seconds: float = 5.0
    rate_rounds: int = 3
    workers: int = 2

    @classmethod
    def quick(cls, **overrides: Any) -> Settings:
        values = dict(
            nodes=5_000,
            requests=200,
            write_rounds=5,
            analysis_rounds=2,
            rate_clients=4,
            rate_seconds=2.0,
            rate_rounds=1,
        )
        return cls(**{**values, **overrides})


def run_command(command: list[str], what: str, database_url: str, timeout: float) -> str:
    """Run ``command`` on the database; return its standard output."""
    env = {**os.environ, "THROUGHLINE_DATABASE_URL": database_url}
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(
            f"{what} exited {done.returncode}: {failure(done.stdout + done.stderr)}"
        )
    return done.stdout


def failure(output: str, limit: int = 300) -> str:
    """The line of a command's output that says why it failed, shortened."""
    errors = [match.group(0) for match in _ERROR_LINE.finditer(output)]
    lines = errors or [line for line in output.splitlines() if line.strip()] or ["(no output)"]
    line = lines[-1].strip()
    return line if len(line) <= limit else line[: limit - 3] + "..."


def split_document(path: Path, directory: Path, per_part: int = PART_NODES) -> list[Path]:
    """The document as several, each with at most ``per_part`` nodes, to import in turn.

    Every link and key result goes with the part of the latest node it names, so it only
    names nodes imported by then; teams, people and periods go with the first part.
    """
    with open(path, encoding="utf-8") as stream:
        document = json.load(stream)
    part_of = {node["ref"]: i // per_part for i, node in enumerate(document["nodes"])}
    count = max(part_of.values(), default=0) + 1
    parts = [
        {name: (items if number == 0 else []) for name, items in document.items()}
        for number in range(count)
    ]
    for part in parts:
        part.update(nodes=[], links=[], key_results=[])
    for node in document["nodes"]:
        parts[part_of[node["ref"]]]["nodes"].append(node)
    for link in document["links"]:
        parts[max(part_of[link["source"]], part_of[link["target"]])]["links"].append(link)
    for kr in document["key_results"]:
        parts[part_of[kr["goal"]]]["key_results"].append(kr)
    paths = []
    for number, part in enumerate(parts):
        paths.append(directory / f"{path.stem}-part{number + 1}.json")
        with open(paths[-1], "w", encoding="utf-8") as stream:
            json.dump(part, stream, separators=(",", ":"))
    return paths


def measure(
    kind: str, document: Path, directory: Path, settings: Settings, server_url: str
) -> dict[str, Any]:
    """All figures on a fresh database of ``kind``; ``error`` says what stopped them, if any."""
    result: dict[str, Any] = {}
    try:
        with scratch_database(kind, directory, server_url) as url:
            _measure(url, document, directory, settings, result)
    except Exception as error:  # report the figures so far, whatever went wrong
        result["error"] = f"{type(error).__name__}: {error}"[:1500]
    return result


def _measure(url: str, document: Path, directory: Path, settings: Settings, result: dict) -> None:
    run_command(service_command("db", "upgrade"), "db upgrade", url, COMMAND_TIMEOUT)
    settle(url)
    started = time.perf_counter()
    try:
        run_command(service_command("import", str(document)), "import", url, IMPORT_TIMEOUT)
    except BenchmarkError as error:
        # Record why, then load the same company in parts so the other figures can be had.
        result["import_error"] = str(error)
        result["import_failed_after"] = time.perf_counter() - started
        started = time.perf_counter()
        for part in split_document(document, directory):
            run_command(service_command("import", str(part)), "import", url, IMPORT_TIMEOUT)
            part.unlink()
        result["import_in_parts_seconds"] = time.perf_counter() - started
    else:
        result["import_seconds"] = time.perf_counter() - started
    created = run_command(
        service_command("tokens", "create", "--role", "admin"), "tokens create", url, 60
    )
    token = created.strip().splitlines()[-1]

    cold = run_command(
        [sys.executable, "-m", "tests.benchmarks.cold_build", url], "cold build", url, 300
    )
    result["cold_build"] = json.loads(cold.strip().splitlines()[-1])

    rng = random.Random(settings.seed)
    with Server(url, directory, settings.workers) as server:
        client = Client(server.port, token)
        try:
            _over_http(server, client, token, rng, settings, result)
        except Exception as error:
            raise BenchmarkError(f"{error}; server log ends: {server.log_tail(5)}") from error
        finally:
            client.close()


def _over_http(
    server: Server, client: Client, token: str, rng: random.Random, settings: Settings, result
) -> None:
    ids = figures.work_ids(client, rng)
    result["graphs_built_in_warm_up"] = figures.warm_up(server, token, ids, rng)
    result["rss_after_warm_up"] = figures.worker_rss(server)

    result["trace_seconds"] = figures.trace_latencies(client, ids, rng, settings.requests)
    result["after_write"] = figures.trace_after_write(
        server, client, ids, rng, settings.write_rounds
    )
    result["analyses_seconds"] = figures.analyses_after_write(
        client, ids, rng, settings.analysis_rounds
    )
    result["ground_seconds"] = figures.analyses_after_write(
        client, ids, rng, settings.analysis_rounds, figures.GROUND
    )
    result["signs_seconds"] = figures.analyses_after_write(
        client, ids, rng, settings.analysis_rounds, figures.SIGNS
    )

    # Windows of each endpoint in turn, so drift in what else the machine does falls on both.
    windows: dict[str, list[figures.Rate]] = {"trivial": [], "trace": []}
    for _ in range(settings.rate_rounds):
        for name, paths in (
            ("trivial", ["/healthz"]),
            ("trace", [figures.trace_path(n) for n in ids]),
        ):
            windows[name].append(
                figures.rate(
                    server,
                    token,
                    paths,
                    settings.rate_clients,
                    settings.rate_seconds,
                    settings.seed,
                )
            )
    result["rates"] = {name: figures.combined(rates).__dict__ for name, rates in windows.items()}
    result["rss_at_end"] = figures.worker_rss(server)
    result["graphs_built_in_all"] = server.log_count("graph built")
