"""What the kernel says about processes: resident memory and children (Linux ``/proc``)."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size of a process (``VmRSS``), in bytes."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"no VmRSS for process {pid}")


def children(pid: int) -> list[int]:
    """Ids of the live processes whose parent is ``pid``, sorted."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        # The command name sits in parentheses and may hold spaces: parse after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (those still running)."""
    ticks = 0
    for pid in pids:
        try:
            stat = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_model() -> str:
    """The CPU's model name as ``/proc/cpuinfo`` gives it."""
    for line in (PROC / "cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def memory_bytes() -> int:
    """Total memory of the machine (``MemTotal``)."""
    for line in (PROC / "meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def load_average() -> float:
    """The one-minute load average: how busy the machine is besides what it measures."""
    return float((PROC / "loadavg").read_text().split()[0])


def cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0))
