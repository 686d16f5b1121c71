"""Horizontal bar charts for the leaders' page, as geometry for a server-drawn SVG."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 230, 300, 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int


def bar_chart(
    title: str, rows: Iterable[tuple[str, float, str]], scale: float | None = None
) -> Chart:
    """One bar per ``(label, value, text)``, as long as ``value / scale`` (default: the largest).

    Examples
    --------
    >>> chart = bar_chart("Orphans", [("unlinked", 3, "3"), ("no_mission", 0, "0")])
    >>> [(bar.label, bar.width) for bar in chart.bars]
    [('unlinked', 300), ('no_mission', 0)]
    """
    rows = list(rows)
    top = scale if scale is not None else max((value for _, value, _ in rows), default=0)
    bars = [
        Bar(label, value, text, index * ROW_HEIGHT, round(BAR_WIDTH * value / top) if top else 0)
        for index, (label, value, text) in enumerate(rows)
    ]
    return Chart(title, bars, LABEL_WIDTH + BAR_WIDTH + 60, max(len(bars), 1) * ROW_HEIGHT)
