import networkx as nx
import pytest

from service.graph import aligned_nodes, impact

from .factories import graph


def test_removing_a_node_orphans_what_hangs_only_from_it():
    G = graph(
        {1: "mission active", 2: "strategy active", 3: "goal active", 4: "work done"},
        [(1, 2), (2, 3), (3, 4)],
    )

    assert impact(G, 2) == {"touches": [3, 4], "would_orphan": [3, 4]}


def test_a_second_aligned_parent_keeps_a_node_aligned():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy active",
            4: "goal active",
            5: "work active",
        },
        [(1, 2), (1, 3), (2, 4), (3, 4), (4, 5)],
    )

    assert impact(G, 2) == {"touches": [4, 5], "would_orphan": []}


def test_a_second_parent_below_the_removed_node_does_not_help():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "goal active",
            4: "goal active",
            5: "work active",
        },
        [(1, 2), (2, 3), (2, 4), (3, 5), (4, 5)],
    )

    assert impact(G, 2)["would_orphan"] == [3, 4, 5]


def test_a_second_parent_aligned_only_through_a_cancelled_node_does_not_help():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy cancelled",
            4: "goal active",
            5: "goal active",
        },
        [(1, 2), (1, 3), (3, 4), (2, 5), (4, 5)],
    )

    assert impact(G, 2)["would_orphan"] == [5]


def test_cancelled_descendants_are_touched_but_not_orphaned():
    G = graph(
        {1: "mission active", 2: "strategy active", 3: "goal cancelled", 4: "work active"},
        [(1, 2), (2, 3), (3, 4)],
    )

    assert impact(G, 2) == {"touches": [3, 4], "would_orphan": []}


@pytest.mark.parametrize("status", ["cancelled", "archived"])
def test_an_inactive_node_orphans_nothing(status):
    G = graph(
        {1: "mission active", 2: f"strategy {status}", 3: "goal active"},
        [(1, 2), (2, 3)],
    )

    assert impact(G, 2) == {"touches": [3], "would_orphan": []}


def test_a_node_that_is_not_aligned_orphans_nothing():
    G = graph({1: "mission active", 2: "strategy active", 3: "goal active"}, [(2, 3)])

    assert impact(G, 2) == {"touches": [3], "would_orphan": []}


def test_removing_the_only_live_mission_orphans_everything_aligned():
    G = graph(
        {1: "mission active", 2: "strategy done", 3: "goal active", 4: "goal archived"},
        [(1, 2), (2, 3), (2, 4)],
    )

    assert impact(G, 1) == {"touches": [2, 3, 4], "would_orphan": [2, 3]}


def test_a_precomputed_aligned_set_gives_the_same_answer():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy cancelled",
            4: "goal active",
            5: "goal active",
            6: "work draft",
        },
        [(1, 2), (1, 3), (3, 4), (2, 5), (4, 5), (5, 6), (2, 6)],
    )

    assert impact(G, 2, aligned=aligned_nodes(G)) == impact(G, 2)
    assert impact(G, 2)["would_orphan"] == [5, 6]


def test_impact_of_unknown_node_raises():
    with pytest.raises(nx.NodeNotFound):
        impact(graph({1: "mission active"}), 2)
