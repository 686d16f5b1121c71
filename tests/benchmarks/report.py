"""The figures as Markdown tables, each beside its target with pass or miss."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.benchmarks.http_figures import percentile

MB = 1_000_000
GB = 1_000_000_000
DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Figure:
    """One row: how to read the value from a result, its unit and its target, if any."""

    label: str
    unit: str
    read: Callable[[dict[str, Any]], float]
    limit: float | None = None
    at_least: bool = False
    failed: str | None = None  # a result key that, when present, says the step failed

    def target(self) -> str:
        if self.limit is None:
            return "—"
        return f"{'≥' if self.at_least else '≤'} {_number(self.limit, self.unit, exact=True)}"

    def cell(self, result: dict[str, Any]) -> str:
        if self.failed and self.failed in result:
            return "fails **miss**"
        try:
            value = self.read(result)
        except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
            return "not measured"
        shown = _number(value, self.unit)
        if self.limit is None:
            return shown
        met = value >= self.limit if self.at_least else value <= self.limit
        return f"{shown} pass" if met else f"{shown} **miss**"


def _number(value: float, unit: str, exact: bool = False) -> str:
    if exact:  # a target: as written, no padding
        scale = {"MB": MB, "GB": GB}.get(unit, 1)
        return f"{value / scale:g}" + (f" {unit}" if unit not in ("", "%") else unit)
    if unit == "s":
        return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"
    if unit == "MB":
        return f"{value / MB:,.0f} MB"
    if unit == "GB":
        return f"{value / GB:.2f} GB"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "%":
        return f"{value:.0f}%"
    return f"{value:,.0f}"


def _ms(values: list[float], share: float) -> float:
    return percentile(values, share) * 1000


def _rate(result: dict[str, Any], name: str) -> float:
    return result["rates"][name]["per_second"]


SERVED = [
    Figure(
        "Bulk import (`throughline import`, wall time)",
        "s",
        lambda r: r["import_seconds"],
        8,
        failed="import_error",
    ),
    Figure(
        "Cold graph build (first load in a fresh process)",
        "s",
        lambda r: r["cold_build"]["seconds"],
    ),
    Figure(
        "RSS per gunicorn worker after warm-up (largest)",
        "MB",
        lambda r: max(r["rss_at_end"]),
        300 * MB,
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
        "Full graph rebuilds during those writes", "", lambda r: r["after_write"]["full_builds"], 0
    ),
    Figure(
        "Orphans + conflicts + health after a write, p50",
        "s",
        lambda r: percentile(r["analyses_seconds"], 0.5),
        1,
    ),
    Figure(
        "Orphans + conflicts + health after a write, max",
        "s",
        lambda r: percentile(r["analyses_seconds"], 1),
        1,
    ),
    Figure(
        "Market + team-graph + silos after a write, p50",
        "s",
        lambda r: percentile(r["ground_seconds"], 0.5),
        0.5,
    ),
    Figure(
        "Market + team-graph + silos after a write, max",
        "s",
        lambda r: percentile(r["ground_seconds"], 1),
        0.5,
    ),
    Figure(
        "Clarity + language + overruns after a write, p50",
        "s",
        lambda r: percentile(r["signs_seconds"], 0.5),
        0.5,
    ),
    Figure(
        "Clarity + language + overruns after a write, max",
        "s",
        lambda r: percentile(r["signs_seconds"], 1),
        0.5,
    ),
    Figure("Rate of the trivial endpoint (`/healthz`)", "req/s", lambda r: _rate(r, "trivial")),
    Figure("Rate of trace-up", "req/s", lambda r: _rate(r, "trace")),
    Figure(
        "Trace-up rate / trivial rate",
        "%",
        lambda r: 100 * _rate(r, "trace") / _rate(r, "trivial"),
        60,
        at_least=True,
    ),
]

IN_PROCESS = [
    Figure("Generate the document", "s", lambda r: r["generate_seconds"]),
    Figure("Write its rows to a SQLite file", "s", lambda r: r["write_seconds"]),
    Figure("Graph build (`GraphStore.current`, fresh process)", "s", lambda r: r["build_seconds"]),
    Figure("Graph memory (RSS growth)", "GB", lambda r: r["rss_growth"], 2 * GB),
    Figure("Graph memory (tracemalloc)", "GB", lambda r: r["traced_bytes"], 2 * GB),
    Figure("Orphan scan", "s", lambda r: r["orphan_seconds"], 5),
    Figure("Trace-up p50", "ms", lambda r: _ms(r["trace_seconds"], 0.5), 20),
    Figure("Trace-up max", "ms", lambda r: _ms(r["trace_seconds"], 1), 20),
]


def served_table(results: dict[str, dict[str, Any]], nodes: int, links: int | None) -> str:
    """The over-HTTP figures, one column per database."""
    kinds = list(results)
    size = f"{nodes:,} nodes" + (f", {links:,} links" if links else "")
    lines = [
        f"| Figure ({size}) | Target | {' | '.join(DATABASES[k] for k in kinds)} |",
        f"|---|---|{'---|' * len(kinds)}",
    ]
    for figure in SERVED:
        cells = " | ".join(figure.cell(results[k]) for k in kinds)
        lines.append(f"| {figure.label} | {figure.target()} | {cells} |")
    return "\n".join(lines)


def in_process_table(result: dict[str, Any]) -> str:
    """The in-process figures of the large graph."""
    size = f"{result.get('nodes', 0):,} nodes, {result.get('links', 0):,} links, in-process"
    lines = [f"| Figure ({size}) | Target | Value |", "|---|---|---|"]
    for figure in IN_PROCESS:
        lines.append(f"| {figure.label} | {figure.target()} | {figure.cell(result)} |")
    return "\n".join(lines)


def served_notes(results: dict[str, dict[str, Any]]) -> list[str]:
    """What a reader needs to judge the figures of each database."""
    notes = []
    for kind, result in results.items():
        name = DATABASES[kind]
        if "error" in result:
            notes.append(f"{name}: stopped early: {result['error']}")
        if "import_error" in result:
            notes.append(
                f"{name}: the import failed after {result['import_failed_after']:.1f} s "
                f"({result['import_error']}); the other figures are of the same document "
                f"imported in parts of at most 50,000 nodes, "
                f"{result.get('import_in_parts_seconds', float('nan')):.1f} s in all."
            )
        cold = result.get("cold_build")
        if cold:
            notes.append(
                f"{name}: the cold build loaded {cold['nodes']:,} nodes and {cold['edges']:,} "
                f"supports links and grew the process by {cold['rss_growth'] / MB:,.0f} MB."
            )
        if "rss_at_end" in result:
            notes.append(
                f"{name}: worker RSS after the trace-up warm-up "
                f"{_megabytes(result['rss_after_warm_up'])}, at the end of the run "
                f"{_megabytes(result['rss_at_end'])}; full graph builds logged: "
                f"{result.get('graphs_built_in_warm_up')} in warm-up, "
                f"{result.get('graphs_built_in_all')} in all."
            )
        rates = result.get("rates")
        if rates:
            parts = [
                f"{label} {rates[key]['answers']:,} answers in {rates[key]['seconds']:.1f} s, "
                f"{rates[key]['errors']} errors, workers used {rates[key]['server_cores']:.2f} "
                f"cores ({rates[key]['server_cpu_ms']:.2f} ms CPU per answer), the client "
                f"{rates[key]['client_cores']:.2f} cores"
                for key, label in (("trivial", "`/healthz`"), ("trace", "trace-up"))
            ]
            notes.append(f"{name}: " + "; ".join(parts) + ".")
    return notes


def _megabytes(values: list[int]) -> str:
    return " and ".join(f"{v / MB:,.0f}" for v in values) + " MB"
