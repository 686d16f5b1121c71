"""Overruns on literal graphs (DOMAIN.md 14), judged against a given day, never the clock."""

from __future__ import annotations

import datetime as dt

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from service.graph import overruns

TODAY = dt.date(2026, 6, 15)
PAST, FUTURE = dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def graph(edges, **nodes):
    """``nodes``: name -> (kind, status, attributes); names are ``n<id>``."""
    G = nx.DiGraph()
    for name, (kind, status, attributes) in nodes.items():
        G.add_node(int(name[1:]), kind=kind, status=status, **attributes)
    G.add_edges_from(edges)  # parent -> child
    return G


def by_node(G):
    return {entry["node"]: entry for entry in overruns(G, TODAY)}


def work(status="active", due=PAST, **attributes):
    if due is not None:
        attributes["due_date"] = due
    return ("work", status, attributes)


def test_multi_parent_work_counts_under_each_parent_and_once_above_both():
    G = graph(
        [(1, 2), (1, 3), (2, 10), (3, 10), (2, 11)],
        n1=("strategy", "active", {}),
        n2=("goal", "active", {}),
        n3=("goal", "active", {}),
        n10=work(),
        n11=work(due=FUTURE),
    )

    found = by_node(G)

    assert (found[2]["dated_work"], found[2]["late"]) == (2, 1)
    assert (found[3]["dated_work"], found[3]["late"]) == (1, 1)
    assert (found[1]["dated_work"], found[1]["late"]) == (2, 1)  # item 10 once
    assert found[1]["late_work"] == [10]


def test_done_late_is_late_and_done_on_time_is_not():
    G = graph(
        [(1, 10), (1, 11), (1, 12)],
        n1=("goal", "active", {}),
        n10=work("done", due=PAST, done_on=dt.date(2026, 6, 2)),  # a day after: late
        n11=work("done", due=PAST, done_on=PAST),  # on the day: on time
        n12=work("done", due=PAST, done_on=dt.date(2026, 5, 1)),
    )

    entry = by_node(G)[1]

    assert (entry["dated_work"], entry["late"], entry["late_work"]) == (3, 1, [10])
    assert entry["late_share"] == 1 / 3


def test_cancelled_work_and_undated_work_are_not_counted():
    G = graph(
        [(1, 10), (1, 11), (1, 12)],
        n1=("goal", "active", {}),
        n10=work("cancelled"),
        n11=work(due=None),
        n12=work("archived"),
    )

    assert by_node(G) == {}  # no dated live or done work: not listed


def test_a_hotspot_under_a_non_eligible_parent_and_an_eligible_child_that_is_not_one():
    G = graph(
        [(1, 2), (1, 20), (2, 3), (2, 10), (3, 11), (3, 12), (20, 21), (20, 22), (20, 23)],
        n1=("vision", "active", {}),
        n2=("strategy", "active", {}),
        n3=("goal", "active", {}),
        n20=("goal", "active", {}),
        n10=work(),
        n11=work(),
        n12=work(),
        n21=work(due=FUTURE),
        n22=work(due=FUTURE),
        n23=work(due=FUTURE),
    )

    found = by_node(G)

    # The vision: 3 late of 6, eligible (0.5); so the strategy below it is no hotspot.
    assert (found[1]["late"], found[1]["dated_work"], found[1]["hotspot"]) == (3, 6, True)
    assert (found[2]["late_share"], found[2]["hotspot"]) == (1.0, False)
    # The goal under the strategy has 2 dated items: not eligible at all.
    assert (found[3]["dated_work"], found[3]["hotspot"]) == (2, False)
    assert found[20]["late"] == 0
    G.nodes[21]["due_date"] = PAST  # the vision's other goal slips one: still eligible
    assert by_node(G)[1]["hotspot"] is True

    G.nodes[1]["status"] = "cancelled"  # the vision no longer counts: its strategy leads
    found = by_node(G)
    assert 1 not in found
    assert found[2]["hotspot"] is True


def test_budgets_are_summed_only_where_both_numbers_exist():
    G = graph(
        [(1, 10), (1, 11), (1, 12), (1, 13)],
        n1=("goal", "active", {}),
        n10=work(budget=100.0, spent=150.0),
        n11=work(due=None, budget=50.0, spent=20.0),  # undated still costed
        n12=work(budget=1000.0),  # no spent: left out
        n13=work(spent=999.0),  # no budget: left out
    )

    entry = by_node(G)[1]

    assert (entry["budget"], entry["spent"], entry["over_budget"]) == (150.0, 170.0, 20.0)


def test_without_costed_work_the_sums_are_null():
    G = graph([(1, 10)], n1=("goal", "active", {}), n10=work())

    entry = by_node(G)[1]

    assert (entry["budget"], entry["spent"], entry["over_budget"]) == (None, None, None)


def test_the_status_of_nodes_between_does_not_cut_the_count():
    G = graph(
        [(1, 2), (2, 10)],
        n1=("strategy", "active", {}),
        n2=("goal", "archived", {}),
        n10=work(),
    )

    found = by_node(G)

    assert list(found) == [1] and found[1]["late"] == 1


def test_hotspots_come_first_then_late_share_then_id():
    edges = [(1, 10), (1, 11), (1, 12), (2, 13), (3, 14), (3, 15)]
    G = graph(
        edges,
        n1=("goal", "active", {}),
        n2=("goal", "active", {}),
        n3=("goal", "active", {}),
        n10=work(),
        n11=work(),
        n12=work(due=FUTURE),
        n13=work(),
        n14=work(),
        n15=work(due=FUTURE),
    )

    order = [(e["node"], e["hotspot"]) for e in overruns(G, TODAY)]

    assert order == [(1, True), (2, False), (3, False)]


def test_late_work_names_at_most_twenty_items():
    G = graph(
        [(1, n) for n in range(100, 130)],
        n1=("goal", "active", {}),
        **{f"n{n}": work() for n in range(100, 130)},
    )

    entry = by_node(G)[1]

    assert entry["late"] == 30 and entry["late_work"] == list(range(100, 120))


def _brute_force(G, today):
    """The definition, walked out node by node."""
    from service.graph.overruns import is_late

    found = {}
    for x, data in G.nodes(data=True):
        if data["kind"] not in ("vision", "strategy", "goal") or data["status"] not in (
            "draft",
            "active",
        ):
            continue
        work = [
            w
            for w in nx.descendants(G, x)
            if G.nodes[w]["kind"] == "work" and G.nodes[w]["status"] in ("draft", "active", "done")
        ]
        dated = [w for w in work if G.nodes[w].get("due_date") is not None]
        if not dated:
            continue
        late = sorted(w for w in dated if is_late(G.nodes[w], today))
        costed = [w for w in work if G.nodes[w].get("budget") is not None and "spent" in G.nodes[w]]
        found[x] = (
            len(dated),
            len(late),
            late[:20],
            sum(G.nodes[w]["budget"] for w in costed) if costed else None,
            sum(G.nodes[w]["spent"] for w in costed) if costed else None,
        )
    return found


def _draw_parents(data, G, kinds, most):
    """Up to ``most`` parents for each node but the first: earlier nodes of no more
    specific a kind."""
    for child in range(1, len(G)):
        level = kinds.index(G.nodes[child]["kind"])
        parents = [p for p in range(child) if kinds.index(G.nodes[p]["kind"]) <= level]
        for parent in (
            data.draw(st.lists(st.sampled_from(parents), max_size=most)) if parents else []
        ):
            G.add_edge(parent, child)


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_overruns_match_the_definition_on_random_graphs(data):
    size = data.draw(st.integers(2, 25))
    kinds = ["vision", "strategy", "goal", "work"]
    G = nx.DiGraph()
    for n in range(size):
        kind = data.draw(st.sampled_from(kinds))
        status = data.draw(st.sampled_from(["active", "draft", "done", "cancelled"]))
        attributes = {}
        if data.draw(st.booleans()):
            attributes["due_date"] = data.draw(st.sampled_from([PAST, TODAY, FUTURE]))
        if status == "done" and data.draw(st.booleans()):
            attributes["done_on"] = data.draw(st.sampled_from([PAST, TODAY, FUTURE]))
        if data.draw(st.booleans()):
            attributes["budget"] = float(data.draw(st.integers(0, 100)))
            if data.draw(st.booleans()):
                attributes["spent"] = float(data.draw(st.integers(0, 100)))
        G.add_node(n, kind=kind, status=status, **attributes)
    _draw_parents(data, G, kinds, most=3)

    found = {
        e["node"]: (e["dated_work"], e["late"], e["late_work"], e["budget"], e["spent"])
        for e in overruns(G, TODAY)
    }

    assert found == _brute_force(G, TODAY)


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_counts_kept_up_to_date_equal_counts_taken_afresh(data):
    from service.graph import ancestor_groups, internal_order
    from service.graph.overruns import OverrunCounts

    size = data.draw(st.integers(3, 20))
    kinds = ["vision", "strategy", "goal", "work"]
    G = nx.DiGraph()
    for n in range(size):
        kind = kinds[min(3, n // 2)] if n < 6 else data.draw(st.sampled_from(kinds))
        G.add_node(n, kind=kind, status="active", due_date=PAST)
    _draw_parents(data, G, kinds, most=2)
    groups = ancestor_groups(G, internal_order(G))
    counts = OverrunCounts(G, groups, TODAY)
    for _ in range(data.draw(st.integers(1, 6))):
        n = data.draw(st.integers(0, size - 1))
        attributes = G.nodes[n]
        attributes["status"] = data.draw(st.sampled_from(["active", "done", "cancelled"]))
        attributes["due_date"] = data.draw(st.sampled_from([None, PAST, FUTURE]))
        attributes["done_on"] = data.draw(st.sampled_from([None, PAST, FUTURE]))
        attributes["budget"] = data.draw(st.sampled_from([None, 0.1, 2.5, 7.0]))
        attributes["spent"] = data.draw(st.sampled_from([None, 0.2, 3.0]))
        counts.update(G, [n])

    kept = counts.entries(G)
    for entry in kept:
        entry["late_work"] = counts.late_work(entry["node"])

    assert kept == overruns(G, TODAY)


def test_a_chain_too_deep_for_ancestor_sets_is_counted_by_walks(monkeypatch):
    import importlib

    module = importlib.import_module("service.graph.overruns")  # the package names the function

    G = nx.DiGraph([(n, n + 1) for n in range(30)])
    for n in range(30):
        G.add_node(n, kind="goal", status="active")
    G.add_node(30, kind="work", status="active", due_date=PAST)
    monkeypatch.setattr(module, "ANCESTOR_BUDGET", 0)
    monkeypatch.setattr(module, "_BUDGET_FLOOR", 10)

    counts = module.OverrunCounts.taken(G, module.internal_order(G), TODAY)
    found = overruns(G, TODAY)

    assert isinstance(counts, module.WalkedCounts)
    assert [(e["node"], e["dated_work"], e["late"]) for e in found][:2] == [(0, 1, 1), (1, 1, 1)]
    assert {e["node"]: e["late_work"] for e in found}[29] == [30]
    assert counts.update(G, [30]) is False  # taken afresh after every write


def test_a_parent_that_changes_kind_regroups_the_counts():
    from service.graph import internal_order
    from service.graph.overruns import OverrunCounts

    G = nx.DiGraph([(1, 2), (2, 3)])
    G.add_node(1, kind="strategy", status="active")
    G.add_node(2, kind="work", status="active")
    G.add_node(3, kind="work", status="active", due_date=PAST)
    counts = OverrunCounts.taken(G, internal_order(G), TODAY)
    G.nodes[2]["kind"] = "goal"

    assert counts.update(G, [2]) is False
    fresh = OverrunCounts.taken(G, internal_order(G), TODAY)
    assert (
        [e["node"] for e in fresh.entries(G)] == [1, 2] == [e["node"] for e in overruns(G, TODAY)]
    )
