from datetime import date

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.graph import conflicts
from service.graph.codes import STATUSES

from .factories import graph

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
H1 = (date(2026, 1, 1), date(2026, 6, 30))
PERIODS = {1: Q1, 2: Q2, 3: H1}


def found(G, *, periods=PERIODS, key_results=None, declared=(), type_=None):
    result = conflicts(G, periods, key_results or {}, declared)
    return [c for c in result if type_ is None or c["type"] == type_]


def kr(id_, metric, direction):
    return {
        "id": id_,
        "metric": metric,
        "direction": direction,
        "start_value": 0,
        "target_value": 1,
        "current_value": None,
        "weight": 1,
    }


def test_a_healthy_graph_has_no_conflicts():
    G = graph(
        {
            1: "mission active",
            2: ("goal active", {"period_id": 3}),
            3: ("work active", {"period_id": 1, "due_date": date(2026, 3, 1)}),
        },
        [(1, 2), (2, 3)],
    )

    assert found(G) == []


def test_more_than_one_live_mission_compete():
    G = graph({1: "mission active", 2: "mission archived", 3: "mission draft"})

    [conflict] = found(G)

    assert conflict["type"] == "competing_missions"
    assert conflict["severity"] == "violation"
    assert conflict["node_ids"] == [1, 3]
    assert "1, 3" in conflict["message"]


@pytest.fixture
def two_strategies():
    return graph(
        {
            1: "mission active",
            2: "strategy active",
            3: "strategy active",
            4: "goal active",
            5: "goal active",
            6: "work done",
            7: "work draft",
        },
        [(1, 2), (1, 3), (2, 4), (3, 4), (2, 5), (4, 6), (4, 7)],
    )


def test_declared_conflict_lists_the_sides_then_the_live_nodes_caught_between(two_strategies):
    [conflict] = found(two_strategies, declared=[(9, 3, 2)])

    assert conflict["type"] == "declared"
    assert conflict["severity"] == "warning"
    assert conflict["node_ids"] == [2, 3, 4, 7]
    assert "2 and 3" in conflict["message"]


def test_declared_conflict_needs_both_sides_live(two_strategies):
    two_strategies.nodes[3]["status"] = "done"

    assert found(two_strategies, declared=[(9, 2, 3)], type_="declared") == []


def test_goals_pulling_a_metric_in_opposite_directions_conflict():
    G = graph({10: ("goal active", {"period_id": 1}), 11: ("goal draft", {"period_id": 3})})
    key_results = {
        10: [kr(100, "support.first_response_time", "decrease"), kr(101, "nps", "increase")],
        11: [kr(110, "support.first_response_time", "increase")],
    }

    [conflict] = found(G, key_results=key_results)

    assert conflict["type"] == "metric"
    assert conflict["severity"] == "warning"
    assert conflict["node_ids"] == [10, 11]
    assert conflict["key_result_ids"] == [100, 110]
    assert "support.first_response_time" in conflict["message"]


@pytest.mark.parametrize(
    ("period_a", "period_b", "direction_b", "status_b", "expected"),
    [
        (1, 2, "increase", "active", 0),  # Q1 and Q2 do not overlap
        (1, None, "increase", "active", 1),  # no period overlaps every period
        (None, None, "increase", "active", 1),
        (1, 3, "decrease", "active", 0),  # same direction
        (1, 3, "increase", "done", 0),  # only live goals
    ],
)
def test_metric_conflict_variants(period_a, period_b, direction_b, status_b, expected):
    G = graph(
        {
            10: ("goal active", {"period_id": period_a}),
            11: (f"goal {status_b}", {"period_id": period_b}),
        }
    )
    key_results = {10: [kr(100, "m", "decrease")], 11: [kr(110, "m", direction_b)]}

    assert len(found(G, key_results=key_results)) == expected


def test_metric_conflicts_need_two_different_goals():
    G = graph({10: "goal active"})

    assert found(G, key_results={10: [kr(1, "m", "increase"), kr(2, "m", "decrease")]}) == []


@pytest.mark.parametrize(
    ("child", "conflict"),
    [
        ({"period_id": 3}, True),  # H1 starts before Q2
        ({"period_id": 2}, False),
        ({"due_date": date(2026, 7, 1)}, True),
        ({"due_date": date(2026, 3, 31)}, True),
        ({"due_date": date(2026, 6, 30)}, False),
        ({}, False),
    ],
)
def test_child_dates_must_fall_in_the_parent_period(child, conflict):
    G = graph({1: ("goal active", {"period_id": 2}), 2: ("work active", child)}, [(1, 2)])

    result = found(G)

    assert [(c["type"], c["node_ids"], c["severity"]) for c in result] == (
        [("period", [2, 1], "warning")] if conflict else []
    )


def test_period_conflict_message_names_nodes_and_dates():
    G = graph(
        {
            1: ("goal active", {"period_id": 1}),
            2: ("work active", {"period_id": 3, "due_date": date(2026, 5, 1)}),
        },
        [(1, 2)],
    )

    [conflict] = found(G)

    assert "Node 2 supports node 1" in conflict["message"]
    assert "2026-06-30" in conflict["message"] and "2026-05-01" in conflict["message"]


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        ({}, {"period_id": 3}),  # a parent without a period constrains nothing
        ({"period_id": 2}, {"period_id": 3, "status": "done"}),  # only live children
    ],
)
def test_no_period_conflict(parent, child):
    G = graph({1: ("goal active", parent), 2: ("work active", child)}, [(1, 2)])

    assert found(G) == []


@pytest.mark.parametrize(
    ("parent_status", "severity"),
    [("done", "warning"), ("cancelled", "violation"), ("archived", "violation")],
)
def test_live_child_of_a_closed_parent_is_a_status_conflict(parent_status, severity):
    G = graph({1: f"strategy {parent_status}", 2: "goal draft"}, [(1, 2)])

    [conflict] = found(G)

    assert (conflict["type"], conflict["severity"]) == ("status", severity)
    assert conflict["node_ids"] == [2, 1]
    assert parent_status in conflict["message"]


@pytest.mark.parametrize("child_status", ["done", "cancelled", "archived"])
def test_closed_child_of_a_closed_parent_is_fine(child_status):
    G = graph({1: "strategy cancelled", 2: f"goal {child_status}"}, [(1, 2)])

    assert found(G) == []


def test_conflicts_are_ordered_by_type_then_node_ids():
    G = graph(
        {
            1: "mission active",
            2: "mission active",
            3: "strategy done",
            4: "goal active",
            5: "strategy cancelled",
            6: "goal active",
            7: "goal active",
        },
        [(5, 7), (3, 4), (5, 6)],
    )

    result = found(G, declared=[(1, 7, 6)])

    assert [(c["type"], c["node_ids"]) for c in result] == [
        ("competing_missions", [1, 2]),
        ("declared", [6, 7]),
        ("status", [4, 3]),
        ("status", [6, 5]),
        ("status", [7, 5]),
    ]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_link_conflicts_kept_up_to_date_equal_link_conflicts_taken_afresh(data):
    from service.graph import LinkConflicts, take_census

    size = data.draw(st.integers(2, 25))
    periods = st.sampled_from([None, 1, 2, 3])
    dues = st.sampled_from([None, date(2025, 12, 1), date(2026, 2, 1), date(2026, 5, 1)])
    statuses = st.sampled_from(STATUSES)
    G = nx.DiGraph()
    for n in range(size):
        G.add_node(
            n,
            kind="goal",
            status=data.draw(statuses),
            period_id=data.draw(periods),
            due_date=data.draw(dues),
        )
        if n:
            for parent in data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=3)):
                G.add_edge(parent, n)
    census = take_census(G)
    kept = LinkConflicts(G, PERIODS, census)
    for _ in range(data.draw(st.integers(1, 6))):
        written = data.draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3))
        for n in written:
            attributes = G.nodes[n]
            census.remove(n, attributes)
            attributes.update(
                status=data.draw(statuses), period_id=data.draw(periods), due_date=data.draw(dues)
            )
            census.add(n, attributes)
        assert kept.update(G, PERIODS, census, written)

        fresh = LinkConflicts(G, PERIODS, census)
        assert [kept.bounds.get(n) for n in G] == [fresh.bounds.get(n) for n in G]
        assert kept.period_links == fresh.period_links
        assert kept.status_links == fresh.status_links
        assert conflicts(G, PERIODS, {}, (), census=census, links=kept) == conflicts(
            G, PERIODS, {}, ()
        )
    assert not kept.update(G, {**PERIODS, 1: Q2}, census, [0])  # other periods: taken afresh
