import networkx as nx
import pytest

from service.graph import Orphan, aligned_nodes, alignment_of, live_missions, orphans, unsupported

from .factories import graph


class _Untouchable(dict):
    """Node attributes that fail the test if anything reads them."""

    def get(self, *args):
        raise AssertionError("an unrelated node was read")

    __getitem__ = get


def with_unrelated_nodes(G, count=5):
    """Add nodes far from everything whose attributes must never be read."""
    for n in range(1000, 1000 + count):
        G.add_node(n)
        G._node[n] = _Untouchable()
    return G


def test_chain_to_live_mission_is_aligned():
    G = graph({1: "mission active", 2: "strategy active", 3: "goal draft"}, [(1, 2), (2, 3)])

    assert aligned_nodes(G) == {1, 2, 3}
    assert orphans(G) == []


def test_done_nodes_keep_a_chain_aligned():
    G = graph({1: "mission active", 2: "strategy done", 3: "goal active"}, [(1, 2), (2, 3)])

    assert 3 in aligned_nodes(G)
    assert orphans(G) == []


def test_diamond_is_aligned_through_either_parent():
    G = graph(
        {1: "mission active", 2: "strategy active", 3: "strategy active", 4: "goal active"},
        [(1, 2), (1, 3), (2, 4), (3, 4)],
    )

    assert aligned_nodes(G) == {1, 2, 3, 4}


def test_active_parent_aligns_node_that_also_has_a_cancelled_parent():
    G = graph(
        {1: "mission active", 2: "strategy cancelled", 3: "strategy active", 4: "goal active"},
        [(1, 2), (1, 3), (2, 4), (3, 4)],
    )

    assert 4 in aligned_nodes(G)
    assert orphans(G) == []
    assert alignment_of(G, 4) == (True, None)


def test_inactive_node_is_itself_aligned_but_stops_the_chain():
    G = graph({1: "mission active", 2: "strategy archived", 3: "goal active"}, [(1, 2), (2, 3)])

    assert aligned_nodes(G) == {1, 2}
    assert alignment_of(G, 2) == (True, None)


def test_nodes_under_each_of_two_missions_are_aligned():
    G = graph(
        {1: "mission active", 2: "mission draft", 3: "strategy active", 4: "strategy active"},
        [(1, 3), (2, 4)],
    )

    assert live_missions(G) == [1, 2]
    assert aligned_nodes(G) == {1, 2, 3, 4}
    assert orphans(G) == []


def test_without_a_live_mission_every_live_node_is_a_no_mission_orphan():
    G = graph(
        {1: "mission cancelled", 2: "strategy active", 3: "goal active", 4: "goal draft"},
        [(1, 2), (2, 3)],
    )

    assert aligned_nodes(G) == set()
    assert orphans(G) == [
        Orphan(2, "no_mission", ()),
        Orphan(3, "no_mission", ()),
        Orphan(4, "no_mission", ()),
    ]


def test_node_without_parent_is_unlinked():
    G = graph({1: "mission active", 2: "goal active"})

    assert orphans(G) == [Orphan(2, "unlinked", ())]


def test_inactive_path_names_the_inactive_ancestors_below_a_live_mission():
    G = graph(
        {
            1: "mission active",
            2: "strategy cancelled",
            3: "strategy archived",
            4: "strategy active",  # unlinked: not a cause of the inactive path
            5: "strategy cancelled",  # no mission above it: not a cause either
            6: "goal active",
            7: "work active",
        },
        [(1, 2), (1, 3), (2, 6), (3, 6), (4, 6), (5, 6), (6, 7)],
    )

    assert orphans(G) == [
        Orphan(4, "unlinked", ()),
        Orphan(6, "inactive_path", (2, 3)),
        Orphan(7, "inactive_path", (2, 3)),
    ]


def test_inactive_path_counts_inactive_ancestors_above_other_inactive_ones():
    G = graph(
        {1: "mission active", 2: "strategy cancelled", 3: "goal archived", 4: "work active"},
        [(1, 2), (2, 3), (1, 3), (3, 4)],
    )

    assert orphans(G) == [Orphan(4, "inactive_path", (2, 3))]


def test_cancelled_mission_is_the_root_cause_of_a_broken_chain():
    G = graph(
        {
            1: "mission active",
            10: "mission cancelled",
            11: "strategy active",
            12: "goal active",
        },
        [(10, 11), (11, 12)],
    )

    assert orphans(G) == [
        Orphan(11, "broken_chain", (10,)),
        Orphan(12, "broken_chain", (10,)),
    ]


def test_broken_chain_names_every_parentless_ancestor():
    G = graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy done",
            4: "goal active",
            5: "work draft",
        },
        [(2, 4), (3, 4), (4, 5)],
    )

    assert orphans(G) == [
        Orphan(2, "unlinked", ()),
        Orphan(4, "broken_chain", (2, 3)),
        Orphan(5, "broken_chain", (2, 3)),
    ]


@pytest.mark.parametrize("status", ["done", "cancelled", "archived"])
def test_nodes_that_are_not_live_are_never_orphans(status):
    G = graph({1: "mission active", 2: f"goal {status}"})

    assert orphans(G) == []


def test_standalone_node_is_never_an_orphan_but_still_has_a_reason():
    G = graph({1: "mission active", 2: ("work active", {"standalone": True})})

    assert orphans(G) == []
    assert alignment_of(G, 2) == (False, "unlinked")


def test_mission_that_is_not_live_is_never_an_orphan():
    G = graph({1: "mission active", 2: "mission done"})

    assert orphans(G) == []
    assert alignment_of(G, 2) == (False, "unlinked")


@pytest.mark.parametrize(
    ("nodes", "links", "node", "expected"),
    [
        ({1: "mission active"}, [], 1, (True, None)),
        ({1: "mission active", 2: "goal done"}, [(1, 2)], 2, (True, None)),
        ({1: "mission archived", 2: "goal active"}, [(1, 2)], 2, (False, "no_mission")),
        ({1: "mission active", 2: "goal active"}, [], 2, (False, "unlinked")),
        (
            {1: "mission active", 2: "strategy cancelled", 3: "goal active"},
            [(1, 2), (2, 3)],
            3,
            (False, "inactive_path"),
        ),
        (
            {1: "mission active", 2: "strategy active", 3: "goal active"},
            [(2, 3)],
            3,
            (False, "broken_chain"),
        ),
    ],
)
def test_alignment_of_one_node(nodes, links, node, expected):
    assert alignment_of(graph(nodes, links), node) == expected


def test_alignment_of_reads_only_the_ancestors_of_the_node():
    G = with_unrelated_nodes(
        graph(
            {1: "mission active", 2: "strategy cancelled", 3: "goal active", 4: "goal active"},
            [(1, 2), (2, 3), (1, 4)],
        )
    )

    assert alignment_of(G, 4) == (True, None)
    assert alignment_of(G, 3) == (False, "inactive_path")
    assert alignment_of(G, 2, live_missions=[1]) == (True, None)


def test_alignment_of_uses_the_given_live_missions_instead_of_scanning():
    G = with_unrelated_nodes(graph({1: "strategy active", 2: "goal active"}, [(1, 2)]))

    assert alignment_of(G, 2, live_missions=[]) == (False, "no_mission")
    assert alignment_of(G, 2, live_missions=[7]) == (False, "broken_chain")
    assert alignment_of(G, 1, live_missions=[7]) == (False, "unlinked")


def test_alignment_of_unknown_node_raises():
    with pytest.raises(nx.NodeNotFound):
        alignment_of(graph({1: "mission active"}), 2)


def test_unsupported_lists_live_hollow_nodes_only():
    G = graph(
        {
            1: "mission active",
            2: "vision active",
            3: "strategy active",
            4: "goal cancelled",
            5: "work active",
            6: "strategy draft",
            7: "work done",
            8: "goal archived",
            9: "vision draft",
        },
        [(1, 2), (2, 3), (3, 4), (4, 5), (1, 6), (6, 7), (6, 8), (1, 9)],
    )

    assert unsupported(G) == [6, 9]
