"""Request ids, JSON logs, metrics, readiness and riding out a database outage."""

from __future__ import annotations

import contextlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import make_url

from tests import factories as f
from tests.conftest import client_as
from tests.live import LiveServer
from tests.proxy import Proxy


def test_request_id_is_echoed_or_made(client):
    given = client.get("/api/v1/nodes", headers={"X-Request-ID": "portal-42"})
    made = client.get("/api/v1/nodes")
    refused = client.get("/api/v1/nodes", headers={"X-Request-ID": "bad id with spaces!"})

    assert given.headers["X-Request-ID"] == "portal-42"
    assert len(made.headers["X-Request-ID"]) == 32
    assert refused.headers["X-Request-ID"] != "bad id with spaces!"


def test_each_request_logs_one_json_line_with_its_id(client, capsys):
    logger = logging.getLogger("throughline.access")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        client.get("/api/v1/nodes", headers={"X-Request-ID": "trace-me"})
    finally:
        logger.removeHandler(handler)

    assert len(records) == 1
    formatter = logger.handlers[0].formatter
    line = json.loads(formatter.format(records[0]))
    assert line["request_id"] == "trace-me"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/nodes", 200)
    assert line["duration_ms"] >= 0 and line["actor"].startswith("token:")


def test_metrics_count_requests_and_graph_size(client, anonymous):
    f.chain(client, "mission", "vision")
    client.get("/api/v1/analysis/orphans")

    body = anonymous.get("/metrics").get_data(as_text=True)

    assert "throughline_http_requests_total" in body
    assert 'endpoint="/api/v1/analysis/orphans"' in body
    assert "throughline_http_request_duration_seconds_bucket" in body
    assert 'throughline_graph_size{part="nodes"}' in body
    assert "throughline_analysis_seconds" in body


def test_readyz_says_not_ready_when_migrations_are_missing(make_app, tmp_path):
    app = make_app(database_url=f"sqlite:///{tmp_path / 'empty.db'}")

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["code"] == "migrations_pending"


def _cut(app, is_postgresql, database_url):
    """Take the database away from ``app``; return a function that brings it back."""
    if is_postgresql:
        raise AssertionError("use the proxy")
    database = app.extensions["database"]
    down = {"on": True}

    def refuse(*_args):
        if down["on"]:
            raise exc.OperationalError("connect", {}, Exception("database is gone"))

    for engine in (database.engine, database.revision_engine):
        event.listen(engine, "do_connect", refuse)
    database.dispose()  # every connection, held ones too, must now be made anew

    def restore():
        down["on"] = False

    return restore


def test_outage_answers_503_and_recovers(make_app, admin_token, is_postgresql, database_url):
    proxy = None
    if is_postgresql:
        url = make_url(database_url)
        proxy = Proxy(url.host or "127.0.0.1", url.port or 5432).start()
        app = make_app(
            database_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            )
        )
    else:
        app = make_app()
    client = client_as(app, admin_token)
    assert client.get("/api/v1/analysis/health").status_code == 200

    if proxy is not None:
        proxy.stop()
        restore = proxy.start
    else:
        restore = _cut(app, is_postgresql, database_url)
    try:
        for path in ("/api/v1/nodes", "/api/v1/analysis/health", "/readyz"):
            response = client.get(path)
            assert response.status_code == 503, (path, response.get_data(as_text=True))
            assert response.mimetype == "application/problem+json"
        written = client.post("/api/v1/nodes", json={"kind": "work", "title": "lost"})
        assert written.status_code == 503
    finally:
        restore()

    assert client.get("/api/v1/nodes").status_code == 200
    assert client.post("/api/v1/nodes", json={"kind": "work", "title": "ok"}).status_code == 201
    if proxy is not None:
        proxy.stop()


@contextlib.contextmanager
def _breakable(make_app, is_postgresql, database_url):
    """An app and a function that breaks every database connection it holds.

    On PostgreSQL a proxy in between drops them all; SQLite's are closed under the service.
    """
    proxy = None
    if is_postgresql:
        url = make_url(database_url)
        proxy = Proxy(url.host or "127.0.0.1", url.port or 5432).start()
        database_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False
        )
    try:
        app = make_app(database_url=database_url)
        opened = []
        database = app.extensions["database"]
        for engine in (database.engine, database.revision_engine):
            event.listen(engine, "connect", lambda connection, _record: opened.append(connection))

        def break_every_connection():
            assert opened
            if proxy is not None:
                proxy.stop()
                proxy.start()
            else:
                for connection in opened:
                    connection.close()

        yield app, break_every_connection
    finally:
        if proxy is not None:
            proxy.stop()


def test_connections_broken_while_idle_are_replaced_unnoticed(
    make_app, admin_token, is_postgresql, database_url
):
    """A database restart between two requests costs the next one nothing but a reconnect."""
    with _breakable(make_app, is_postgresql, database_url) as (app, break_every_connection):
        client = client_as(app, admin_token)
        created = client.post("/api/v1/nodes", json={"kind": "mission", "title": "M"})
        assert created.status_code == 201
        node_id = created.get_json()["id"]
        assert client.get(f"/api/v1/nodes/{node_id}/trace/up").status_code == 200

        for path in (f"/api/v1/nodes/{node_id}/trace/up", "/api/v1/nodes"):
            break_every_connection()  # while idle, between two requests
            response = client.get(path)
            assert response.status_code == 200, (path, response.get_data(as_text=True))


def test_a_connection_lost_while_replaying_a_write_is_replaced(
    make_app, admin_token, is_postgresql, database_url, monkeypatch
):
    """The replay's connection dies after the revision read: 503, then the next read works."""
    from service.graphstore import Graph

    with _breakable(make_app, is_postgresql, database_url) as (app, break_every_connection):
        client = client_as(app, admin_token)
        node_id = client.post("/api/v1/nodes", json={"kind": "mission", "title": "M"}).json["id"]
        trace = f"/api/v1/nodes/{node_id}/trace/up"
        assert client.get(trace).status_code == 200
        assert client.patch(f"/api/v1/nodes/{node_id}", json={"title": "N"}).status_code == 200
        replay = Graph.replay

        def broken(graph, *args):
            monkeypatch.setattr(Graph, "replay", replay)  # once
            break_every_connection()
            return replay(graph, *args)

        monkeypatch.setattr(Graph, "replay", broken)
        failed = client.get(trace)
        assert failed.status_code == 503, failed.get_data(as_text=True)
        assert failed.mimetype == "application/problem+json"

        answer = client.get(trace)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.json["nodes"][0]["title"] == "N"
        assert app.extensions["graph_store"].full_builds == 1


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
def test_open_endpoints_answer_without_the_database_layer(anonymous, path):
    assert anonymous.get(path).status_code == 200


@pytest.mark.live
def test_limits_and_metrics_hold_across_gunicorn_workers(app, database_url, admin_token, tmp_path):
    metrics_dir = tmp_path / "metrics"
    env = {
        "THROUGHLINE_AUTH_FAILURES_PER_MINUTE": "3",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }

    def writers():
        return {path.name.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}

    with LiveServer(database_url, workers=2, env=env, token=admin_token) as server:
        headers = {"Authorization": f"Bearer {admin_token}", "Connection": "close"}

        def read(_):
            # A session per thread: requests' sessions are not shared between threads.
            with requests.Session() as http:
                return http.get(server.url + "/api/v1/nodes", headers=headers, timeout=30)

        sent = 0
        with ThreadPoolExecutor(4) as pool:
            # Requests in parallel reach both workers (one alone may keep up with a series).
            while sent < 400 and (sent < 20 or len(writers()) < 2):
                assert {r.status_code for r in pool.map(read, range(4))} == {200}
                sent += 4
        guesses = [
            server.request(
                "GET",
                "/api/v1/nodes",
                headers={"Authorization": "Bearer tl_guess", "Connection": "close"},
            ).status_code
            for _ in range(6)
        ]
        metrics = server.request("GET", "/metrics").text

    assert guesses[:3] == [401, 401, 401] and set(guesses[3:]) == {429}
    assert len(writers()) == 2, "both workers should have answered some requests"
    served = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("throughline_http_requests_total")
        and 'endpoint="/api/v1/nodes"' in line
        and 'status="200"' in line
    ]
    assert sum(served) == sent


def test_a_database_without_the_schema_answers_503_migrations_pending(
    make_app, admin_token, is_postgresql, database_url, tmp_path
):
    engine = create_engine(database_url)
    if is_postgresql:
        # An empty schema alone on the search path hides every table.
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS behind")
        empty = make_url(database_url).update_query_dict({"options": "-csearch_path=behind"})
        database_url = empty.render_as_string(hide_password=False)
    else:
        database_url = f"sqlite:///{tmp_path / 'empty.db'}"
    app = make_app(database_url=database_url)
    try:
        client = client_as(app, admin_token)
        for path in ("/api/v1/nodes", "/api/v1/nodes/1/trace/up"):
            response = client.get(path)
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.get_json()["code"] == "migrations_pending"
            assert response.headers["Retry-After"]
    finally:
        if is_postgresql:
            app.extensions["database"].dispose()
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA behind")
        engine.dispose()


def test_only_a_missing_table_or_column_reads_as_a_schema_behind_the_code():
    from service.errors import _schema_is_behind

    class Orig(Exception):
        def __init__(self, message, sqlstate=None):
            super().__init__(message)
            self.sqlstate = sqlstate

    def behind(message, sqlstate=None):
        return _schema_is_behind(exc.ProgrammingError("SELECT", {}, Orig(message, sqlstate)))

    assert behind('relation "nodes" does not exist', "42P01")
    assert behind('column "ref" does not exist', "42703")
    assert behind("no such table: nodes") and behind("table nodes has no column named ref")
    assert not behind("permission denied for table nodes", "42501")
    assert not behind('syntax error at or near "SELEC"', "42601")
    assert not behind("Cannot operate on a closed database.")


def test_a_revision_statement_the_server_forgot_is_prepared_again(app, client, is_postgresql):
    """PostgreSQL's held connection runs a statement prepared once; a pooler in between may
    lose it. SQLite's reads with a plain cursor and has nothing to lose."""
    assert client.get("/api/v1/nodes").status_code == 200
    database = app.extensions["database"]
    with app.app_context():
        held = database._held
        pgconn = getattr(held.dbapi_connection, "pgconn", None)
        assert (pgconn is not None) == is_postgresql
        if pgconn is not None:
            pgconn.exec_(b"DEALLOCATE throughline_revisions")

        assert database.revisions() == database.revisions()
        assert client.get("/api/v1/nodes").status_code == 200
