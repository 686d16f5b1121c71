"""Figures measured over HTTP against a running server: latency, writes, analyses, rates.

Every loop stops at a count and at a deadline, whichever comes first.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from tests.benchmarks.processes import cpu_seconds, rss_bytes
from tests.benchmarks.server import BenchmarkError, Client, Server

ANALYSES = ("orphans", "conflicts", "health")
GROUND = ("market", "team-graph", "silos")  # market and team alignment
SIGNS = ("clarity", "language", "overruns")  # signs of misalignment (DOMAIN.md 12 to 14)
WARM_UP_SECONDS = 180


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in [0, 1]) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def trace_path(node_id: int) -> str:
    return f"/api/v1/nodes/{node_id}/trace/up"


def work_ids(client: Client, rng: random.Random, pages: int = 5) -> list[int]:
    """Ids of work items from a few pages of the node list at random offsets."""
    first = client.json("GET", "/api/v1/nodes?kind=work&limit=1000")
    ids = [item["id"] for item in first["items"]]
    total = first["total"]
    for _ in range(pages - 1):
        if total <= 1000:
            break
        offset = rng.randrange(1000, total)
        page = client.json("GET", f"/api/v1/nodes?kind=work&limit=1000&offset={offset}")
        ids += [item["id"] for item in page["items"]]
    if not ids:
        raise BenchmarkError("the server lists no work items")
    return sorted(set(ids))


def warm_up(server: Server, token: str, ids: list[int], rng: random.Random) -> int:
    """Make every worker build its graph and compute its analyses; return graphs built.

    Which worker answers is up to the kernel, so two clients send requests at once until
    the log shows a graph built per worker; then both send more trace-ups and each asks
    for every analysis twice.
    """
    deadline = time.monotonic() + WARM_UP_SECONDS
    for _ in range(50):
        _in_parallel(server.port, token, [trace_path(rng.choice(ids)) for _ in range(3)])
        if server.log_count("graph built") >= server.workers or time.monotonic() > deadline:
            break
    _in_parallel(server.port, token, [trace_path(rng.choice(ids)) for _ in range(50)])
    _in_parallel(
        server.port, token, [f"/api/v1/analysis/{name}" for name in ANALYSES + GROUND + SIGNS] * 2
    )
    return server.log_count("graph built")


def _in_parallel(port: int, token: str, paths: list[str], clients: int = 2) -> None:
    """Each of ``clients`` threads GETs every path in turn; the first failure is raised."""
    failures: list[str] = []

    def send() -> None:
        client = Client(port, token)
        try:
            for path in paths:
                status, data, _ = client.request("GET", path)
                if status != 200:
                    failures.append(f"GET {path} answered {status}: {data[:200]!r}")
                    return
        except OSError as error:
            failures.append(f"{type(error).__name__}: {error}")
        finally:
            client.close()

    threads = [threading.Thread(target=send, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WARM_UP_SECONDS)
    if failures:
        raise BenchmarkError(failures[0])


def trace_latencies(client: Client, ids: list[int], rng: random.Random, count: int) -> list[float]:
    """Seconds of ``count`` trace-ups of random work items, one after another."""
    deadline = time.monotonic() + max(60, count * 0.1)
    times = []
    while len(times) < count and time.monotonic() < deadline:
        path = trace_path(rng.choice(ids))
        status, data, seconds = client.request("GET", path)
        if status != 200:
            raise BenchmarkError(f"GET {path} answered {status}: {data[:200]!r}")
        times.append(seconds)
    return times


def _write(client: Client, node_id: int, number: int) -> None:
    """Rename a work item and cancel it: a write that moves every whole-graph analysis.

    The new status changes alignment, hollow strategies, conflicts and health; the new
    title changes the node's fingerprint, so the links into it are rechecked for review.
    """
    status, data, _ = client.request(
        "PATCH",
        f"/api/v1/nodes/{node_id}",
        {"title": f"Benchmark write {number}", "status": "cancelled"},
    )
    if status != 200:
        raise BenchmarkError(f"PATCH node {node_id} answered {status}: {data[:200]!r}")


def trace_after_write(
    server: Server, client: Client, ids: list[int], rng: random.Random, rounds: int
) -> dict:
    """Seconds of the first trace-up after each of ``rounds`` single-node writes.

    Also counts full graph builds the server logged meanwhile: the first read after a
    write should replay that write, not rebuild the graph.
    """
    built_before = server.log_count("graph built")
    deadline = time.monotonic() + max(120, rounds * 10)
    times = []
    while len(times) < rounds and time.monotonic() < deadline:
        node_id = rng.choice(ids)
        _write(client, node_id, len(times))
        status, data, seconds = client.request("GET", trace_path(node_id))
        if status != 200:
            raise BenchmarkError(f"trace-up of {node_id} answered {status}: {data[:200]!r}")
        times.append(seconds)
    return {"times": times, "full_builds": server.log_count("graph built") - built_before}


def analyses_after_write(
    client: Client,
    ids: list[int],
    rng: random.Random,
    rounds: int,
    names: tuple[str, ...] = ANALYSES,
) -> list[float]:
    """Seconds of the ``names`` analyses together, one after another, right after a write
    (by default orphans + conflicts + health)."""
    deadline = time.monotonic() + max(120, rounds * 30)
    totals = []
    while len(totals) < rounds and time.monotonic() < deadline:
        _write(client, rng.choice(ids), 1_000 + len(totals))
        total = 0.0
        for name in names:
            status, data, seconds = client.request("GET", f"/api/v1/analysis/{name}")
            if status != 200:
                raise BenchmarkError(f"{name} answered {status}: {data[:200]!r}")
            total += seconds
        totals.append(total)
    return totals


@dataclass
class Rate:
    """Answers per second over a fixed window, and the CPU the client and workers used."""

    per_second: float
    answers: int
    errors: int
    seconds: float
    client_cores: float  # CPU the client process used, in cores
    server_cores: float  # CPU the gunicorn workers used, in cores
    server_cpu_ms: float  # worker CPU per successful answer


def rate(
    server: Server, token: str, paths: list[str], clients: int, seconds: float, seed: int
) -> Rate:
    """Successful answers per second with ``clients`` keep-alive threads for ``seconds``.

    Also what the client and the workers spent in CPU meanwhile: on a machine they share,
    the worker CPU per answer says what an endpoint costs whatever the client's share.
    """
    counts = [0] * clients
    errors = [0] * clients
    limit = int(seconds * 100_000)  # far above any rate here; only a bound on the loop

    def run(index: int) -> None:
        client = Client(server.port, token, timeout=30)
        pick = random.Random(seed + index).choice
        try:
            while time.perf_counter() < stop_at and counts[index] + errors[index] < limit:
                try:
                    status, _, _ = client.request("GET", pick(paths))
                except OSError:
                    errors[index] += 1
                    continue
                if status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    workers = server.worker_pids()
    server_before, client_before = cpu_seconds(workers), time.process_time()
    started = time.perf_counter()
    stop_at = started + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    client = time.process_time() - client_before
    server_cpu = cpu_seconds(workers) - server_before
    answers = sum(counts)
    return Rate(
        per_second=answers / elapsed,
        answers=answers,
        errors=sum(errors),
        seconds=elapsed,
        client_cores=client / elapsed,
        server_cores=server_cpu / elapsed,
        server_cpu_ms=1000 * server_cpu / answers if answers else float("nan"),
    )


def combined(rates: list[Rate]) -> Rate:
    """One rate over several windows: their answers over their time, CPU weighted by time."""
    seconds = sum(r.seconds for r in rates)
    answers = sum(r.answers for r in rates)
    server_cpu = sum(r.server_cores * r.seconds for r in rates)
    return Rate(
        per_second=answers / seconds,
        answers=answers,
        errors=sum(r.errors for r in rates),
        seconds=seconds,
        client_cores=sum(r.client_cores * r.seconds for r in rates) / seconds,
        server_cores=server_cpu / seconds,
        server_cpu_ms=1000 * server_cpu / answers if answers else float("nan"),
    )


def worker_rss(server: Server) -> list[int]:
    """Resident bytes of each gunicorn worker."""
    pids = server.worker_pids()
    if not pids:
        raise BenchmarkError("no gunicorn workers found")
    return [rss_bytes(pid) for pid in pids]
