"""``python -m tests.benchmarks``: run every benchmark and print the Markdown table.

A full run (the defaults) takes about ten minutes on two cores and writes the table to
``tests/benchmarks/results.md``; ``--quick`` is a smoke run of a minute or two that writes
nothing unless ``--results`` says where.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import million_http, pages, report
from tests.benchmarks.database_figures import Settings, measure
from tests.benchmarks.processes import cores, cpu_model, load_average, memory_bytes
from tests.benchmarks.scratch import POSTGRESQL_SERVER
from tests.benchmarks.server import ROOT, service_command

RESULTS = Path(__file__).with_name("results.md")
GENERATE_TIMEOUT = 600
IN_PROCESS_TIMEOUT = 1_500


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--nodes", type=int, help="Nodes of the served company (100,000).")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="Database(s) to serve from (both).",
    )
    parser.add_argument(
        "--million",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Measure the in-process figures on a large graph (on).",
    )
    parser.add_argument("--million-nodes", type=int, help="Nodes of that graph (1,000,000).")
    parser.add_argument(
        "--served",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Measure the served company (--nodes) over HTTP (on).",
    )
    parser.add_argument(
        "--million-http",
        action="store_true",
        help="Also import and serve that many nodes over HTTP on each database (long).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Smoke run: 5,000 nodes served, 50,000 in-process, fewer and shorter rounds.",
    )
    parser.add_argument("--seed", type=int, default=0, help="Seed of the companies (0).")
    parser.add_argument(
        "--postgresql-url",
        default=POSTGRESQL_SERVER,
        help="Server to create the scratch PostgreSQL database on.",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="Markdown file to write (a full run: tests/benchmarks/results.md).",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="Only the job beside Doorstop and StrictDoc at 1k, 5k and 20k items "
        "(tests/benchmarks/peers); its section of the results is kept apart.",
    )
    return parser.parse_args(argv)


def _stop_on_signal(number, _frame) -> None:
    # Unwind through every ``with`` so servers, databases and files are cleaned up.
    raise SystemExit(128 + number)


def _say(started: float, message: str) -> None:
    print(f"[{time.monotonic() - started:6.0f} s] {message}", file=sys.stderr, flush=True)


def _in_process(nodes: int, seed: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.benchmarks.million", "--nodes", str(nodes)]
    command += ["--seed", str(seed)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=IN_PROCESS_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return {"nodes": nodes, "error": f"no answer in {IN_PROCESS_TIMEOUT} s"}
    if done.returncode != 0:
        return {"nodes": nodes, "error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _million_http(kinds, settings, directory: Path, postgresql_url: str, started) -> dict:
    """The million-node figures over HTTP on each database, from one generated document."""
    _say(started, f"generating a company of {settings.nodes:,} nodes for HTTP")
    large = directory / "large"
    large.mkdir()
    document, _links = _document(large, settings.nodes, settings.seed)
    results = {}
    for kind in kinds:
        _say(started, f"{kind}: {settings.nodes:,} nodes imported and served")
        results[kind] = million_http.measure(kind, document, large, settings, postgresql_url)
        if "error" in results[kind]:
            _say(started, f"{kind}: {results[kind]['error']}")
    return results


def _postgresql_version(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SHOW server_version")).scalar_one().split()[0]
    except Exception:  # only a fact for the report
        return "unknown"
    finally:
        engine.dispose()


def _machine(kinds: list[str], postgresql_url: str) -> str:
    import networkx

    facts = [
        f"CPU {cpu_model()}, {cores()} cores, {memory_bytes() / 2**30:.0f} GiB memory",
        f"Python {platform.python_version()}, networkx {networkx.__version__}",
    ]
    if "sqlite" in kinds:
        facts.append(f"SQLite {sqlite3.sqlite_version}")
    if "postgresql" in kinds:
        facts.append(f"PostgreSQL {_postgresql_version(postgresql_url)} on loopback")
    return "; ".join(facts)


def _document(directory: Path, nodes: int, seed: int) -> tuple[Path, int | None]:
    """Generate the served company's import document; return it and its link count."""
    path = directory / "company.json"
    done = subprocess.run(
        service_command("generate", "--nodes", str(nodes), "--seed", str(seed), "-o", str(path)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=GENERATE_TIMEOUT,
        check=True,
    )
    said = re.search(r"(\d+) links", done.stderr)  # "Wrote N nodes and L links to FILE."
    return path, int(said.group(1)) if said else None


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.peers:
        from tests.benchmarks.peers.run import RESULTS as PEERS_RESULTS
        from tests.benchmarks.peers.run import main as peers

        return peers(seed=args.seed, results=args.results or PEERS_RESULTS)
    base = Settings.quick(seed=args.seed) if args.quick else Settings(seed=args.seed)
    settings = Settings(**{**base.__dict__, "nodes": args.nodes or base.nodes})
    million_nodes = args.million_nodes or (50_000 if args.quick else 1_000_000)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results_path = args.results or (None if args.quick else RESULTS)
    command = "python -m tests.benchmarks" + (" " + " ".join(argv or sys.argv[1:])).rstrip()

    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop_on_signal)
    started = time.monotonic()
    load_before = load_average()
    served: dict[str, dict[str, Any]] = {}
    in_process: dict[str, Any] | None = None
    over_http: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="throughline-bench-") as scratch:
        directory = Path(scratch)
        links = None
        if args.served:
            _say(started, f"generating a company of {settings.nodes:,} nodes")
            document, links = _document(directory, settings.nodes, settings.seed)
        for kind in kinds if args.served else ():
            _say(started, f"{kind}: import, cold build, then {settings.workers} gunicorn workers")
            served[kind] = measure(kind, document, directory, settings, args.postgresql_url)
            if "error" in served[kind]:
                _say(started, f"{kind}: {served[kind]['error']}")
        if args.million_http:
            large = million_http.MillionSettings(nodes=million_nodes, seed=settings.seed)
            over_http = _million_http(kinds, large, directory, args.postgresql_url, started)
    if args.million:
        _say(started, f"in-process figures at {million_nodes:,} nodes")
        in_process = _in_process(million_nodes, settings.seed)
    _say(started, "explorer page renders")
    pages_table = pages.run(settings.nodes, settings.seed)
    _say(started, "done")

    machine = _machine(kinds, args.postgresql_url)
    machine += f"; load average {load_before:.2f} at the start, {load_average():.2f} at the end"
    text = _render(served, in_process, settings, links, machine)
    if over_http:
        notes = "".join(f"- {note}\n" for note in million_http.notes(over_http))
        text += f"\n{million_http.table(over_http, million_nodes)}\n\n{notes}"
    text += pages_table + "\n"
    text = _without_paths(text, scratch)
    print(text)
    if results_path is not None:
        today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        kept = _kept_sections(results_path)
        results_path.write_text(
            f"# Benchmark results\n\nMeasured {today} with `{command}`.\n\n{text}{kept}",
            encoding="utf-8",
        )
        _say(started, f"wrote {results_path.name}")
    failed = [r for r in [*served.values(), *over_http.values(), in_process or {}] if "error" in r]
    return 1 if failed else 0


def _kept_sections(results_path: Path) -> str:
    """What the results file holds from the peers' run on (their block, then the earlier
    rounds), kept below the figures written afresh."""
    from tests.benchmarks.peers.run import BEGIN

    held = results_path.read_text(encoding="utf-8") if results_path.exists() else ""
    start = held.find(BEGIN)
    return "" if start < 0 else "\n" + held[start:]


def _without_paths(text: str, scratch: str) -> str:
    """The text with this machine's directories (which error messages may quote) shortened."""
    for path, shown in (
        (scratch, "<scratch>"),
        (str(ROOT), "<repository>"),
        (sys.prefix, "<python>"),
        (sys.base_prefix, "<python>"),
        (str(Path.home()), "~"),
    ):
        if len(path) > 1:
            text = text.replace(path, shown)
    return text


def _render(served, in_process, settings: Settings, links: int | None, machine: str) -> str:
    parts = [f"Machine: {machine}.", ""]
    if served:
        parts += [report.served_table(served, settings.nodes, links), ""]
    if in_process is not None:
        parts += [report.in_process_table(in_process), ""]
    notes = [
        f"The load clients run on the same {cores()} cores as the server (loopback, "
        f"{settings.workers} sync gunicorn workers), so every rate is shared with the client.",
        "gunicorn's sync workers close each connection after one answer: every request includes "
        "a loopback TCP connect.",
        f"Trace-ups go to random work items: {settings.requests:,} one after another for the "
        f"latency; for the rates, {settings.rate_clients} keep-alive client threads, "
        f"{settings.rate_rounds} windows of {settings.rate_seconds:g} s per endpoint, the two "
        "endpoints taking turns. First trace-up after a write: "
        f"{settings.write_rounds} rounds of a write (PATCH a work item's title and status to "
        "cancelled: every whole-graph analysis is out of date after it) then trace-up of that "
        f"node. Analyses: {settings.analysis_rounds} rounds of such a write then orphans, "
        "conflicts and health in turn; as many more then market, team-graph and silos "
        "(health computes silos, unanchored visions and unserved needs too).",
        "MB and GB are 10^6 and 10^9 bytes; RSS is `VmRSS` from `/proc`.",
        *report.served_notes(served),
    ]
    if in_process is not None and "error" in in_process:
        notes.append(f"In-process figures stopped early: {in_process['error']}")
    parts += ["Notes:", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
