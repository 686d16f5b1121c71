"""``python -m tests.benchmarks.tables``: a company as an OKR sheet against the same company as
a JSON document, each imported by ``throughline import`` into a fresh database.

Teams, people and periods arrive first in a small JSON document for both runs (a sheet
names them, it does not describe them); then the nodes, links and key results arrive once
as JSON and once as the ``okr`` CSV layout, and the two wall times are compared.

An import this size spends much of its time writing to disk, and one run of the same
import varies by a few seconds with the machine's write-back. So each form is imported
``--runs`` times, the two forms in turn, and the medians are compared.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from service.tables.okr import COLUMNS, KEY_RESULT
from tests.benchmarks.database_figures import run_command
from tests.benchmarks.scratch import POSTGRESQL_SERVER, scratch_database, settle

TIMEOUT = 1_200


def okr_sheet(document: dict) -> str:
    """The nodes, supports links and key results of an import document as an ``okr`` CSV."""
    parents = defaultdict(list)
    for link in document["links"]:
        if link.get("type", "supports") == "supports":
            parents[link["source"]].append(link["target"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for node in document["nodes"]:
        row = {k: v for k, v in node.items() if v is not None}
        row["parents"] = ";".join(parents[node["ref"]])
        writer.writerow(row)
    for kr in document["key_results"]:
        row = {k: v for k, v in kr.items() if v is not None}
        row.update(kind=KEY_RESULT, parents=kr["goal"], title=kr.get("title") or kr["metric"])
        writer.writerow(row)
    return out.getvalue()


def measure(
    nodes: int, kind: str, directory: Path, server: str = POSTGRESQL_SERVER, runs: int = 3
) -> dict:
    """Seconds to import the company as JSON and as CSV on a fresh ``kind`` database each
    time, the median of ``runs`` imports of each."""
    generated = directory / "company.json"
    run_command(
        [sys.executable, "-m", "service", "generate", "--nodes", str(nodes), "-o", str(generated)],
        "generate",
        "sqlite://",
        TIMEOUT,
    )
    document = json.loads(generated.read_text())
    for node in document["nodes"]:  # what a sheet cannot say, left out of both
        node.pop("standalone", None)
        node.pop("standalone_reason", None)
        node.pop("reported_progress", None)
        node.pop("url", None)
    for link in document["links"]:
        link.pop("weight", None)
        link.pop("rationale", None)
    document["links"] = [
        link for link in document["links"] if link.get("type", "supports") == "supports"
    ]
    org = {name: document[name] for name in ("teams", "people", "periods")}
    rest = {name: document[name] for name in ("nodes", "links", "key_results")}
    files = {
        "org": directory / "org.json",
        "json": directory / "graph.json",
        "csv": directory / "graph.csv",
    }
    files["org"].write_text(json.dumps(org))
    files["json"].write_text(json.dumps(rest))
    files["csv"].write_text(okr_sheet(document))
    seconds: dict[str, list[float]] = {"json": [], "csv": []}
    for _ in range(runs):
        for form in ("json", "csv"):
            seconds[form].append(_import_seconds(files, form, kind, directory, server))
    json_s, csv_s = (statistics.median(seconds[form]) for form in ("json", "csv"))
    return {
        "nodes": nodes,
        "database": kind,
        "json_s": round(json_s, 2),
        "csv_s": round(csv_s, 2),
        "ratio": round(csv_s / json_s, 3),
        "runs": {form: [round(s, 2) for s in times] for form, times in seconds.items()},
    }


def _import_seconds(files: dict, form: str, kind: str, directory: Path, server: str) -> float:
    with scratch_database(kind, directory, server) as url:
        run_command([sys.executable, "-m", "service", "db", "upgrade"], "upgrade", url, TIMEOUT)
        run_command(
            [sys.executable, "-m", "service", "import", str(files["org"])], "org", url, TIMEOUT
        )
        settle(url)
        started = time.perf_counter()
        run_command(
            [sys.executable, "-m", "service", "import", str(files[form])], form, url, TIMEOUT
        )
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.tables", description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="Imports of each form (median).")
    args = parser.parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    with tempfile.TemporaryDirectory() as scratch:
        for kind in kinds:
            print(json.dumps(measure(args.nodes, kind, Path(scratch), runs=args.runs)), flush=True)


if __name__ == "__main__":
    main()
