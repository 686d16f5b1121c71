"""Explorer page renders on a large generated company, in process.

``python -m tests.benchmarks.pages --nodes 100000`` prints one JSON line: for each page,
the milliseconds the server takes to answer it (Flask test client: routing, session,
graph, analyses and templates; no network): first after the worker's warm-up (as
gunicorn runs it before a worker takes traffic: the graph, then the whole-graph
findings), then warm, then right after each of a few writes (a work item renamed and
cancelled, as an editor does it: the analyses the page shows are out of date then, and
brought up to date for it). The warm-up's own seconds are printed too.
``render_table`` turns that line into the Markdown table of the benchmark report.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.benchmarks.million import write_database

ROUNDS = 20
WRITES = 5  # rounds of a write, then the page
TARGET_MS = 300
SECRET_KEY = "benchmark secret key of at least thirty-two characters"


def _people_and_teams(document, url: str) -> None:
    """Teams and people rows (``write_database`` leaves them out), numbered as it numbers."""
    engine = create_engine(url)
    stamp = "2026-01-01 00:00:00.000000"
    with engine.begin() as connection:
        for table, items in (("teams", document["teams"]), ("people", document["people"])):
            connection.execute(
                text(
                    f"INSERT INTO {table} (id, ref, name, version, created_at, updated_at) "
                    "VALUES (:id, :ref, :name, 1, :stamp, :stamp)"
                ),
                [
                    {
                        "id": i,
                        "ref": item["ref"],
                        "name": item.get("name", item["ref"]),
                        "stamp": stamp,
                    }
                    for i, item in enumerate(items, start=1)
                ],
            )
    engine.dispose()


def _pages(app, document) -> dict[str, str]:
    """One URL per page, on nodes typical of each."""
    from service.api.progress import graph

    with app.test_request_context():
        G = graph().G
        by_kind: dict[str, int] = {}
        for node_id, kind in G.nodes(data="kind"):
            if kind not in by_kind or (kind != "mission" and G.degree(node_id) > 1):
                by_kind.setdefault(kind, node_id)
    owners = {n.get("owner") for n in document["nodes"] if n["kind"] == "work"} - {None}
    person = 1 + [p["ref"] for p in document["people"]].index(sorted(owners)[0])
    word = re.findall(r"[A-Za-z]{4,}", document["nodes"][len(document["nodes"]) // 2]["title"])[0]
    return {
        "search": f"/ui/search?q={word}",
        "node (work)": f"/ui/nodes/{by_kind['work']}",
        "node (goal)": f"/ui/nodes/{by_kind['goal']}",
        "node (strategy)": f"/ui/nodes/{by_kind['strategy']}",
        "node (mission)": f"/ui/nodes/{by_kind['mission']}",
        "node (strategy), impact asked for": f"/ui/nodes/{by_kind['strategy']}?impact=1",
        "node (mission), impact asked for": f"/ui/nodes/{by_kind['mission']}?impact=1",
        "person": f"/ui/people/{person}",
        "leaders": "/ui/leaders",
        "orphans, page 3": "/ui/leaders/orphans?offset=50",
    }


def measure(nodes: int, directory: Path, seed: int = 0) -> dict:
    from service import create_app
    from service.config import Config
    from service.generate import generate
    from service.warmup import warm
    from tests.conftest import client_as, make_token
    from tests.ui.explorer import sign_in

    document = generate(nodes, seed)
    url = f"sqlite:///{directory / 'company.db'}"
    write_database(document, url)
    _people_and_teams(document, url)
    config = Config(
        database_url=url, migrate_on_start=False, secret_key=SECRET_KEY, log_level="WARNING"
    )
    app = create_app(config)
    started = time.perf_counter()
    assert warm(app, findings=True)
    warm_up = time.perf_counter() - started
    client = sign_in(app, make_token(app, "viewer"))
    editor = client_as(app, make_token(app, "admin"))
    pages = _pages(app, document)
    work = _work_ids(app)
    pick = random.Random(seed).choice
    result = {
        "nodes": nodes,
        "links": len(document["links"]),
        "warm_up_s": round(warm_up, 2),
        "pages": {},
    }
    for name, page in pages.items():
        times = [_render(client, page) for _ in range(ROUNDS + 1)]
        after = []
        for number in range(WRITES):
            answer = editor.patch(
                f"/api/v1/nodes/{pick(work)}",
                json={"title": f"Benchmark write {number}", "status": "cancelled"},
            )
            assert answer.status_code == 200, answer.get_json()
            after.append(_render(client, page))
        result["pages"][name] = {
            "url": page,
            "first": times[0],
            "warm": sorted(times[1:]),
            "after_write": sorted(after),
        }
    app.extensions["database"].dispose()
    return result


def _work_ids(app) -> list[int]:
    from service.api.progress import graph

    with app.test_request_context():
        return sorted(n for n, kind in graph().G.nodes(data="kind") if kind == "work")


def _render(client, page: str) -> float:
    started = time.perf_counter()
    response = client.get(page)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (page, response.status_code)
    return seconds


def render_table(result: dict) -> str:
    """The Markdown table of one measurement."""
    lines = [
        f"| Explorer page ({result['nodes']:,} nodes, {result['links']:,} links, in-process) "
        "| Target | First, after the warm-up | Warm p50 | Warm max "
        "| After a write, p50 | After a write, max |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, page in result["pages"].items():
        warm, after = page["warm"], page["after_write"]
        worst = max(page["first"], warm[-1], after[-1]) * 1000
        verdict = "pass" if worst <= TARGET_MS else "FAIL"
        lines.append(
            f"| {name} | ≤ {TARGET_MS} ms | {page['first'] * 1000:,.0f} ms "
            f"| {warm[len(warm) // 2] * 1000:,.1f} ms | {warm[-1] * 1000:,.1f} ms "
            f"| {after[len(after) // 2] * 1000:,.1f} ms | {after[-1] * 1000:,.1f} ms {verdict} |"
        )
    lines.append(
        f"\nThe worker's warm-up before traffic (graph built, then every whole-graph finding "
        f"and every node's progress): {result['warm_up_s']:.2f} s."
    )
    return "\n".join(lines)


def run(nodes: int, seed: int = 0, timeout: int = 1_200) -> str:
    """Measure in a process of its own and return the table (or what went wrong)."""
    command = [sys.executable, "-m", "tests.benchmarks.pages", "--nodes", str(nodes)]
    command += ["--seed", str(seed)]
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"Explorer pages: no answer in {timeout} s."
    if done.returncode != 0:
        return f"Explorer pages failed: {done.stderr[-1500:]}"
    return render_table(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.pages")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--table", action="store_true", help="Print the Markdown table too.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="throughline-bench-") as directory:
        result = measure(args.nodes, Path(directory), args.seed)
    if args.table:
        print(render_table(result), file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
