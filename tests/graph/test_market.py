"""Market alignment, dependency conflicts and the new health counts, on literal graphs."""

import datetime as dt

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from service.graph import aligned_nodes, conflicts, health, market, needs_above, orphans
from service.graph.codes import LIVE, STATUSES
from tests.graph.factories import graph

FUNCTIONAL = {"need_type": "functional"}
PSYCHOLOGICAL = {"need_type": "psychological"}


def company(**statuses):
    """mission 1 <- visions 2, 3 <- strategy 4 (of 2) <- goal 5 <- work 6, 7; needs 8-10."""
    status = {n: statuses.get(f"n{n}", "active") for n in range(1, 11)}
    return graph(
        {
            1: f"mission {status[1]}",
            2: f"vision {status[2]}",
            3: f"vision {status[3]}",
            4: f"strategy {status[4]}",
            5: f"goal {status[5]}",
            6: f"work {status[6]}",
            7: f"work {status[7]}",
            8: (f"need {status[8]}", FUNCTIONAL),
            9: (f"need {status[9]}", PSYCHOLOGICAL),
            10: (f"need {status[10]}", FUNCTIONAL),
        },
        [(1, 2), (1, 3), (2, 4), (4, 5), (5, 6), (5, 7)],
    )


def test_visions_serving_no_need_themselves_are_unanchored():
    G = company()

    found = market(G, [(4, 8)], aligned_nodes(G))  # only the strategy below vision 2 serves

    assert found["unanchored"] == [2, 3]
    assert found["unserved"] == [9, 10]


def test_a_vision_serving_one_type_of_need_only_is_one_sided():
    G = company()

    found = market(G, [(2, 8), (2, 10), (3, 8), (3, 9)], aligned_nodes(G))

    assert found["unanchored"] == []
    assert found["one_sided"] == [2]


def test_needs_served_through_several_levels_count_the_work_below_once():
    G = company()

    found = market(G, [(2, 8), (4, 8), (5, 8), (5, 9)], aligned_nodes(G))

    by_need = {entry["node"]: entry for entry in found["needs"]}
    assert by_need[8] == {"node": 8, "served_by": [2, 4, 5], "work": 2}
    assert by_need[9] == {"node": 9, "served_by": [5], "work": 2}
    assert by_need[10] == {"node": 10, "served_by": [], "work": 0}


def test_closed_servers_and_needs_and_unaligned_work_do_not_count():
    G = company(n5="cancelled", n10="archived", n7="done")
    G.add_edge(2, 7)  # done work is not live; work 6 is under a cancelled goal

    found = market(G, [(2, 8), (5, 9), (3, 10)], aligned_nodes(G))

    assert [entry["node"] for entry in found["needs"]] == [8, 9]
    assert found["needs"][0]["work"] == 0  # 6 sits below cancelled 5, 7 is done
    assert found["unserved"] == [9]  # served by a cancelled goal only
    assert found["unanchored"] == [3]  # it serves an archived need


def test_trace_up_needs_are_those_of_the_node_and_its_ancestors():
    G = company(n9="cancelled")

    assert needs_above(G, {2: [9, 8], 5: [10], 3: [8]}, 6) == [8, 10]
    assert needs_above(G, {2: [9, 8], 5: [10], 3: [8]}, 3) == [8]


def test_needs_are_never_orphans():
    G = company()

    assert [o.node for o in orphans(G)] == []


def test_a_dependency_on_a_closed_node_is_a_violation_and_on_a_later_one_a_warning():
    day = dt.date(2026, 12, 1)
    G = graph(
        {
            1: ("work active", {"due_date": day}),
            2: "work cancelled",
            3: ("work active", {"due_date": day + dt.timedelta(days=1)}),
            4: ("work done", {"due_date": day}),
            5: ("work active", {"due_date": day - dt.timedelta(days=1)}),
        }
    )

    found = conflicts(G, {}, {}, [], depends=[(1, 2), (1, 3), (4, 2), (1, 5), (3, 1)])

    assert [(c["type"], c["severity"], c["node_ids"]) for c in found] == [
        ("dependency", "violation", [1, 2]),
        ("dependency", "warning", [1, 3]),
    ]


def test_health_counts_silos_unanchored_visions_and_unserved_needs_per_team():
    G = graph(
        {
            1: ("vision active", {"team_id": 7}),
            2: ("need active", {"team_id": 8, **FUNCTIONAL}),
            3: ("vision active", {"team_id": 7}),
        }
    )

    summary = health(G, [], [], [], silos=[8], unanchored_visions=[1, 3], unserved_needs=[2])

    assert (summary["silos"], summary["unanchored_visions"], summary["unserved_needs"]) == (1, 2, 1)
    assert summary["teams"][7]["unanchored_visions"] == 2
    assert summary["teams"][8]["silos"] == 1 and summary["teams"][7]["silos"] == 0
    assert summary["counts"]["by_kind"]["need"] == 1


# -- against brute force ------------------------------------------------------------------


@st.composite
def market_graphs(draw, max_nodes=30):
    kinds = ("mission", "vision", "strategy", "goal", "work")
    G = nx.DiGraph()
    count = draw(st.integers(2, max_nodes))
    for n in range(count):
        kind = kinds[min(n * len(kinds) // count, 4)] if n else "mission"
        G.add_node(n, kind=kind, status=draw(st.sampled_from(("active", *STATUSES))))
        if n:
            for parent in draw(st.lists(st.integers(0, n - 1), unique=True, max_size=2)):
                if kinds.index(G.nodes[parent]["kind"]) <= kinds.index(kind):
                    G.add_edge(parent, n)
    needs = list(range(100, 100 + draw(st.integers(1, 4))))
    for need in needs:
        G.add_node(
            need,
            kind="need",
            status=draw(st.sampled_from(("active", *STATUSES))),
            need_type=draw(st.sampled_from(("functional", "psychological"))),
        )
    servers = [n for n in range(count) if G.nodes[n]["kind"] in ("vision", "strategy", "goal")]
    serves = (
        draw(st.lists(st.tuples(st.sampled_from(servers), st.sampled_from(needs)), max_size=8))
        if servers
        else []
    )
    return G, serves


@settings(max_examples=150, deadline=None)
@given(market_graphs())
def test_market_matches_a_literal_reading_of_the_rules(case):
    G, serves = case
    nodes, aligned = G.nodes, aligned_nodes(G)

    found = market(G, serves, aligned)

    def live(n):
        return nodes[n]["status"] in LIVE

    live_needs = sorted(n for n in G if nodes[n]["kind"] == "need" and live(n))
    visions = sorted(n for n in G if nodes[n]["kind"] == "vision" and live(n))
    own = {v: {t for s, t in serves if s == v and live(t)} for v in visions}
    assert found["unanchored"] == [v for v in visions if not own[v]]
    assert found["one_sided"] == [
        v for v in visions if own[v] and len({nodes[t]["need_type"] for t in own[v]}) == 1
    ]
    for entry in found["needs"]:
        servers = sorted({s for s, t in serves if t == entry["node"] and live(s)})
        below = set().union(*(nx.descendants(G, s) | {s} for s in servers))
        work = [n for n in below if nodes[n]["kind"] == "work" and live(n) and n in aligned]
        assert entry["served_by"] == servers
        assert entry["work"] == len(work)
    assert [e["node"] for e in found["needs"]] == live_needs
    assert found["unserved"] == [e["node"] for e in found["needs"] if not e["served_by"]]
