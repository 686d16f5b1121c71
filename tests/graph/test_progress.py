import pytest

from service.graph import key_result_progress, progress

from .factories import graph


def kr(start, target, current, weight=1, direction=None):
    if direction is None:
        direction = "increase" if target >= start else "decrease"
    return {
        "id": 0,
        "metric": "m",
        "direction": direction,
        "start_value": start,
        "target_value": target,
        "current_value": current,
        "weight": weight,
    }


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 25, 0.25),
        (200, 100, 175, 0.25),  # decrease: from 200 down to 100
        (200, 100, 250, 0.0),  # moved the wrong way: clamped
        (0, 10, 15, 1.0),  # overshot: clamped
        (0, 10, None, None),
        (5, 5, 5, None),  # no distance to cover
    ],
)
def test_key_result_progress(start, target, current, expected):
    assert key_result_progress(kr(start, target, current)) == expected


@pytest.mark.parametrize(
    ("status", "reported", "expected"),
    [("done", 0.2, 1.0), ("active", 0.4, 0.4), ("draft", None, 0.0), ("cancelled", 0.7, 0.7)],
)
def test_work_progress(status, reported, expected):
    G = graph({1: (f"work {status}", {"reported_progress": reported})})

    assert progress(G, {}) == {1: expected}


def test_progress_rolls_up_with_weights():
    #  1 mission
    #  ├── 2 strategy ── 10 goal (key results)
    #  │             └── 11 goal ── 20 done, 21 (0.4), 22 cancelled, 23 draft (weight 2)
    #  └── 3 strategy ── 21 (weight 0.5), 12 goal (key results without values)
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy active",
            10: "goal active",
            11: "goal active",
            12: "goal draft",
            20: "work done",
            21: ("work active", {"reported_progress": 0.4}),
            22: ("work cancelled", {"reported_progress": 0.9}),
            23: "work draft",
            30: "vision active",
        },
        [
            (1, 2),
            (1, 3),
            (2, 10),
            (2, 11),
            (11, 20),
            (11, 21),
            (11, 22),
            (11, 23, 2.0),
            (3, 21, 0.5),
            (3, 12),
        ],
    )
    key_results = {
        10: [kr(0, 100, 50, weight=1), kr(200, 100, 175, weight=3), kr(0, 1, None, weight=5)],
        12: [kr(0, 1, None)],
    }

    result = progress(G, key_results)

    assert result[10] == pytest.approx((0.5 * 1 + 0.25 * 3) / 4)  # 0.3125
    assert result[11] == pytest.approx((1.0 + 0.4 + 0.0 * 2) / 4)  # 0.35
    assert result[12] is None
    assert result[2] == pytest.approx((0.3125 + 0.35) / 2)
    assert result[3] == pytest.approx(0.4)  # goal 12 has no value: left out
    assert result[1] == pytest.approx(((0.3125 + 0.35) / 2 + 0.4) / 2)
    assert result[30] is None  # the mean of nothing


def test_goal_without_key_results_follows_its_children():
    G = graph({1: "goal active", 2: "work done", 3: "work archived"}, [(1, 2), (1, 3)])

    assert progress(G, {1: []})[1] == 1.0


def test_goal_key_results_win_over_its_children():
    G = graph({1: "goal active", 2: "work done"}, [(1, 2)])

    assert progress(G, {1: [kr(0, 10, 3)]})[1] == pytest.approx(0.3)


def test_only_cancelled_children_leave_no_progress():
    G = graph({1: "strategy active", 2: "work cancelled"}, [(1, 2)])

    assert progress(G, {})[1] is None


def test_progress_does_not_loop_on_a_cycle():
    G = graph({1: "goal active", 2: "goal active", 3: "work done"}, [(1, 2), (2, 1), (2, 3)])

    result = progress(G, {})

    assert set(result) == {1, 2, 3}
    assert result[3] == 1.0


def test_progress_update_matches_a_fresh_pass_after_changes():
    import networkx as nx

    from service.graph import progress, progress_update

    G = nx.DiGraph([(1, 2), (2, 3), (2, 4), (1, 5)])
    kinds = {1: "strategy", 2: "goal", 3: "work", 4: "work", 5: "work"}
    for n, kind in kinds.items():
        G.add_node(n, kind=kind, status="active")
    before = progress(G, {})
    G.nodes[3]["status"] = "done"
    G.remove_edge(1, 5)
    G.add_node(6, kind="work", status="active", reported_progress=0.5)
    G.add_edge(2, 6)

    assert progress_update(G, {}, dict(before), [3, 1, 5, 2, 6]) == progress(G, {})
