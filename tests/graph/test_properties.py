"""The analyses against brute-force readings of the rules, on random small graphs."""

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from service.graph import (
    Orphan,
    aligned_nodes,
    alignment_of,
    impact,
    lowest_common_ancestors,
    orphans,
    progress,
    team_ground,
    trace_up,
    unsupported,
)
from service.graph.codes import CHAIN_KINDS, INACTIVE, LEVELS, LIVE, STATUSES

# Missions are mostly live and other nodes often inactive, so that every orphan reason and
# every kind of chain turns up often.
MISSION_STATUSES = ("active",) * 5 + STATUSES
STATUS_CHOICES = ("active", "cancelled", *STATUSES)


@st.composite
def supports_graphs(draw, max_nodes=8):
    """A random DAG that keeps the level rule: parents are never more specific.

    Nodes are numbered by level, so a parent always comes before its children; most
    nodes get a parent or two, so that chains of every kind are common.
    """
    missions = draw(st.sampled_from([1, 1, 1, 2, 2, 0]))
    others = draw(
        st.lists(st.sampled_from(CHAIN_KINDS[1:]), min_size=3, max_size=max_nodes - missions)
    )
    kinds = ["mission"] * missions + sorted(others, key=LEVELS.get)
    G = nx.DiGraph()
    for n, kind in enumerate(kinds):
        G.add_node(
            n,
            kind=kind,
            status=draw(st.sampled_from(MISSION_STATUSES if kind == "mission" else STATUS_CHOICES)),
            standalone=draw(st.booleans()) and draw(st.booleans()),
            reported_progress=draw(st.none() | st.floats(0, 1)),
        )
        if kind != "mission" and n > 0:
            at_least = draw(st.sampled_from([1, 1, 1, 0]))
            parents = draw(
                st.lists(st.integers(0, n - 1), unique=True, min_size=min(at_least, n), max_size=2)
            )
            for parent in parents:
                G.add_edge(parent, n, weight=draw(st.sampled_from([0.5, 1.0, 2.0])))
    return G


def is_live_mission(G, n):
    return G.nodes[n]["kind"] == "mission" and G.nodes[n]["status"] in LIVE


def chains_up(G, n):
    """Every path from ``n`` up to a node without parents, spelled out."""
    stack = [[n]]
    while stack:
        path = stack.pop()
        parents = list(G.predecessors(path[-1]))
        if not parents:
            yield path
        stack.extend([*path, p] for p in parents)


def brute_aligned(G, n):
    if is_live_mission(G, n):
        return True
    for chain in chains_up(G, n):
        for v in chain[1:]:
            if G.nodes[v]["status"] in INACTIVE:
                break
            if is_live_mission(G, v):
                return True
    return False


def brute_reason(G, n):
    if not any(is_live_mission(G, m) for m in G):
        return "no_mission", ()
    if G.in_degree(n) == 0:
        return "unlinked", ()
    above = nx.ancestors(G, n)
    if any(is_live_mission(G, a) for a in above):
        causes = [
            a
            for a in above
            if G.nodes[a]["status"] in INACTIVE
            and any(is_live_mission(G, m) for m in nx.ancestors(G, a))
        ]
        return "inactive_path", tuple(sorted(causes))
    return "broken_chain", tuple(sorted(a for a in above if G.in_degree(a) == 0))


def brute_orphans(G):
    return [
        Orphan(n, *brute_reason(G, n))
        for n in sorted(G)
        if G.nodes[n]["status"] in LIVE
        and G.nodes[n]["kind"] != "mission"
        and not G.nodes[n]["standalone"]
        and not brute_aligned(G, n)
    ]


def brute_would_orphan(G, x):
    without = G.copy()
    without.remove_node(x)
    return [
        n
        for n in sorted(without)
        if G.nodes[n]["status"] not in INACTIVE
        and brute_aligned(G, n)
        and not brute_aligned(without, n)
    ]


def brute_progress(G, n):
    data = G.nodes[n]
    if data["kind"] == "work":
        if data["status"] == "done":
            return 1.0
        return data["reported_progress"] or 0.0
    pairs = [
        (brute_progress(G, c), G.edges[n, c]["weight"])
        for c in G.successors(n)
        if G.nodes[c]["status"] not in INACTIVE
    ]
    pairs = [(v, w) for v, w in pairs if v is not None]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


@settings(max_examples=150, deadline=None)
@given(supports_graphs())
def test_aligned_nodes_match_the_definition(G):
    assert aligned_nodes(G) == {n for n in G if brute_aligned(G, n)}


@settings(max_examples=150, deadline=None)
@given(supports_graphs())
def test_orphans_match_the_definition(G):
    assert orphans(G) == brute_orphans(G)


@settings(max_examples=150, deadline=None)
@given(supports_graphs(), st.data())
def test_alignment_of_one_node_matches_the_definition(G, data):
    n = data.draw(st.sampled_from(sorted(G)))

    aligned, reason = alignment_of(G, n)

    assert aligned == brute_aligned(G, n)
    assert reason == (None if aligned else brute_reason(G, n)[0])


@settings(max_examples=150, deadline=None)
@given(supports_graphs(), st.data(), st.booleans())
def test_would_orphan_matches_removing_the_node(G, data, precomputed):
    x = data.draw(st.sampled_from(sorted(G)))
    aligned = aligned_nodes(G) if precomputed else None

    answer = impact(G, x, aligned=aligned)

    assert answer["would_orphan"] == brute_would_orphan(G, x)
    assert answer["touches"] == sorted(nx.descendants(G, x))


@settings(max_examples=150, deadline=None)
@given(supports_graphs())
def test_unsupported_matches_the_definition(G):
    def has_live_work_below(n):
        return any(
            G.nodes[d]["kind"] == "work" and G.nodes[d]["status"] in LIVE
            for d in nx.descendants(G, n)
        )

    expected = [
        n
        for n in sorted(G)
        if G.nodes[n]["kind"] in ("vision", "strategy", "goal")
        and G.nodes[n]["status"] in LIVE
        and not has_live_work_below(n)
    ]
    assert unsupported(G) == expected


@settings(max_examples=150, deadline=None)
@given(supports_graphs(max_nodes=14), st.data())
def test_support_kept_up_to_date_equals_unsupported_taken_afresh(G, data):
    from service.graph import Support, internal_order, take_census

    census = take_census(G)
    support = Support(G, census, internal_order(G))
    for _ in range(data.draw(st.integers(1, 6))):
        written = data.draw(st.lists(st.sampled_from(sorted(G)), min_size=1, max_size=3))
        for n in written:
            census.remove(n, G.nodes[n])
            G.nodes[n]["status"] = data.draw(st.sampled_from(STATUS_CHOICES))
            census.add(n, G.nodes[n])
        assert support.update(G, census, written)
        assert unsupported(G, census=census, support=support) == unsupported(G)
        assert support.supported == Support(G, census, internal_order(G)).supported


@settings(max_examples=150, deadline=None)
@given(supports_graphs(), st.data(), st.integers(0, 6))
def test_trace_up_paths_are_the_shortest_paths_to_a_mission(G, data, max_paths):
    n = data.draw(st.sampled_from(sorted(G)))
    every = [
        path
        for chain in chains_up(G, n)
        for i in range(len(chain))
        if G.nodes[chain[i]]["kind"] == "mission"
        for path in [chain[: i + 1]]
    ]
    every = {tuple(p) for p in every}

    answer = trace_up(G, n, max_paths=max_paths)

    paths = answer["paths"]
    assert len(paths) == min(max_paths, len(every))
    assert len({tuple(p) for p in paths}) == len(paths)
    assert all(tuple(p) in every for p in paths)
    assert [len(p) for p in paths] == sorted(len(p) for p in every)[: len(paths)]
    assert answer["truncated"] == (len(every) > max_paths)
    assert answer["nodes"] == sorted(nx.ancestors(G, n) | {n})


@settings(max_examples=150, deadline=None)
@given(supports_graphs(), st.data())
def test_lowest_common_ancestors_match_the_definition(G, data):
    a = data.draw(st.sampled_from(sorted(G)))
    b = data.draw(st.sampled_from(sorted(G)))
    common = (nx.ancestors(G, a) | {a}) & (nx.ancestors(G, b) | {b})

    expected = [c for c in sorted(common) if not (nx.descendants(G, c) & common)]

    assert lowest_common_ancestors(G, a, b) == expected


@settings(max_examples=150, deadline=None)
@given(supports_graphs())
def test_progress_matches_a_recursive_reading(G):
    result = progress(G, {})

    for n in G:
        expected = brute_progress(G, n)
        if expected is None:
            assert result[n] is None
        else:
            assert abs(result[n] - expected) < 1e-9


def brute_shared(G):
    """Team pairs -> the live strategies and goals with an assessed node of each at or below."""
    shared = {}
    for x, data in G.nodes(data=True):
        if data["kind"] not in ("strategy", "goal") or data["status"] not in LIVE:
            continue
        teams = {
            G.nodes[d]["team_id"]
            for d in nx.descendants(G, x) | {x}
            if G.nodes[d]["kind"] in ("strategy", "goal", "work")
            and G.nodes[d]["status"] in LIVE
            and not G.nodes[d]["standalone"]
            and G.nodes[d]["team_id"] is not None
        }
        for a in teams:
            for b in teams:
                if a < b:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    return shared


@settings(max_examples=150, deadline=None)
@given(supports_graphs(max_nodes=14), st.data())
def test_shared_ground_matches_the_definition(G, data):
    for n in G:
        G.nodes[n]["team_id"] = data.draw(st.sampled_from([None, 1, 2, 3, 4, 5]))
    assert dict(team_ground(G).shared) == brute_shared(G)
