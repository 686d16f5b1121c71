"""The graph snapshot: loaded only when it is this database's, whole and of this code."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import update

from models import GraphState
from service import graphsnapshot
from service.db import database, session
from service.generate import generate
from service.graphsnapshot import Snapshots
from service.graphstore import GraphStore
from service.warmup import warm_worker
from tests.conftest import _empty, client_as, make_token


def _contents(graph) -> dict:
    """Everything a graph holds that answers are computed from."""
    return {
        "revision": graph.revision,
        "nodes": dict(graph.G.nodes(data=True)),
        "edges": sorted(graph.G.edges(data=True)),
        "census": vars(graph.census),
        "declared": graph.declared,
        "serves": graph.serves,
        "depends": graph.depends,
        "periods": graph.periods,
        "key_results": graph.key_results,
        "suspects": graph.suspects,
        "restatements": graph.restatements,
        "edges_counted": graph.link_count,
    }


@pytest.fixture
def snapshots(tmp_path, database_url):
    made = Snapshots(tmp_path / "snapshots", database_url)
    made.min_nodes = 0
    return made


def _warm(app, store: GraphStore):
    with app.app_context():
        try:
            return store.warm(session, database().autocommit)
        finally:
            session().close()


def _company(client, seed=4):
    document = generate(120, seed=seed)
    document["nodes"][5]["due_date"] = "2026-12-24"
    assert client.post("/api/v1/import", json=document).status_code == 200
    return document


def test_a_worker_loads_the_snapshot_another_wrote_and_holds_the_same_graph(app, client, snapshots):
    _company(client)
    person = client.post("/api/v1/people", json={"name": "Ann"}).get_json()
    ann = client_as(app, make_token(app, "viewer", person["id"]))
    assert ann.post("/api/v1/nodes/3/restatements", json={"text": "Heard"}).status_code == 201
    first = GraphStore(snapshots)
    built = _warm(app, first)
    assert (first.full_builds, first.snapshot_loads) == (1, 0) and snapshots.path.exists()

    second = GraphStore(snapshots)
    loaded = _warm(app, second)

    assert (second.full_builds, second.snapshot_loads) == (0, 1)
    assert _contents(loaded) == _contents(built)
    # Each edge's data is one dict, seen from both ends, as networkx keeps it.
    assert loaded.G._succ is loaded.G._adj and loaded.G.number_of_edges() > 100
    for parent, children in loaded.G._succ.items():
        for child, data in children.items():
            assert loaded.G._pred[child][parent] is data


def test_a_stale_snapshot_is_replayed_forward_to_the_database(app, client, snapshots):
    _company(client)
    _warm(app, GraphStore(snapshots))
    node = client.get("/api/v1/nodes?kind=work&limit=1").get_json()["items"][0]
    client.patch(f"/api/v1/nodes/{node['id']}", json={"title": "Renamed after the snapshot"})

    store = GraphStore(snapshots)
    graph = _warm(app, store)

    assert (store.snapshot_loads, store.replays, store.full_builds) == (1, 1, 0)
    assert graph.G.nodes[node["id"]]["title"] == "Renamed after the snapshot"
    assert _contents(graph) == _contents(_warm(app, GraphStore()))


def test_a_snapshot_too_far_behind_is_replaced_by_a_full_build(app, client, snapshots, monkeypatch):
    _company(client)
    _warm(app, GraphStore(snapshots))
    monkeypatch.setattr("service.graphstore.REPLAY_LIMIT", 3)
    for node in client.get("/api/v1/nodes?kind=work&limit=5").get_json()["items"]:
        client.patch(f"/api/v1/nodes/{node['id']}", json={"title": f"New {node['id']}"})

    store = GraphStore(snapshots)
    graph = _warm(app, store)

    assert (store.snapshot_loads, store.full_builds) == (1, 1)
    assert _contents(graph) == _contents(_warm(app, GraphStore()))


def _corrupt(path):
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[:-1000])


def _garbage(path):
    path.write_bytes(b"not a snapshot at all")


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _garbage])
def test_a_damaged_snapshot_is_never_served(app, client, snapshots, damage):
    _company(client)
    _warm(app, GraphStore(snapshots))
    damage(snapshots.path)

    store = GraphStore(snapshots)
    graph = _warm(app, store)

    assert (store.snapshot_loads, store.full_builds) == (0, 1)
    assert _contents(graph) == _contents(_warm(app, GraphStore()))


def test_a_snapshot_written_by_other_code_is_never_served(app, client, snapshots, monkeypatch):
    _company(client)
    _warm(app, GraphStore(snapshots))
    monkeypatch.setattr(graphsnapshot, "_CODE", "another version of the code")

    store = GraphStore(snapshots)
    _warm(app, store)

    assert (store.snapshot_loads, store.full_builds) == (0, 1)


def test_a_snapshot_of_another_database_is_never_served(app, client, snapshots, database_url):
    _company(client, seed=4)
    _warm(app, GraphStore(snapshots))
    _empty(database_url)  # the same name now holds another company, further on
    admin = client_as(app, make_token(app))
    _company(admin, seed=9)
    _company(admin, seed=11)

    store = GraphStore(snapshots)
    graph = _warm(app, store)

    assert (store.snapshot_loads, store.full_builds) == (0, 1)
    assert _contents(graph) == _contents(_warm(app, GraphStore()))


def test_a_snapshot_ahead_of_the_database_is_never_served(app, client, snapshots):
    _company(client)
    built = _warm(app, GraphStore(snapshots))
    with app.app_context():  # as if the database were restored from an older backup
        session().execute(update(GraphState).values(revision=built.revision - 1))
        session().commit()

    store = GraphStore(snapshots)
    _warm(app, store)

    assert (store.snapshot_loads, store.full_builds) == (0, 1)


def test_small_graphs_are_not_saved(app, client, snapshots):
    snapshots.min_nodes = 1_000
    _company(client)

    _warm(app, GraphStore(snapshots))

    assert not snapshots.path.exists()


def test_readyz_is_503_until_the_worker_graph_is_warm(app, client):
    store = app.extensions["graph_store"]
    store.warm_required = True
    _company(client)

    cold = client.get("/readyz")
    store.join_warming(timeout=60)
    warm = client.get("/readyz")

    assert cold.status_code == 503 and cold.get_json()["code"] == "graph_warming"
    assert warm.status_code == 200 and store.ready


def test_a_gunicorn_worker_is_warm_before_it_takes_traffic(app, client):
    _company(client)
    beats = []
    worker = SimpleNamespace(wsgi=app, notify=lambda: beats.append(1))

    warm_worker(worker)

    store = app.extensions["graph_store"]
    assert store.ready and store.warm_required and store.full_builds == 1
    assert client.get("/readyz").status_code == 200


def test_a_worker_warms_its_findings_before_it_takes_traffic(app, client, monkeypatch):
    from service import findings

    _company(client)
    worker = SimpleNamespace(wsgi=app, notify=lambda: None)

    warm_worker(worker)

    # Nothing is computed afresh for the first answers: the warm-up did it.
    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(findings.analysis, "orphans", refuse)
    monkeypatch.setattr(findings.analysis, "conflicts", refuse)
    monkeypatch.setattr(findings.analysis, "team_ground", refuse)
    monkeypatch.setattr(findings.analysis, "market", refuse)

    assert client.get("/api/v1/analysis/health").status_code == 200
    assert client.get("/api/v1/analysis/orphans").status_code == 200
    assert client.get("/api/v1/analysis/conflicts").status_code == 200


def test_findings_left_cold_by_a_failed_warm_up_are_computed_by_the_first_request(
    app, client, monkeypatch
):
    from service import warmup

    _company(client)

    def fail(graph, stale_days):
        raise RuntimeError("warm-up of the findings failed")

    monkeypatch.setattr(warmup, "warm_findings", fail)
    assert warmup.warm(app, findings=True)  # the graph is ready all the same
    monkeypatch.undo()

    assert app.extensions["graph_store"].ready
    assert client.get("/api/v1/analysis/health").status_code == 200
