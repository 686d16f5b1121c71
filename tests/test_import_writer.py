"""The import's bulk writer writes what the ordinary paths write, on both databases."""

from __future__ import annotations

import datetime as dt
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from models import AuditEvent, GraphState, Link, Node
from service.db import session
from service.domain import bulk
from service.domain.bulk import insert_rows, json_text
from service.domain.changes import snapshot
from service.domain.fingerprint import node_fingerprint
from tests import factories as f
from tests.conftest import client_as, make_token

_NOW = dt.datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=dt.UTC)


def _node_row(ref: str, **values) -> dict:
    row = {
        "ref": ref,
        "kind": "work",
        "title": 'Ünïcode "quoted" title\n',
        "description": None,
        "status": "active",
        "start_date": dt.date(2026, 10, 1),
        "due_date": None,
        "standalone": True,
        "standalone_reason": "alone",
        "visibility": "team",
        "reported_progress": 0.25,
        "fingerprint": "f" * 64,
        "version": 1,
        "created_at": _NOW,
        "updated_at": _NOW,
    }
    return row | values


def _stored(ids):
    """The rows as the database holds them (no SQLAlchemy types in between)."""
    rows = session().execute(
        text("SELECT * FROM nodes WHERE id IN ({}) ORDER BY id".format(",".join(map(str, ids))))
    )
    return [{k: v for k, v in row._mapping.items() if k not in ("id", "ref")} for row in rows]


def test_bulk_rows_read_back_as_rows_inserted_by_sqlalchemy(app):
    variants = [{}, {"standalone": False, "reported_progress": None, "start_date": None}]
    with app.app_context():
        connection = session().connection()
        first = (connection.scalar(select(func.max(Node.id))) or 0) + 1
        plain = [_node_row(f"a{i}", id=first + i, **v) for i, v in enumerate(variants)]
        bulk = [_node_row(f"b{i}", id=first + 10 + i, **v) for i, v in enumerate(variants)]
        connection.execute(insert(Node.__table__), plain)
        columns = list(bulk[0])
        insert_rows(connection, Node.__table__, columns, [[r[c] for c in columns] for r in bulk])

        assert _stored([r["id"] for r in bulk]) == _stored([r["id"] for r in plain])
        session().rollback()


def test_bulk_json_text_reads_back_as_the_object_and_none_as_null(app):
    image = {"title": "ü", "on": dt.date(2026, 1, 2), "at": _NOW, "n": [1, 2.5, None]}
    columns = ("revision", "actor", "action", "entity_type", "entity_id", "before", "after")
    columns += ("restricted", "at")
    with app.app_context():
        connection = session().connection()
        row = (1, "test", "create", "node", 1, json_text(None), json_text(image), False, _NOW)
        insert_rows(connection, AuditEvent.__table__, columns, [row])
        event = session().scalars(select(AuditEvent).where(AuditEvent.actor == "test")).one()

        assert event.before is None
        assert event.after == {
            "title": "ü",
            "on": "2026-01-02",
            "at": _NOW.isoformat(),
            "n": [1, 2.5, None],
        }
        assert event.at == _NOW
        session().rollback()


def _document():
    return {
        "teams": [{"ref": "t", "name": "Team"}],
        "people": [{"ref": "p", "name": "Pat", "teams": ["t"]}],
        "nodes": [
            {"ref": "m", "kind": "mission", "title": "Mission"},
            {"ref": "g", "kind": "goal", "title": "Goal", "team": "t", "owner": "p"},
            {"ref": "w", "kind": "work", "title": "Private", "visibility": "private"},
        ],
        "links": [{"source": "g", "target": "m"}, {"source": "w", "target": "g"}],
        "key_results": [
            {
                "ref": "kr",
                "goal": "g",
                "metric": "nps",
                "direction": "increase",
                "start_value": 1,
                "target_value": 2,
            }
        ],
    }


def test_every_imported_entity_has_a_create_event_imaging_its_stored_row(app, client):
    assert client.post("/api/v1/import", json=_document()).status_code == 200

    with app.app_context():
        events = session().scalars(select(AuditEvent).where(AuditEvent.action == "create"))
        by_entity = {(e.entity_type, e.entity_id): e for e in events}
        nodes = session().scalars(select(Node)).all()
        links = session().scalars(select(Link)).all()

        assert {t for t, _ in by_entity} >= {"team", "person", "node", "link", "key_result"}
        for node in nodes:
            assert by_entity[("node", node.id)].after == snapshot(node)
            assert by_entity[("node", node.id)].subject_node_id == node.id
        for link in links:
            stored = snapshot(link)
            image = by_entity[("link", link.id)].after
            assert image == {k: stored[k] for k in image}
            assert "reviewed_snapshot" not in image
            assert (by_entity[("link", link.id)].subject_node_id, link.source_id) == (
                link.source_id,
                link.source_id,
            )
            assert by_entity[("link", link.id)].other_node_id == link.target_id


def test_imported_fingerprints_equal_those_computed_from_stored_nodes(app, client):
    client.post("/api/v1/import", json=_document())

    with app.app_context():
        nodes = {n.id: n for n in session().scalars(select(Node))}
        for node in nodes.values():
            assert node.fingerprint == node_fingerprint(session(), node)
        for link in session().scalars(select(Link)):
            assert link.reviewed_fingerprint == nodes[link.target_id].fingerprint
            assert link.reviewed_snapshot["title"] == nodes[link.target_id].title
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 0


def test_events_recorded_while_a_node_was_private_stay_hidden_after_it_is_made_public(app, client):
    client.post("/api/v1/import", json=_document())
    private = client.get("/api/v1/nodes/by-ref/w").get_json()
    client.patch(f"/api/v1/nodes/{private['id']}", json={"visibility": "public"})
    viewer = client_as(app, make_token(app, "viewer", f.person(client)["id"]))

    seen = viewer.get("/api/v1/audit?limit=1000").get_json()["items"]
    imported = [e for e in seen if e["action"] == "create"]

    assert {e["entity_type"] for e in imported} >= {"node", "link", "key_result"}
    assert private["id"] not in {e["entity_id"] for e in imported if e["entity_type"] == "node"}
    assert all(
        private["id"] not in (e["after"].get("source_id"), e["after"].get("target_id"))
        for e in imported
        if e["entity_type"] == "link"
    )


def test_imported_needs_and_serves_links_are_stored_as_the_api_stores_them(app, client):
    need = {"kind": "need", "title": "Safety", "segment": "Families", "need_type": "psychological"}
    document = {
        "nodes": [
            {"ref": "v", "kind": "vision", "title": "Vision"},
            {"ref": "n", **need},
        ],
        "links": [{"type": "serves", "source": "v", "target": "n", "rationale": "Why"}],
    }
    assert client.post("/api/v1/import", json=document).status_code == 200
    vision = client.post("/api/v1/nodes", json={"kind": "vision", "title": "Vision"}).get_json()
    made = client.post("/api/v1/nodes", json=need).get_json()
    link = {"type": "serves", "source_id": vision["id"], "target_id": made["id"]}
    assert client.post("/api/v1/links", json={**link, "rationale": "Why"}).status_code == 201

    with app.app_context():
        imported = session().scalars(select(Node).where(Node.ref == "n")).one()
        serving = session().scalars(select(Link).where(Link.type == "serves"))
        links = {link.source_id: link for link in serving}
        served = links.pop(vision["id"])
        (by_import,) = links.values()

        times = ("created_at", "updated_at")
        assert [
            {k: v for k, v in row.items() if k not in times} for row in _stored([imported.id])
        ] == [{k: v for k, v in row.items() if k not in times} for row in _stored([made["id"]])]
        assert (by_import.target_id, by_import.weight, by_import.rationale) == (
            imported.id,
            served.weight,
            served.rationale,
        )
        assert by_import.reviewed_fingerprint == served.reviewed_fingerprint
    market = client.get("/api/v1/analysis/market").get_json()
    assert sorted(n["node"]["segment"] for n in market["needs"]) == ["Families", "Families"]
    assert [len(n["served_by"]) for n in market["needs"]] == [1, 1]
    assert market["unserved"] == []


def _schema_version(connection) -> int | None:
    if connection.dialect.name != "sqlite":
        return None
    return connection.exec_driver_sql("PRAGMA schema_version").scalar()


def _indexes(connection) -> list[tuple]:
    found = inspect(connection).get_indexes("nodes")
    return sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found)


def test_a_large_insert_leaves_the_indexes_and_constraints_as_they_were(app, monkeypatch):
    # Past REBUILD_AFTER_ROWS, SQLite's plain indexes are built again after the rows: they
    # come back as they were, and the unique ones hold throughout.
    monkeypatch.setattr(bulk, "REBUILD_AFTER_ROWS", 2)
    with app.app_context():
        connection = session().connection()
        before = _indexes(connection)
        assert any(name == "ix_nodes_team_id" for name, _c, _u in before)
        connection.execute(update(GraphState).values(revision=GraphState.revision + 1))
        schema = _schema_version(connection)
        first = (connection.scalar(select(func.max(Node.id))) or 0) + 1
        rows = [_node_row(f"r{i}", id=first + i) for i in range(5)]
        columns = list(rows[0])
        insert_rows(connection, Node.__table__, columns, [[r[c] for c in columns] for r in rows])
        assert _indexes(connection) == before
        if schema is not None:  # SQLite: the indexes were dropped, made again, and used
            assert _schema_version(connection) > schema
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM nodes WHERE team_id = 1"
            ).all()
            assert "ix_nodes_team_id" in str(plan)

        # A repeated ref among many new rows is refused, and the indexes are still there.
        more = [_node_row(f"s{i}", id=first + 10 + i) for i in range(10)] + [
            _node_row("r0", id=first + 30)
        ]
        with pytest.raises((IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)):
            insert_rows(
                connection, Node.__table__, columns, [[r[c] for c in columns] for r in more]
            )
        session().rollback()  # the indexes were dropped in the failed transaction
        assert _indexes(session().connection()) == before
        assert session().scalar(select(func.count()).where(Node.ref.like("r%"))) == 0
