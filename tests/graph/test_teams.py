"""Shared ground and silos (DOMAIN.md section 11), on literal graphs and against brute force."""

from collections import Counter
from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from service.graph import gather_from_above, gather_from_below, shared_nodes, team_ground
from service.graph.codes import CHAIN_KINDS, LEVELS, LIVE, STATUSES
from tests.graph.factories import graph

A, B, C, LEAD = 11, 12, 13, 10


def test_a_team_meeting_others_only_at_the_vision_is_a_silo():
    G = graph(
        {
            1: ("mission active", {"team_id": LEAD}),
            2: ("vision active", {"team_id": LEAD}),
            3: ("strategy active", {"team_id": A}),
            4: ("strategy active", {"team_id": B}),
            5: ("goal active", {"team_id": A}),
            6: ("goal active", {"team_id": B}),
        },
        [(1, 2), (2, 3), (2, 4), (3, 5), (4, 6)],
    )

    found = team_ground(G)

    assert found.silos == [A, B]
    assert dict(found.shared) == {}
    assert found.assessed == Counter({A: 2, B: 2})


def test_a_team_meeting_another_one_step_lower_is_not_a_silo():
    G = graph(
        {
            2: ("vision active", {"team_id": LEAD}),
            3: ("strategy active", {"team_id": A}),
            5: ("goal active", {"team_id": A}),
            6: ("goal active", {"team_id": B}),
        },
        [(2, 3), (3, 5), (3, 6)],
    )

    found = team_ground(G)

    assert found.silos == []
    assert dict(found.shared) == {(A, B): 1}
    assert shared_nodes(found, A, B) == [3]


def test_a_leadership_team_owning_only_the_mission_and_visions_is_never_a_silo():
    G = graph(
        {
            1: ("mission active", {"team_id": LEAD}),
            2: ("vision active", {"team_id": LEAD}),
            3: ("strategy active", {"team_id": A}),
        },
        [(1, 2), (2, 3)],
    )

    found = team_ground(G)

    assert LEAD not in found.assessed
    assert found.silos == [A]


def test_a_dependency_alone_ties_two_teams():
    G = graph({5: ("goal active", {"team_id": A}), 6: ("work active", {"team_id": B})})

    found = team_ground(G, depends=[(5, 6)])

    assert found.silos == []
    assert dict(found.dependencies) == {(A, B): 1}
    assert found.connected(A) == {B: (0, 1)}


def test_dependencies_between_closed_nodes_or_within_a_team_tie_nothing():
    G = graph(
        {
            5: ("goal active", {"team_id": A}),
            6: ("work cancelled", {"team_id": B}),
            7: ("work active", {"team_id": A}),
        }
    )

    found = team_ground(G, depends=[(5, 6), (5, 7)])

    assert dict(found.dependencies) == {}
    assert found.silos == [A]


def test_one_strategy_joining_three_teams_counts_once_for_each_pair():
    G = graph(
        {
            1: ("strategy active", {"team_id": A}),
            2: ("goal active", {"team_id": B}),
            3: ("goal active", {"team_id": C}),
            4: ("work active", {"team_id": B}),
            5: ("work active", {"team_id": C}),
        },
        # a diamond: both goals under the strategy, and work 5 under both goals
        [(1, 2), (1, 3), (2, 4), (2, 5), (3, 5)],
    )

    found = team_ground(G)

    assert dict(found.shared) == {(A, B): 1, (A, C): 1, (B, C): 2}
    assert shared_nodes(found, B, C) == [1, 2]


def test_standalone_draft_and_closed_nodes_are_not_assessed():
    G = graph(
        {
            1: ("strategy active", {"team_id": A}),
            2: ("work active", {"team_id": B, "standalone": True}),
            3: ("work done", {"team_id": C}),
            4: ("goal draft", {"team_id": C}),
        },
        [(1, 2), (1, 3)],
    )

    found = team_ground(G)

    assert found.assessed == Counter({A: 1, C: 1})
    assert dict(found.shared) == {}
    assert found.silos == [A, C]


def test_a_closed_strategy_is_no_shared_ground_but_the_walk_goes_through_it():
    G = graph(
        {
            1: ("strategy active", {"team_id": A}),
            2: ("strategy archived", {"team_id": B}),
            3: ("goal active", {"team_id": B}),
        },
        [(1, 2), (2, 3)],
    )

    found = team_ground(G)

    assert dict(found.shared) == {(A, B): 1}
    assert shared_nodes(found, A, B) == [1]


def test_gathering_copes_with_a_cycle():
    G = nx.DiGraph([(1, 2), (2, 3), (3, 2), (3, 4), (5, 1)])
    a, b = 0b01, 0b10
    seeds = {4: a, 1: b}

    below, above = gather_from_below(G, seeds), gather_from_above(G, seeds)

    assert below == {1: a | b, 2: a, 3: a, 4: a, 5: a | b}
    assert above == {1: b, 2: b, 3: b, 4: a | b, 5: 0}


# -- against brute force ------------------------------------------------------------------

TEAMS = (1, 2, 3, 4, 5)


@st.composite
def team_graphs(draw, max_nodes=40):
    """A random level-keeping DAG with up to 5 teams, and depends_on links."""
    kinds = sorted(
        draw(st.lists(st.sampled_from(CHAIN_KINDS), min_size=1, max_size=max_nodes)),
        key=LEVELS.get,
    )
    G = nx.DiGraph()
    for n, kind in enumerate(kinds):
        G.add_node(
            n,
            kind=kind,
            status=draw(st.sampled_from(("active", "draft", *STATUSES))),
            team_id=draw(st.sampled_from((None, *TEAMS))),
            standalone=draw(st.booleans()) and draw(st.booleans()),
        )
        if n:
            for parent in draw(st.lists(st.integers(0, n - 1), unique=True, max_size=3)):
                if LEVELS[kinds[parent]] <= LEVELS[kind]:
                    G.add_edge(parent, n)
    ids = st.integers(0, len(kinds) - 1)
    depends = draw(st.lists(st.tuples(ids, ids).filter(lambda p: p[0] != p[1]), max_size=6))
    return G, depends


def _assessed(data):
    return (
        data["kind"] in ("strategy", "goal", "work")
        and data["status"] in LIVE
        and not data["standalone"]
        and data["team_id"] is not None
    )


def brute_force(G, depends):
    """DOMAIN.md section 11 read literally: descendant sets per strategy and goal."""
    nodes = G.nodes
    teams = {data["team_id"] for data in nodes.values() if _assessed(data)}
    shared = Counter()
    for a, b in combinations(sorted(teams), 2):
        for x, data in nodes.items():
            if data["kind"] in ("strategy", "goal") and data["status"] in LIVE:
                below = nx.descendants(G, x) | {x}
                owners = {nodes[n]["team_id"] for n in below if _assessed(nodes[n])}
                if a in owners and b in owners:
                    shared[(a, b)] += 1
    dependencies = Counter()
    for a, b in depends:
        ta, tb = nodes[a]["team_id"], nodes[b]["team_id"]
        live = nodes[a]["status"] in LIVE and nodes[b]["status"] in LIVE
        if live and None not in (ta, tb) and ta != tb:
            dependencies[tuple(sorted((ta, tb)))] += 1
    silos = sorted(t for t in teams if not any(t in pair for pair in (*shared, *dependencies)))
    return shared, dependencies, silos


@settings(max_examples=150, deadline=None)
@given(team_graphs())
def test_shared_ground_and_silos_match_brute_force(case):
    G, depends = case

    found = team_ground(G, depends)

    shared, dependencies, silos = brute_force(G, depends)
    assert dict(found.shared) == dict(shared)
    assert dict(found.dependencies) == dict(dependencies)
    assert found.silos == silos


@settings(max_examples=150, deadline=None)
@given(team_graphs(), st.data())
def test_teams_below_kept_up_to_date_equal_teams_below_taken_afresh(case, data):
    from service.graph import TeamsBelow, take_census

    G, depends = case
    census = take_census(G)
    below = TeamsBelow(G, census)
    last = None
    for _ in range(data.draw(st.integers(1, 6))):
        written = data.draw(st.lists(st.integers(0, len(G) - 1), min_size=1, max_size=3))
        for n in written:
            attributes = G.nodes[n]
            census.remove(n, attributes)
            attributes["status"] = data.draw(st.sampled_from(("active", "draft", *STATUSES)))
            attributes["team_id"] = data.draw(st.sampled_from((None, *TEAMS)))
            attributes["standalone"] = data.draw(st.booleans()) and data.draw(st.booleans())
            census.add(n, attributes)
        assert below.update(G, census, written)
        kept = team_ground(G, depends, census=census, below=below, shared_before=last)
        last = (kept.teams_below, kept.shared)

        fresh = TeamsBelow(G, census)
        assert {n: _teams(below, below.mask(G, census, n)) for n in G} == {
            n: _teams(fresh, fresh.mask(G, census, n)) for n in G
        }
        taken = team_ground(G, depends, census=census, below=fresh)
        assert kept.assessed == taken.assessed
        assert dict(kept.shared) == dict(taken.shared)
        assert kept.silos == taken.silos
        assert {n: set(_members(kept, m)) for n, m in kept.teams_below.items()} == {
            n: set(_members(taken, m)) for n, m in taken.teams_below.items()
        }


def _teams(below, mask):
    """The teams of a ``TeamsBelow`` mask."""
    return {below.teams[i] for i in range(mask.bit_length()) if mask >> i & 1}


def _members(ground, mask):
    """The teams of a ``teams_below`` mask."""
    teams = {index: team for team, index in ground.bit.items()}
    return [teams[i] for i in range(mask.bit_length()) if mask >> i & 1]
