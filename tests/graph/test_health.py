import pytest

from service.graph import conflicts, health, orphans, unsupported

from .factories import graph

A, B = 1, 2  # teams


@pytest.fixture
def company():
    return graph(
        {
            1: "mission active",
            2: ("strategy active", {"team_id": A}),
            3: ("goal active", {"team_id": A}),
            4: ("work active", {"team_id": A}),
            5: ("work active", {"team_id": B}),  # unlinked
            6: ("work draft", {"team_id": B, "standalone": True}),
            7: ("goal cancelled", {"team_id": B}),
            8: ("work active", {"team_id": B}),  # below a cancelled goal
            9: ("strategy active", {"team_id": B}),  # no work below
            10: ("work done", {"team_id": A}),
        },
        [(1, 2), (2, 3), (3, 4), (2, 7), (7, 8), (1, 9), (3, 10)],
    )


def summarise(G, **kwargs):
    return health(G, orphans(G), unsupported(G), conflicts(G, {}, {}, []), **kwargs)


def test_health_summarises_the_whole_graph(company):
    summary = summarise(company, suspect_child_ids=[3, 8, 8], stale_goal_ids=[3])

    assert summary["counts"] == {
        "total": 10,
        "by_kind": {"mission": 1, "vision": 0, "strategy": 2, "goal": 2, "work": 5, "need": 0},
        "by_status": {"draft": 1, "active": 7, "done": 1, "cancelled": 1, "archived": 0},
    }
    assert summary["work_aligned_ratio"] == pytest.approx(1 / 3)  # 4 of 4, 5, 8
    assert summary["orphans"] == {
        "total": 2,
        "by_reason": {"no_mission": 0, "unlinked": 1, "inactive_path": 1, "broken_chain": 0},
    }
    assert summary["unsupported"] == 1
    assert summary["conflicts"] == {
        "total": 1,
        "by_type": {
            "competing_missions": 0,
            "declared": 0,
            "dependency": 0,
            "metric": 0,
            "period": 0,
            "status": 1,
        },
    }
    assert summary["suspect_links"] == 3
    assert summary["stale_key_results"] == 1
    assert summary["standalone"] == {"total": 1, "node_ids": [6]}


def test_health_repeats_the_summary_per_team(company):
    summary = summarise(company, suspect_child_ids=[3, 8, 8], stale_goal_ids=[3])

    team_a, team_b = summary["teams"][A], summary["teams"][B]
    assert list(summary["teams"]) == [A, B]
    assert "teams" not in team_a
    assert (team_a["counts"]["total"], team_b["counts"]["total"]) == (4, 5)
    assert (team_a["work_aligned_ratio"], team_b["work_aligned_ratio"]) == (1.0, 0.0)
    assert (team_a["orphans"]["total"], team_b["orphans"]["total"]) == (0, 2)
    assert (team_a["unsupported"], team_b["unsupported"]) == (0, 1)
    assert (team_a["suspect_links"], team_b["suspect_links"]) == (1, 2)
    assert (team_a["stale_key_results"], team_b["stale_key_results"]) == (1, 0)
    assert team_b["standalone"] == {"total": 1, "node_ids": [6]}


def test_a_conflict_counts_once_for_each_team_involved(company):
    company.nodes[9]["status"] = "done"  # team B's strategy done, team A's goal below it
    company.add_edge(9, 3, link_id=99, weight=1.0)

    summary = summarise(company)

    assert summary["conflicts"]["by_type"]["status"] == 2
    assert summary["teams"][A]["conflicts"]["by_type"]["status"] == 1
    assert summary["teams"][B]["conflicts"]["by_type"]["status"] == 2


def test_ratio_is_none_without_live_work():
    G = graph({1: "mission active", 2: "work done", 3: ("work active", {"standalone": True})})

    assert summarise(G)["work_aligned_ratio"] is None
