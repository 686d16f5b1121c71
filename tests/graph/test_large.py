"""Deep graphs: every analysis must work without recursion that grows with depth."""

import sys

import pytest

from service.graph import (
    Orphan,
    aligned_nodes,
    alignment_of,
    impact,
    orphans,
    progress,
    shortest_path_to_mission,
    trace_down,
    trace_up,
    unsupported,
)

from .factories import graph

LENGTH = 20_000
BREAK = 10_000  # the cancelled link in the chain


@pytest.fixture(scope="module")
def chain():
    """mission 0 <- goal 1 <- ... <- goal LENGTH - 1 <- done work LENGTH; one goal cancelled."""
    nodes = {0: "mission active", LENGTH: "work done"}
    nodes.update((n, "goal active") for n in range(1, LENGTH))
    nodes[BREAK] = "goal cancelled"
    G = graph(nodes, [(n, n + 1) for n in range(LENGTH)])
    assert sys.getrecursionlimit() < LENGTH
    return G


def test_orphans_below_a_cancelled_link_in_a_deep_chain(chain):
    found = orphans(chain)

    assert len(found) == LENGTH - BREAK - 1
    assert found[0] == Orphan(BREAK + 1, "inactive_path", (BREAK,))
    assert found[-1] == Orphan(LENGTH - 1, "inactive_path", (BREAK,))
    assert len(aligned_nodes(chain)) == BREAK + 1
    assert unsupported(chain) == [n for n in range(1, LENGTH) if n != BREAK]


def test_one_node_at_the_bottom_of_a_deep_chain(chain):
    assert alignment_of(chain, LENGTH) == (False, "inactive_path")
    assert shortest_path_to_mission(chain, LENGTH) == list(range(LENGTH, -1, -1))


def test_trace_up_and_down_a_deep_chain(chain):
    up = trace_up(chain, LENGTH)
    down = trace_down(chain, 0)

    assert up["paths"] == [list(range(LENGTH, -1, -1))]
    assert up["truncated"] is False
    assert len(up["nodes"]) == len(up["edges"]) + 1 == LENGTH + 1
    assert down["counts"]["total"] == LENGTH
    assert down["counts"]["by_status"]["cancelled"] == 1


def test_progress_of_a_deep_chain(chain):
    result = progress(chain, {})

    assert result[BREAK + 1] == 1.0
    assert result[BREAK] == 1.0
    assert result[BREAK - 1] is None  # its only child is cancelled
    assert result[0] is None


def test_impact_in_a_deep_chain(chain):
    answer = impact(chain, 1)

    assert answer["touches"] == list(range(2, LENGTH + 1))
    assert answer["would_orphan"] == list(range(2, BREAK))
