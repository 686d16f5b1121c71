"""``python -m tests.benchmarks --peers``: the job on every tool at every size, one table.

The peers are installed from the package index into a virtual environment of their own
(kept between runs, ``THROUGHLINE_PEERS_VENV`` or the user's cache directory). Every run
writes fresh files and, for StrictDoc, a fresh output directory, so no tool reads a cache
of an earlier run. A tool that names anything but the ground truth fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.peers import formats, jobs
from tests.benchmarks.peers.tree import Tree, generate
from tests.benchmarks.processes import cores, cpu_model, load_average, memory_bytes

PEERS = {"doorstop": "3.2", "strictdoc": "0.30.4"}
SIZES = (1_000, 5_000, 20_000)
TARGETS = {1_000: 0.6, 5_000: 1.0, 20_000: 2.0}  # seconds, for Throughline
STARTUP_TARGETS = {"help": 0.3, "check": 0.6}
REPEAT_UNDER = 10.0  # jobs faster than this run three times, and the median counts
RESULTS = Path(__file__).resolve().parents[1] / "results.md"
BEGIN, END = "<!-- peers: begin -->", "<!-- peers: end -->"


def peers_venv() -> Path:
    """The peers' virtual environment, made (or brought to the pinned versions) if needed."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "throughline-peers"
    venv = Path(os.environ.get("THROUGHLINE_PEERS_VENV", default))
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if _versions(python) != PEERS:
        pins = [f"{name}=={version}" for name, version in PEERS.items()]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *pins], check=True)
    return venv


def _versions(python: Path) -> dict[str, str]:
    script = (
        "import importlib.metadata as m\n"
        "for n in ('doorstop', 'strictdoc'):\n"
        "    try: print(n, m.version(n))\n"
        "    except m.PackageNotFoundError: pass\n"
    )
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True)
    return dict(line.split() for line in done.stdout.splitlines())


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _once(job: jobs.Job) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (of every process the job ran) and what it printed."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(job.command, cwd=job.cwd, capture_output=True, text=True, timeout=1800)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode not in (0, 1):  # 1: a check or validation that found something
        raise RuntimeError(f"{job.tool} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, cpu, done.stdout + done.stderr


def measure(job_for, tree: Tree) -> dict:
    """Time the job (median of three when it is quick) and hold its findings to the truth."""
    seconds, cpu, output = _once(job_for(0))
    runs = [(seconds, cpu)]
    if seconds < REPEAT_UNDER:
        runs += [_once(job_for(run))[:2] for run in (1, 2)]
    unlinked, suspect = job_for(0).findings(output)
    return {
        "seconds": statistics.median(wall for wall, _cpu in runs),
        "cpu": statistics.median(cpu for _wall, cpu in runs),
        "runs": len(runs),
        "right": unlinked == tree.unlinked and suspect == tree.suspect,
        "found": (len(unlinked), len(suspect)),
        "truth": (len(tree.unlinked), len(tree.suspect)),
    }


def size_row(items: int, seed: int, venv: Path, directory: Path) -> dict:
    tree = generate(items, seed)
    here = directory / str(items)
    here.mkdir()
    documents = formats.write_throughline(tree, here)
    formats.write_doorstop(tree, here / "doorstop")
    formats.write_strictdoc(tree, here / "sdoc")
    row = {"items": items, "unlinked": len(tree.unlinked), "suspect": len(tree.suspect)}
    _say(f"{items:,} items: Throughline")
    row["Throughline"] = measure(lambda _run: jobs.throughline(here, documents), tree)
    _say(f"{items:,} items: StrictDoc")
    row["StrictDoc"] = measure(
        lambda run: jobs.strictdoc(venv, here / "sdoc", here / f"sdoc-out-{run}-{time.time_ns()}"),
        tree,
    )
    _say(f"{items:,} items: Doorstop")
    row["Doorstop"] = measure(lambda _run: jobs.doorstop(venv, here / "doorstop"), tree)
    return row


def startup(directory: Path, seed: int) -> dict[str, float]:
    """``throughline --help`` and ``throughline check`` on a 1,000-node database (medians of 5)."""
    throughline = str(Path(sys.executable).with_name("throughline"))
    tree = generate(1_000, seed)
    here = directory / "startup"
    here.mkdir()
    documents = formats.write_throughline(tree, here)
    env = {**os.environ, "THROUGHLINE_DATABASE_URL": f"sqlite:///{here / 'company.db'}"}
    subprocess.run([throughline, "db", "upgrade"], env=env, check=True, capture_output=True)
    for document in documents:
        subprocess.run(
            [throughline, "import", str(document)], env=env, check=True, capture_output=True
        )

    def median(*args: str) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([throughline, *args], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return {"help": median("--help"), "check": median("check")}


def _verdict(value: float, target: float) -> str:
    return "pass" if value <= target else "FAIL"


def _cell(result: dict) -> str:
    cell = f"{result['seconds']:.2f} s (CPU {result['cpu']:.2f} s)"
    if not result["right"]:
        found, truth = result["found"], result["truth"]
        cell += (
            f" WRONG (found {found[0]} unlinked, {found[1]} suspect; truth {truth[0]}, {truth[1]})"
        )
    return cell


def render(rows: list[dict], start: dict[str, float], machine: str, command: str) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Beside the peers",
        "",
        f"Measured {today} with `{command}`.",
        "",
        f"Machine: {machine}.",
        "",
        "The job: load a generated mission -> vision -> strategy -> goal -> work tree (1% of "
        "the items unlinked, 0.5% of them goals whose title changed after their children "
        "linked to them), then name every unlinked item and every suspect link. Each tool's "
        "findings are held to the planted ones: a cell says WRONG where they differ. Times "
        "are wall times of fresh processes, the median of three where a run takes under "
        "10 s, with the CPU time of every process the job ran. On a busy machine every wall "
        "time grows; the CPU times and the ratios move less.",
        "",
        "| items | unlinked, suspect | Doorstop 3.2 `doorstop -F` | StrictDoc 0.30.4 JSON export "
        "+ reading | Throughline `check --import --list` | target | Doorstop / Throughline | "
        "StrictDoc / Throughline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours = row["Throughline"]["seconds"]
        doorstop, strictdoc = row["Doorstop"], row["StrictDoc"]
        target = TARGETS.get(row["items"])
        verdict = "" if target is None else f"≤ {target:g} s {_verdict(ours, target)}"
        cells = [
            f"{row['items']:,}",
            f"{row['unlinked']}, {row['suspect']}",
            _cell(doorstop),
            _cell(strictdoc),
            _cell(row["Throughline"]),
            verdict,
            f"{doorstop['seconds'] / ours:.1f}x",
            f"{strictdoc['seconds'] / ours:.1f}x",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| CLI start-up (median of 5) | Target | Value |", "|---|---|---|"]
    for name, what in [
        ("help", "`throughline --help`"),
        ("check", "`throughline check` on a 1,000-item SQLite database"),
    ]:
        target = STARTUP_TARGETS[name]
        value = start[name]
        lines.append(f"| {what} | ≤ {target:g} s | {value:.2f} s {_verdict(value, target)} |")
    return "\n".join(lines) + "\n"


def write_results(text: str, path: Path = RESULTS) -> None:
    """Put the section into ``results.md`` between its markers, in place of an earlier one."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"{BEGIN}\n{text}{END}\n"
    if BEGIN in current and END in current:
        before, _, rest = current.partition(BEGIN)
        _, _, after = rest.partition(END)
        current = before + section + after.lstrip("\n")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    path.write_text(current, encoding="utf-8")


def main(seed: int = 0, results: Path | None = RESULTS, sizes: tuple[int, ...] = SIZES) -> int:
    command = "python -m tests.benchmarks --peers"
    load_before = load_average()
    _say(f"peers: {', '.join(f'{n} {v}' for n, v in PEERS.items())}")
    venv = peers_venv()
    with tempfile.TemporaryDirectory(prefix="throughline-peers-") as scratch:
        directory = Path(scratch)
        rows = [size_row(items, seed, venv, directory) for items in sizes]
        _say("CLI start-up")
        start = startup(directory, seed)
    machine = (
        f"CPU {cpu_model()}, {cores()} cores, {memory_bytes() / 2**30:.0f} GiB memory; "
        f"Python {platform.python_version()}; load average {load_before:.2f} at the start, "
        f"{load_average():.2f} at the end"
    )
    text = render(rows, start, machine, command)
    print(text)
    if results is not None:
        write_results(text, results)
        _say(f"wrote {results.name}")
    wrong = [
        row["items"]
        for row in rows
        for tool in ("Throughline", "Doorstop", "StrictDoc")
        if not row[tool]["right"]
    ]
    return 1 if wrong else 0
