"""``throughline check``: the health summary as a pipeline gate."""

from __future__ import annotations

import json

from flask import Flask

from service import analysis
from service.api.progress import graph
from service.findings import conflict_list


def evaluate(
    app: Flask,
    *,
    max_orphans: int | None = None,
    max_violations: int | None = None,
    max_conflicts: int | None = None,
    min_aligned_ratio: float | None = None,
    max_silos: int | None = None,
    max_unanchored: int | None = None,
) -> tuple[dict, list[str]]:
    """The health summary and the thresholds it breaks, in words."""
    with app.test_request_context():
        current = graph()
        days = app.config["THROUGHLINE"].stale_after_days
        summary = analysis.health(current, days)
        violations = sum(
            1 for conflict in conflict_list(current) if conflict["severity"] == "violation"
        )
    summary["violations"] = violations
    failures = []
    if max_orphans is not None and summary["orphans"]["total"] > max_orphans:
        failures.append(f"{summary['orphans']['total']} orphans (at most {max_orphans})")
    if max_violations is not None and violations > max_violations:
        failures.append(f"{violations} violations (at most {max_violations})")
    if max_conflicts is not None and summary["conflicts"]["total"] > max_conflicts:
        failures.append(f"{summary['conflicts']['total']} conflicts (at most {max_conflicts})")
    if max_silos is not None and summary["silos"] > max_silos:
        failures.append(f"{summary['silos']} silo teams (at most {max_silos})")
    if max_unanchored is not None and summary["unanchored_visions"] > max_unanchored:
        failures.append(
            f"{summary['unanchored_visions']} unanchored visions (at most {max_unanchored})"
        )
    ratio = summary["work_aligned_ratio"]
    if min_aligned_ratio is not None and (ratio is None or ratio < min_aligned_ratio):
        failures.append(f"aligned ratio of live work {ratio} (at least {min_aligned_ratio})")
    return summary, failures


def render(summary: dict, failures: list[str], as_json: bool = False) -> str:
    if as_json:
        return json.dumps({**summary, "failures": failures}, indent=2, sort_keys=True)
    ratio = summary["work_aligned_ratio"]
    lines = [
        f"nodes            {summary['counts']['total']}",
        "aligned work     " + ("n/a" if ratio is None else f"{ratio:.1%}"),
        f"orphans          {summary['orphans']['total']}  "
        + _breakdown(summary["orphans"]["by_reason"]),
        f"unsupported      {summary['unsupported']}",
        f"conflicts        {summary['conflicts']['total']}  "
        + _breakdown(summary["conflicts"]["by_type"]),
        f"violations       {summary['violations']}",
        f"suspect links    {summary['suspect_links']}",
        f"stale KRs        {summary['stale_key_results']}",
        f"standalone       {summary['standalone']['total']}",
        f"silo teams       {summary['silos']}",
        f"unanchored       {summary['unanchored_visions']}",
        f"unserved needs   {summary['unserved_needs']}",
    ]
    lines += [f"FAIL: {failure}" for failure in failures]
    lines.append("FAILED" if failures else "OK")
    return "\n".join(lines)


def _breakdown(counts: dict) -> str:
    shown = [f"{key} {value}" for key, value in counts.items() if value]
    return f"({', '.join(shown)})" if shown else ""
