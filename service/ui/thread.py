"""The golden thread of a node laid out for an SVG drawing: levels as rows, mission on top.

Pure geometry: it takes the node summaries and the paths of a trace up and returns boxes
and lines with coordinates, so templates only draw. At most ``MAX_DRAWN`` nodes are drawn,
whatever the trace holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from service.graph.codes import LEVELS

MAX_DRAWN = 100
BOX_WIDTH, BOX_HEIGHT = 190, 46
GAP_X, GAP_Y, MARGIN = 24, 44, 12


@dataclass
class Box:
    node: Mapping[str, Any]
    x: int
    y: int
    level: int
    classes: str


@dataclass
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    classes: str


@dataclass
class Thread:
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    width: int = 0
    height: int = 0
    truncated: bool = False


def layout(
    focus: int,
    summaries: Mapping[int, Mapping[str, Any]],
    paths: Iterable[list[int]],
    suspect_edges: set[tuple[int, int]] = frozenset(),
) -> Thread:
    """Boxes for the nodes on ``paths`` (each ``[focus, ..., mission]``), a row per level.

    A path that would take the drawing past ``MAX_DRAWN`` nodes is left out (and
    ``truncated`` set); the focus node is always drawn, even with no path.

    Examples
    --------
    >>> nodes = {1: {"id": 1, "kind": "mission", "status": "active"},
    ...          2: {"id": 2, "kind": "work", "status": "cancelled"}}
    >>> thread = layout(2, nodes, [[2, 1]])
    >>> [(b.node["id"], b.level) for b in thread.boxes]
    [(1, 0), (2, 4)]
    >>> thread.boxes[0].y < thread.boxes[1].y
    True
    """
    drawn: list[int] = [focus]
    edges: list[tuple[int, int]] = []
    truncated = False
    for path in paths:
        fresh = [n for n in dict.fromkeys(path) if n not in drawn]
        if len(drawn) + len(fresh) > MAX_DRAWN:
            truncated = True
            continue
        drawn.extend(fresh)
        for child, parent in pairwise(path):
            if (child, parent) not in edges:
                edges.append((child, parent))
    rows: dict[int, list[int]] = {}
    for node_id in sorted(drawn):
        rows.setdefault(_level(summaries[node_id]), []).append(node_id)
    thread = Thread(truncated=truncated)
    places: dict[int, tuple[int, int]] = {}
    widest = max(len(row) for row in rows.values())
    for row_index, level in enumerate(sorted(rows)):
        y = MARGIN + row_index * (BOX_HEIGHT + GAP_Y)
        for column, node_id in enumerate(rows[level]):
            x = MARGIN + column * (BOX_WIDTH + GAP_X)
            places[node_id] = (x, y)
            thread.boxes.append(
                Box(summaries[node_id], x, y, level, _classes(summaries[node_id], node_id == focus))
            )
    for child, parent in edges:
        (cx, cy), (px, py) = places[child], places[parent]
        classes = "link suspect" if (child, parent) in suspect_edges else "link"
        thread.lines.append(
            Line(cx + BOX_WIDTH // 2, cy, px + BOX_WIDTH // 2, py + BOX_HEIGHT, classes)
        )
    thread.width = 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X
    thread.height = 2 * MARGIN + len(rows) * BOX_HEIGHT + (len(rows) - 1) * GAP_Y
    return thread


def _level(summary: Mapping[str, Any]) -> int:
    return LEVELS.get(summary["kind"], len(LEVELS))


def _classes(summary: Mapping[str, Any], is_focus: bool) -> str:
    classes = ["box"]
    if summary.get("redacted"):
        classes.append("redacted")
    else:
        classes.append(f"status-{summary['status']}")
    if is_focus:
        classes.append("focus")
    return " ".join(classes)
