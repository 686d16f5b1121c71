"""The in-memory graph follows every committed write, in this process and in others."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import event

from service.db import session
from service.graph import take_census
from tests import factories as f
from tests.live import LiveServer


def _store(app):
    return app.extensions["graph_store"]


def _current(app):
    with app.test_request_context():
        return _store(app).current(session)


def test_first_read_builds_then_writes_are_replayed(app, client):
    mission, work = f.node(client, "mission"), f.node(client)
    graph = _current(app)
    assert _store(app).full_builds == 1

    f.link(client, work, mission)
    client.patch(f"/api/v1/nodes/{work['id']}", json={"status": "draft"})
    graph = _current(app)

    assert _store(app).full_builds == 1 and _store(app).replays == 1
    assert graph.G.has_edge(mission["id"], work["id"])
    assert graph.G.nodes[work["id"]]["status"] == "draft"


def test_replay_removes_deleted_nodes_and_links(app, client):
    goal, work = f.chain(client, "goal", "work")
    link_id = client.get("/api/v1/links").get_json()["items"][0]["id"]
    _current(app)

    client.delete(f"/api/v1/links/{link_id}")
    client.delete(f"/api/v1/nodes/{goal['id']}")
    graph = _current(app)

    assert goal["id"] not in graph.G
    assert graph.G.number_of_edges() == 0
    assert graph.census == take_census(graph.G)


def test_replayed_graph_equals_a_fresh_build(app, client):
    q = f.period(client)
    mission, vision, goal = f.chain(client, "mission", "vision", "goal")
    done = f.node(client, "work", status="done")
    f.link(client, done, goal)
    _current(app).progress()  # later answers build on this one
    work = f.node(client, period_id=q["id"])
    f.link(client, work, goal, weight=0.5)
    f.link(client, vision, goal, "conflicts_with")
    client.post(
        f"/api/v1/nodes/{goal['id']}/key-results",
        json={"metric": "m", "direction": "increase", "start_value": 0, "target_value": 1},
    )
    client.patch(f"/api/v1/periods/{q['id']}", json={"end_date": "2027-01-31"})
    client.patch(f"/api/v1/nodes/{done['id']}", json={"status": "cancelled", "title": "Old"})
    replayed = _current(app)

    from service.graphstore import Graph

    fresh = Graph()
    with app.app_context():
        fresh.load_all(session(), replayed.revision)

    assert dict(replayed.G.nodes(data=True)) == dict(fresh.G.nodes(data=True))
    assert sorted(replayed.G.edges(data=True)) == sorted(fresh.G.edges(data=True))
    assert replayed.census == fresh.census
    assert replayed.declared == fresh.declared
    assert replayed.periods == fresh.periods
    assert replayed.key_results == fresh.key_results
    assert replayed.suspects == fresh.suspects != {}
    assert replayed.progress() == fresh.progress()
    assert replayed.progress()[work["id"]] == 0.0


def test_needs_serves_and_dependencies_are_replayed_like_a_fresh_build(app, client):
    from service.findings import market_findings, team_ground

    team_a, team_b = f.team(client, "A"), f.team(client, "B")
    mission, vision = f.chain(client, "mission", "vision")
    goal = f.node(client, "goal", team_id=team_a["id"])
    f.link(client, goal, vision)
    _current(app).progress()
    safety = f.node(client, "need", need_type="psychological", segment="Families")
    reliability = f.node(client, "need", need_type="functional")
    f.link(client, vision, safety, "serves")
    gone = f.link(client, goal, reliability, "serves")
    work = f.node(client, "work", team_id=team_b["id"])
    f.link(client, work, goal)
    waiting = f.node(client, "work", team_id=team_b["id"])
    f.link(client, waiting, goal, "depends_on")
    dropped = f.node(client, "work")
    f.link(client, dropped, goal, "depends_on")
    before = _current(app)
    market_before = market_findings(before)
    client.delete(f"/api/v1/links/{gone['id']}")
    client.delete(f"/api/v1/nodes/{dropped['id']}?detach=true")
    client.patch(f"/api/v1/nodes/{reliability['id']}", json={"segment": "Fleets"})
    replayed = _current(app)

    fresh = _fresh(app, replayed.revision)
    assert _store(app).full_builds == 1
    assert dict(replayed.G.nodes(data=True)) == dict(fresh.G.nodes(data=True))
    assert (
        replayed.serves
        == fresh.serves
        == {
            link["id"]: (vision["id"], safety["id"])
            for link in client.get("/api/v1/links?type=serves").get_json()["items"]
        }
    )
    assert replayed.depends == fresh.depends and len(fresh.depends) == 1
    assert replayed.census == fresh.census
    assert market_findings(replayed) == market_findings(fresh) != market_before
    assert team_ground(replayed) == team_ground(fresh)
    assert replayed.G.nodes[reliability["id"]]["segment"] == "Fleets"


def test_the_internal_order_outlives_writes_that_keep_the_shape(app, client):
    from service.findings import internal_order
    from service.graph import internal_order as fresh_order

    mission, vision, goal = f.chain(client, "mission", "vision", "goal")
    first = internal_order(_current(app))

    client.patch(f"/api/v1/nodes/{goal['id']}", json={"status": "cancelled", "title": "New"})
    kept = internal_order(_current(app))
    work = f.node(client)
    f.link(client, work, goal)
    moved = _current(app)

    assert kept is first
    assert internal_order(moved) is not first
    assert internal_order(moved) == fresh_order(moved.G)
    assert internal_order(moved).order[-1] == goal["id"]
    held = internal_order(moved)
    f.link(client, work, vision)  # a link between nodes already held
    assert internal_order(_current(app)) is not held


def _fresh(app, revision):
    from service.graphstore import Graph

    fresh = Graph()
    with app.app_context():
        fresh.load_all(session(), revision)
    return fresh


def test_suspect_links_follow_renames_key_results_reviews_and_deletes(app, client):
    goal, work = f.chain(client, "goal", "work")
    other = f.node(client, "work")
    link = client.get("/api/v1/links").get_json()["items"][0]
    f.link(client, other, goal)
    assert _current(app).suspects == {}
    suspect = {link["id"]: (work["id"], goal["id"])}

    def step(method, path, body, expected):
        answer = client.open(path, method=method, json=body)
        assert answer.status_code < 300, answer.get_json()
        graph = _current(app)
        assert graph.suspects == _fresh(app, graph.revision).suspects
        assert set(graph.suspects) >= set(expected)
        return answer.get_json(silent=True)

    step("PATCH", f"/api/v1/nodes/{goal['id']}", {"title": "Renamed"}, suspect)
    review = {"restatement": "We serve the renamed goal."}
    step("POST", f"/api/v1/links/{link['id']}/review", review, {})
    assert link["id"] not in _current(app).suspects
    kr = step(
        "POST",
        f"/api/v1/nodes/{goal['id']}/key-results",
        {"metric": "m", "direction": "increase", "start_value": 0, "target_value": 1},
        suspect,
    )
    step("DELETE", f"/api/v1/key-results/{kr['id']}", None, {})
    assert link["id"] not in _current(app).suspects  # back to what was reviewed
    step("PATCH", f"/api/v1/nodes/{goal['id']}", {"description": "Now with words"}, suspect)
    step("DELETE", f"/api/v1/nodes/{work['id']}?detach=true", None, {})
    assert link["id"] not in _current(app).suspects


@pytest.mark.live
def test_a_link_made_through_one_worker_is_traced_through_the_other(app, database_url, admin_token):
    with LiveServer(database_url, workers=2, token=admin_token) as server:

        def post(path, body):
            return server.request("POST", path, json=body).json()

        mission = post("/api/v1/nodes", {"kind": "mission", "title": "m"})
        work = post("/api/v1/nodes", {"kind": "work", "title": "w"})
        # Warm both workers' graphs before the write.
        for _ in range(8):
            server.request("GET", f"/api/v1/nodes/{work['id']}/trace/up")

        post("/api/v1/links", {"source_id": work["id"], "target_id": mission["id"]})

        for _ in range(8):
            trace = server.request("GET", f"/api/v1/nodes/{work['id']}/trace/up").json()
            assert trace["aligned"] is True
            assert trace["paths"] == [[work["id"], mission["id"]]]


def test_a_read_after_a_write_replays_without_opening_a_session(app, client):
    """The write is replayed on the connection the revision was read on: no checkout."""
    mission, work = f.node(client, "mission"), f.node(client)
    f.link(client, work, mission)
    trace = f"/api/v1/nodes/{work['id']}/trace/up"
    assert client.get(trace).status_code == 200
    client.patch(f"/api/v1/nodes/{mission['id']}", json={"title": "Renamed"})
    checkouts = []
    event.listen(app.extensions["database"].engine, "checkout", lambda *_: checkouts.append(1))

    answer = client.get(trace).get_json()

    assert [node["title"] for node in answer["nodes"]].count("Renamed") == 1
    assert _store(app).replays >= 1 and _store(app).full_builds == 1
    assert checkouts == []


def test_the_first_replay_after_a_build_compiles_nothing(app, client):
    """Replay statements are compiled when the graph is built, not by the first write."""
    from sqlalchemy.engine.default import CACHE_HIT

    mission, work = f.node(client, "mission"), f.node(client)
    f.link(client, work, mission)
    assert client.get(f"/api/v1/nodes/{work['id']}/trace/up").status_code == 200
    client.patch(f"/api/v1/nodes/{mission['id']}", json={"title": "Renamed"})
    compiled = []
    event.listen(
        app.extensions["database"].revision_engine,
        "before_cursor_execute",
        lambda _c, _cursor, statement, _p, context, _m: compiled.append(context.cache_hit),
    )

    assert client.get(f"/api/v1/nodes/{work['id']}/trace/up").status_code == 200

    assert _store(app).replays == 1
    assert len(compiled) >= 3 and set(compiled) == {CACHE_HIT}


def test_a_replay_opens_the_held_connection_when_the_thread_has_none(app, client):
    work = f.node(client)
    assert client.get(f"/api/v1/nodes/{work['id']}/trace/up").status_code == 200
    client.patch(f"/api/v1/nodes/{work['id']}", json={"title": "Renamed"})
    database = app.extensions["database"]
    database.dispose()  # connections held before are dropped

    with app.test_request_context():
        graph = _store(app).current(session, None, database.autocommit)

    assert graph.G.nodes[work["id"]]["title"] == "Renamed"
    assert _store(app).full_builds == 1


def test_a_replay_that_fails_midway_leaves_the_graph_as_it_was(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from service.graphstore import Graph

    goal, work = f.chain(client, "goal", "work")
    graph = _current(app)
    graph.progress()

    def state():
        return (
            graph.revision,
            {node: dict(data) for node, data in graph.G.nodes(data=True)},
            sorted(graph.G.edges()),
            dict(graph.key_results),
            dict(graph.suspects),
            graph.census,
        )

    before = copy.deepcopy(state())
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"title": "Moved"})  # the link turns suspect
    client.post(
        f"/api/v1/nodes/{goal['id']}/key-results",
        json={"metric": "m", "direction": "increase", "start_value": 0, "target_value": 1},
    )
    client.patch(f"/api/v1/nodes/{work['id']}", json={"status": "done"})

    def lost(*_args):  # the last read of a replay
        raise OperationalError("SELECT", {}, Exception("connection lost"))

    monkeypatch.setattr(Graph, "_read_suspects", lost)
    with pytest.raises(OperationalError):
        _current(app)
    assert state() == before

    monkeypatch.undo()
    replayed = _current(app)
    assert replayed.G.nodes[goal["id"]]["title"] == "Moved"
    assert list(replayed.suspects.values()) == [(work["id"], goal["id"])]
    assert len(replayed.key_results) == 1
    assert replayed.census == take_census(replayed.G)
    assert _store(app).full_builds == 1


def test_a_build_leaves_out_links_whose_ends_it_did_not_read():
    from service.graphstore import _build

    node = (1, "goal", "G", "active", False, None, None, None, None, None, None, "public")
    node += (None, None, None, None)  # need_type, segment, ref, url
    node += (None, None, None)  # budget, spent, done_at
    node += (None, None, None, None, None)  # the clarity fields, a vision's description
    links = [
        (10, "supports", 2, 1, 1.0),
        (11, "conflicts_with", 1, 3, 1.0),
        (12, "serves", 1, 4, 1.0),
        (13, "depends_on", 5, 1, 1.0),
    ]

    G, others = _build([node], links)

    assert list(G.nodes) == [1] and G.number_of_edges() == 0
    assert others == {"conflicts_with": {}, "serves": {}, "depends_on": {}}


def test_link_count_follows_replays(app, client):
    goal, work = f.chain(client, "goal", "work")
    other = f.node(client)
    f.link(client, other, goal, "conflicts_with")
    assert _current(app).link_count == 2

    f.link(client, other, goal)
    client.delete(f"/api/v1/nodes/{work['id']}?detach=true")

    assert _current(app).link_count == 2
    assert _current(app).G.number_of_edges() == 1


def test_full_builds_hide_the_graph_from_the_collector_without_leaking_the_old_one(app, client):
    import gc
    import weakref

    f.chain(client, "mission", "work")
    first = weakref.ref(_current(app).G)
    assert gc.get_freeze_count() > 0

    _store(app)._graph.revision = None  # the next read builds the graph anew
    assert _current(app).G is not first()
    assert _store(app).full_builds == 2
    gc.collect()

    assert first() is None


def test_unweighted_links_share_one_read_only_data_mapping(app, client):
    mission, vision, goal = f.chain(client, "mission", "vision", "goal")
    graph = _current(app)
    first = graph.G._succ[mission["id"]][vision["id"]]
    second = graph.G._succ[vision["id"]][goal["id"]]

    assert first is second and graph.G._pred[vision["id"]][mission["id"]] is first
    with pytest.raises(TypeError):
        first["weight"] = 0.5  # a write to one link's data must not reach every link


def test_clarity_costs_and_restatements_are_replayed_like_a_fresh_build(app, client):
    from service.findings import clarity_list
    from tests.conftest import client_as, make_token

    vision, goal, work = f.chain(client, "vision", "goal", "work")
    person = f.person(client, "Ann")
    ann = client_as(app, make_token(app, "viewer", person["id"]))
    _current(app)

    client.patch(
        f"/api/v1/nodes/{vision['id']}",
        json={"measure": "Trips", "description": "Every family gets home without harm"},
    )
    client.patch(
        f"/api/v1/nodes/{work['id']}",
        json={"status": "done", "budget": 10, "spent": 12, "due_date": "2026-01-01"},
    )
    said = ann.post(f"/api/v1/nodes/{goal['id']}/restatements", json={"text": "Ship it"})
    ann.post(f"/api/v1/nodes/{vision['id']}/restatements", json={"text": "Safe trips"})
    ann.delete(f"/api/v1/nodes/{goal['id']}/restatements/{said.get_json()['id']}")
    replayed = _current(app)

    from service.graphstore import Graph

    fresh = Graph()
    with app.app_context():
        fresh.load_all(session(), replayed.revision)

    assert dict(replayed.G.nodes(data=True)) == dict(fresh.G.nodes(data=True))
    assert replayed.G.nodes[work["id"]]["done_on"] is not None
    assert replayed.G.nodes[work["id"]]["budget"] == 10
    assert replayed.census == fresh.census and work["id"] in replayed.census.costed
    assert replayed.restatements == fresh.restatements
    assert [text for _node, text in replayed.restatements.values()] == ["Safe trips"]
    assert clarity_list(replayed) == clarity_list(fresh)


def test_overrun_counts_kept_across_writes_equal_a_fresh_count(app, client):
    import datetime as dt

    from service.findings import late_work, overrun_counts, overrun_list
    from service.graphstore import Graph

    today = dt.date(2026, 6, 15)
    strategy, goal = f.chain(client, "strategy", "goal")
    items = [f.node(client, "work", due_date="2026-06-01") for _ in range(4)]
    for item in items:
        f.link(client, item, goal)
    before = _current(app)
    first = overrun_list(before, today)
    counts = before.kept_result("overrun_counts")

    client.patch(f"/api/v1/nodes/{items[0]['id']}", json={"status": "cancelled"})
    client.patch(f"/api/v1/nodes/{items[1]['id']}", json={"due_date": "2026-07-01"})
    client.patch(f"/api/v1/nodes/{items[2]['id']}", json={"budget": 5.5, "spent": 8})
    client.patch(f"/api/v1/nodes/{strategy['id']}", json={"title": "Renamed"})
    replayed = _current(app)
    kept = overrun_list(replayed, today)
    fresh = Graph()
    with app.app_context():
        fresh.load_all(session(), replayed.revision)

    assert replayed.kept_result("overrun_counts") is counts  # brought up to date, not taken afresh
    assert kept != first and kept == overrun_list(fresh, today)
    assert late_work(replayed, today) == late_work(fresh, today) == [items[2]["id"], items[3]["id"]]
    entry = next(e for e in kept if e["node"] == goal["id"])
    assert (entry["dated_work"], entry["late"], entry["budget"], entry["spent"]) == (3, 2, 5.5, 8)
    assert overrun_counts(replayed, today).late_work(goal["id"]) == [items[2]["id"], items[3]["id"]]


def _ground(graph):
    """A graph's team ground with each meeting point's teams as a set (bits differ)."""
    from service.findings import team_ground

    found = team_ground(graph)
    team_of = {index: team for team, index in found.bit.items()}
    below = {
        n: {team_of[i] for i in range(mask.bit_length()) if mask >> i & 1}
        for n, mask in found.teams_below.items()
    }
    return found.assessed, dict(found.shared), dict(found.dependencies), found.silos, below


def test_team_ground_kept_across_writes_equals_a_fresh_one(app, client):
    team_a, team_b, team_c = (f.team(client, name) for name in "ABC")
    mission, vision = f.chain(client, "mission", "vision")
    strategy = f.node(client, "strategy", team_id=team_a["id"])
    f.link(client, strategy, vision)
    goal = f.node(client, "goal", team_id=team_a["id"])
    f.link(client, goal, strategy)
    items = [f.node(client, "work", team_id=team_b["id"]) for _ in range(3)]
    for item in items:
        f.link(client, item, goal)
    before = _current(app)
    first = _ground(before)
    held = before.kept_result("teams_below")

    for item, change in zip(
        items,
        [
            {"status": "cancelled"},
            {"team_id": team_c["id"]},
            {"standalone": True, "standalone_reason": "Kept apart"},
        ],
        strict=True,
    ):
        assert client.patch(f"/api/v1/nodes/{item['id']}", json=change).status_code == 200
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"title": "Renamed"})
    replayed = _current(app)
    kept = _ground(replayed)

    assert replayed.kept_result("teams_below") is held  # brought up to date, not taken afresh
    assert kept != first and kept == _ground(_fresh(app, replayed.revision))
    assert kept[1] == {(team_a["id"], team_c["id"]): 2}  # the goal and the strategy

    client.patch(f"/api/v1/nodes/{goal['id']}", json={"status": "cancelled"})
    replayed = _current(app)
    assert _ground(replayed) == _ground(_fresh(app, replayed.revision))
    assert _ground(replayed)[1] == {(team_a["id"], team_c["id"]): 1}


def test_alignment_and_needs_above_outlive_writes_to_leaves_only(app, client):
    from service.findings import aligned_set, market_findings, unsupported_list

    mission, vision, goal = f.chain(client, "mission", "vision", "goal")
    need = f.node(client, "need", need_type="functional")
    f.link(client, vision, need, "serves")
    items = [f.node(client, "work") for _ in range(2)]
    for item in items:
        f.link(client, item, goal)
    before = _current(app)
    aligned = aligned_set(before)
    assert market_findings(before)["needs"][0]["work"] == 2

    client.patch(f"/api/v1/nodes/{items[0]['id']}", json={"status": "cancelled"})
    leaf_written = _current(app)
    assert aligned_set(leaf_written) is aligned  # a leaf's status moves no alignment
    assert market_findings(leaf_written)["needs"][0]["work"] == 1
    assert unsupported_list(leaf_written) == []
    support = leaf_written.kept_result("support")
    client.patch(f"/api/v1/nodes/{items[1]['id']}", json={"status": "done"})
    hollow = _current(app)
    assert unsupported_list(hollow) == unsupported_list(_fresh(app, hollow.revision))
    assert unsupported_list(hollow) == [vision["id"], goal["id"]]
    assert hollow.kept_result("support") is support
    client.patch(f"/api/v1/nodes/{items[1]['id']}", json={"status": "active"})

    client.patch(f"/api/v1/nodes/{goal['id']}", json={"status": "archived"})
    cut = _current(app)
    fresh = _fresh(app, cut.revision)
    assert aligned_set(cut) == aligned_set(fresh) != aligned
    assert goal["id"] in aligned_set(cut) and items[1]["id"] not in aligned_set(cut)
    assert market_findings(cut) == market_findings(fresh)
    assert market_findings(cut)["needs"][0]["work"] == 0

    client.patch(f"/api/v1/nodes/{need['id']}", json={"status": "cancelled"})
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"status": "active"})
    back = _current(app)
    assert market_findings(back) == market_findings(_fresh(app, back.revision))
    assert market_findings(back)["unanchored"] == [vision["id"]]


def test_link_conflicts_kept_across_writes_equal_a_fresh_count(app, client):
    from service.findings import conflict_list

    q4 = f.period(client)
    strategy, goal = f.chain(client, "strategy", "goal", period_id=q4["id"])
    items = [f.node(client, "work", due_date="2026-11-15") for _ in range(3)]
    for item in items:
        f.link(client, item, goal)
    before = _current(app)
    assert conflict_list(before) == []
    held = before.kept_result("link_conflicts")

    client.patch(f"/api/v1/nodes/{items[0]['id']}", json={"due_date": "2027-02-01"})
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"status": "done"})
    client.patch(f"/api/v1/nodes/{items[1]['id']}", json={"status": "cancelled"})
    replayed = _current(app)
    kept = conflict_list(replayed)

    assert replayed.kept_result("link_conflicts") is held  # brought up to date
    assert kept == conflict_list(_fresh(app, replayed.revision))
    assert [(c["type"], c["node_ids"]) for c in kept] == [
        ("period", [items[0]["id"], goal["id"]]),
        ("status", [items[0]["id"], goal["id"]]),
        ("status", [items[2]["id"], goal["id"]]),
    ]

    answer = client.patch(f"/api/v1/periods/{q4['id']}", json={"end_date": "2027-03-31"})
    assert answer.status_code == 200, answer.get_json()
    moved = _current(app)
    assert [c["type"] for c in conflict_list(moved)] == ["status", "status"]
    assert moved.kept_result("link_conflicts") is not held  # other periods: taken afresh


def test_metric_conflicts_outlive_writes_to_nodes_without_key_results(app, client):
    from service.findings import conflict_list

    goals = [f.node(client, "goal") for _ in range(3)]
    work = f.node(client, "work")
    f.link(client, work, goals[0])

    values = {
        "increase": {"start_value": 3, "target_value": 5},
        "decrease": {"start_value": 5, "target_value": 3},
    }

    def key_result(goal, direction):
        answer = client.post(
            f"/api/v1/nodes/{goal['id']}/key-results",
            json={"metric": "churn", "direction": direction, **values[direction]},
        )
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    key_result(goals[0], "increase")
    key_result(goals[1], "decrease")
    before = _current(app)
    assert [c["node_ids"] for c in conflict_list(before)] == [[goals[0]["id"], goals[1]["id"]]]
    held = before.kept_result("metric_conflicts")

    client.patch(f"/api/v1/nodes/{work['id']}", json={"title": "Renamed", "status": "done"})
    client.patch(f"/api/v1/nodes/{goals[2]['id']}", json={"status": "done"})
    replayed = _current(app)
    assert conflict_list(replayed) == conflict_list(_fresh(app, replayed.revision))
    assert replayed.kept_result("metric_conflicts") is held  # no node with key results written

    client.patch(f"/api/v1/nodes/{goals[1]['id']}", json={"status": "done"})
    closed = _current(app)
    assert conflict_list(closed) == conflict_list(_fresh(app, closed.revision)) == []
    assert closed.kept_result("metric_conflicts") is not held

    client.patch(f"/api/v1/nodes/{goals[2]['id']}", json={"status": "active"})
    key_result(goals[2], "decrease")  # a new key result: taken afresh
    added = _current(app)
    assert [c["node_ids"] for c in conflict_list(added)] == [[goals[0]["id"], goals[2]["id"]]]
    assert conflict_list(added) == conflict_list(_fresh(app, added.revision))


def test_the_results_of_a_replayed_revision_are_freed_once_the_answer_is_sent(app, client):
    from service.findings import orphan_list

    goal, work = f.chain(client, "goal", "work")
    before = _current(app)
    orphan_list(before)  # a result of this revision

    client.patch(f"/api/v1/nodes/{work['id']}", json={"title": "Renamed"})
    answer = client.get(f"/api/v1/nodes/{work['id']}/trace/up")
    graph = _store(app).latest

    assert answer.status_code == 200
    assert graph is before and graph.retired  # set aside by the replay, not yet freed
    answer.close()
    assert not graph.retired
    assert orphan_list(graph) == orphan_list(_fresh(app, graph.revision))
