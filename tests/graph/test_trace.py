import time
from itertools import pairwise

import networkx as nx
import pytest

from service.graph import (
    lowest_common_ancestors,
    shortest_path_to_mission,
    trace_down,
    trace_up,
)

from .factories import graph


def lattice(layers, width=2):
    """A mission, ``layers`` full layers of ``width`` nodes, and one node at the bottom.

    Every node is linked to every node of the layer above: ``width ** layers`` paths.
    """
    nodes = {0: "mission active"}
    links = []
    above = [0]
    for layer in range(layers):
        current = [1 + layer * width + i for i in range(width)]
        for n in current:
            nodes[n] = "work active"
            links += [(parent, n) for parent in above]
        above = current
    bottom = 1 + layers * width
    nodes[bottom] = "work active"
    links += [(parent, bottom) for parent in above]
    return graph(nodes, links), bottom


def is_path_up(G, path):
    return all(G.has_edge(parent, child) for child, parent in pairwise(path))


@pytest.fixture
def paths_of_three_lengths():
    #      1 mission
    #    / | \
    #   2  3  |
    #   |  |  |
    #   4  |  |
    #    \ | /
    #      5
    return graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy cancelled",
            4: "goal active",
            5: "work active",
        },
        [(1, 2), (1, 3), (2, 4), (4, 5), (3, 5), (1, 5)],
    )


def test_trace_up_gives_ancestors_links_and_paths_shortest_first(paths_of_three_lengths):
    answer = trace_up(paths_of_three_lengths, 5)

    assert answer == {
        "nodes": [1, 2, 3, 4, 5],
        "edges": [[2, 1], [3, 1], [4, 2], [5, 1], [5, 3], [5, 4]],
        "paths": [[5, 1], [5, 3, 1], [5, 4, 2, 1]],
        "truncated": False,
        "aligned": True,
        "reason": None,
    }


@pytest.mark.parametrize(
    ("max_paths", "paths", "truncated"),
    [
        (0, [], True),
        (2, [[5, 1], [5, 3, 1]], True),
        (3, [[5, 1], [5, 3, 1], [5, 4, 2, 1]], False),
    ],
)
def test_trace_up_stops_at_max_paths(paths_of_three_lengths, max_paths, paths, truncated):
    answer = trace_up(paths_of_three_lengths, 5, max_paths=max_paths)

    assert (answer["paths"], answer["truncated"]) == (paths, truncated)


def test_trace_up_reaches_missions_whatever_their_status():
    G = graph({1: "mission cancelled", 2: "goal active", 3: "mission active"}, [(1, 2)])

    answer = trace_up(G, 2)

    assert answer["paths"] == [[2, 1]]
    assert (answer["aligned"], answer["reason"]) == (False, "broken_chain")


def test_trace_up_without_mission_above_has_no_path():
    G = graph({1: "strategy active", 2: "goal active"}, [(1, 2)])

    answer = trace_up(G, 2)

    assert (answer["nodes"], answer["paths"], answer["truncated"]) == ([1, 2], [], False)
    assert answer["reason"] == "no_mission"


def test_trace_up_of_a_mission_is_the_mission_alone():
    answer = trace_up(graph({1: "mission active"}), 1)

    assert (answer["paths"], answer["aligned"]) == ([[1]], True)


def test_trace_up_does_not_enumerate_an_exponential_number_of_paths():
    G, bottom = lattice(40)

    started = time.perf_counter()
    answer = trace_up(G, bottom)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.5
    assert answer["truncated"] is True
    assert len(answer["paths"]) == 20
    assert len({tuple(p) for p in answer["paths"]}) == 20
    assert all(len(p) == 42 and p[-1] == 0 and is_path_up(G, p) for p in answer["paths"])


def test_trace_up_orders_paths_of_mixed_lengths_shortest_first():
    G, bottom = lattice(6)
    G.add_edge(0, 7)  # a shortcut from the fourth layer to the mission

    paths = trace_up(G, bottom, max_paths=1000)["paths"]

    lengths = [len(p) for p in paths]
    assert lengths == sorted(lengths)
    assert lengths[0] == 5
    assert len(paths) == len({tuple(p) for p in paths}) == 2**6 + 2**2


def test_trace_up_finishes_a_shorter_path_before_following_a_longer_one():
    # 7 -> 2 -> 1 is shortest; 2 also climbs through 3 and 3 through 4, each of them one
    # hop from the mission, while 7 -> 5 -> 6 -> 1 is shorter than 7 -> 2 -> 3 -> 4 -> 1.
    G = graph(
        {1: "mission active", **{n: "work active" for n in range(2, 8)}},
        [(1, 2), (2, 7), (3, 2), (1, 3), (4, 3), (1, 4), (5, 7), (6, 5), (1, 6)],
    )

    paths = trace_up(G, 7)["paths"]

    assert paths == [[7, 2, 1], [7, 2, 3, 1], [7, 5, 6, 1], [7, 2, 3, 4, 1]]


def test_trace_up_of_unknown_node_raises():
    with pytest.raises(nx.NodeNotFound):
        trace_up(graph({1: "mission active"}), 2)


def test_trace_down_gives_descendants_links_and_counts():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "goal done",
            4: "work cancelled",
            5: "strategy draft",
        },
        [(1, 2), (2, 3), (3, 4), (1, 5), (5, 3)],
    )

    answer = trace_down(G, 2)

    assert answer["nodes"] == [2, 3, 4]
    assert answer["edges"] == [[3, 2], [4, 3]]
    assert answer["counts"]["total"] == 2
    assert answer["counts"]["by_kind"] == {
        "mission": 0,
        "vision": 0,
        "strategy": 0,
        "goal": 1,
        "work": 1,
    }
    assert answer["counts"]["by_status"] == {
        "draft": 0,
        "active": 0,
        "done": 1,
        "cancelled": 1,
        "archived": 0,
    }


@pytest.mark.parametrize(("depth", "nodes"), [(0, [1]), (1, [1, 2, 5]), (2, [1, 2, 3, 5])])
def test_trace_down_stops_at_depth(depth, nodes):
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "goal active",
            4: "work active",
            5: "strategy active",
        },
        [(1, 2), (2, 3), (3, 4), (1, 5)],
    )

    answer = trace_down(G, 1, depth=depth)

    assert answer["nodes"] == nodes
    assert answer["counts"]["total"] == len(nodes) - 1


@pytest.fixture
def two_strategies_two_goals():
    # 1 above strategies 2 and 3; goals 4 and 5 under both; goal 6 under 2 only.
    return graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy active",
            4: "goal active",
            5: "goal active",
            6: "goal active",
        },
        [(1, 2), (1, 3), (2, 4), (3, 4), (2, 5), (3, 5), (2, 6)],
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (4, 5, [2, 3]),  # both strategies, neither below the other
        (4, 6, [2]),
        (2, 4, [2]),  # an ancestor of the other node
        (4, 4, [4]),
        (2, 3, [1]),
    ],
)
def test_lowest_common_ancestors(two_strategies_two_goals, a, b, expected):
    assert lowest_common_ancestors(two_strategies_two_goals, a, b) == expected
    assert lowest_common_ancestors(two_strategies_two_goals, b, a) == expected


def test_lowest_common_ancestors_of_unrelated_nodes_is_empty():
    G = graph({1: "mission active", 2: "strategy active", 3: "strategy active"}, [(1, 2)])

    assert lowest_common_ancestors(G, 2, 3) == []


def test_shortest_path_prefers_a_path_that_aligns_the_node():
    G = graph(
        {
            1: "mission active",
            2: "strategy cancelled",
            3: "strategy active",
            4: "goal done",
            5: "work active",
        },
        [(1, 2), (2, 5), (1, 3), (3, 4), (4, 5)],
    )

    assert shortest_path_to_mission(G, 5) == [5, 4, 3, 1]


def test_shortest_path_falls_back_to_any_path_to_any_mission():
    G = graph(
        {1: "mission archived", 2: "strategy cancelled", 3: "goal active"},
        [(1, 2), (2, 3)],
    )

    assert shortest_path_to_mission(G, 3) == [3, 2, 1]


def test_shortest_path_of_a_mission_is_itself():
    assert shortest_path_to_mission(graph({1: "mission done"}), 1) == [1]


def test_shortest_path_without_mission_above_is_none():
    G = graph({1: "mission active", 2: "strategy active", 3: "goal active"}, [(2, 3)])

    assert shortest_path_to_mission(G, 3) is None
