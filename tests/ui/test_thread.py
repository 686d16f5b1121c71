"""The thread drawing: rows by level, mission on top, never more than MAX_DRAWN nodes."""

from __future__ import annotations

from service.ui.thread import MAX_DRAWN, layout

KINDS = ("mission", "vision", "strategy", "goal", "work")


def _summaries(ids_by_kind):
    return {n: {"id": n, "kind": kind, "status": "active"} for n, kind in ids_by_kind}


def test_rows_follow_levels_and_lines_join_child_to_parent():
    nodes = _summaries([(1, "mission"), (2, "strategy"), (3, "strategy"), (4, "work")])
    thread = layout(4, nodes, [[4, 2, 1], [4, 3, 1]], suspect_edges={(4, 3)})

    rows = {b.node["id"]: b.y for b in thread.boxes}
    assert rows[1] < rows[2] == rows[3] < rows[4]
    assert len(thread.lines) == 4
    assert sum("suspect" in line.classes for line in thread.lines) == 1


def test_the_drawing_is_bounded_and_says_so():
    focus, mission = 0, 1
    ids = [(focus, "work"), (mission, "mission")]
    paths = []
    for index in range(40):
        middle = [10 + index * 3 + step for step in range(3)]
        ids += [(m, KINDS[3 - step]) for step, m in enumerate(middle)]
        paths.append([focus, *middle, mission])

    thread = layout(focus, _summaries(ids), paths)

    assert len(thread.boxes) <= MAX_DRAWN
    assert thread.truncated


def test_a_node_without_paths_is_drawn_alone():
    thread = layout(7, _summaries([(7, "work")]), [])

    assert [b.node["id"] for b in thread.boxes] == [7] and "focus" in thread.boxes[0].classes
