"""Every wait for the database is bounded: a database lost from the network or stuck behind
a lock gives 503s.

Packets dropped without a reset once left requests hanging for as long as the loss lasted,
and for tens of seconds after it (TCP's retransmission back-off).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from models.database import Timeouts, make_engine
from service.db import database, session
from tests.conftest import client_as
from tests.nginx import require
from tests.proxy import Proxy

SHORT = {
    "db_connect_timeout": 2,
    "db_network_timeout": 2,
    "db_statement_timeout": 3,
    "db_pool_timeout": 2,
}


def _iptables() -> str:
    iptables = require("iptables")
    if subprocess.run([iptables, "-w", "-L", "-n"], capture_output=True).returncode != 0:
        message = "iptables cannot change rules here (it needs root)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the packet-loss test.", pytrace=False)
        pytest.skip(message)
    return iptables


@contextlib.contextmanager
def _packets_dropped(iptables: str, port: int):
    """Loopback packets to and from ``port`` vanish, with no reset, until the block ends."""
    rules = [
        ["-i", "lo", "-p", "tcp", side, str(port), "-j", "DROP"] for side in ("--dport", "--sport")
    ]
    for rule in rules:
        subprocess.run([iptables, "-w", "-I", "INPUT", *rule], check=True)
    try:
        yield
    finally:
        for rule in rules:
            subprocess.run([iptables, "-w", "-D", "INPUT", *rule], check=True)


@contextlib.contextmanager
def _one_thread():
    """Calls run on one thread (it keeps its revision connection), each failing after 30 s.

    A request that hangs fails the test instead of hanging it.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:

        def timed(call) -> tuple[float, object]:
            started = time.monotonic()
            response = pool.submit(call).result(timeout=30)
            return time.monotonic() - started, response

        yield timed


def test_packet_loss_answers_503_within_bounds_and_recovers(
    make_app, admin_token, is_postgresql, database_url
):
    if not is_postgresql:
        pytest.skip("SQLite has no network to lose")
    iptables = _iptables()
    url = make_url(database_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        app = make_app(database_url=proxied.render_as_string(hide_password=False), **SHORT)
        client = client_as(app, admin_token)
        with _one_thread() as timed:
            assert timed(lambda: client.get("/api/v1/nodes"))[1].status_code == 200

            with _packets_dropped(iptables, proxy.port):
                for call in (
                    lambda: client.get("/api/v1/nodes"),
                    lambda: client.post("/api/v1/nodes", json={"kind": "work", "title": "lost"}),
                    lambda: client.get("/api/v1/analysis/health"),
                ):
                    elapsed, response = timed(call)
                    assert response.status_code == 503, response.get_data(as_text=True)
                    assert response.mimetype == "application/problem+json"
                    assert elapsed < 10  # connect and network timeouts, twice at most

            back = time.monotonic()
            while (response := timed(lambda: client.get("/api/v1/nodes"))[1]).status_code != 200:
                assert time.monotonic() - back < 10, response.get_data(as_text=True)
            created = timed(
                lambda: client.post("/api/v1/nodes", json={"kind": "work", "title": "back"})
            )[1]
            assert created.status_code == 201
            assert time.monotonic() - back < 10
    finally:
        proxy.stop()


def test_a_write_stuck_behind_a_lock_answers_503_within_the_statement_timeout(
    make_app, admin_token, is_postgresql, database_url
):
    app = make_app(**SHORT)
    client = client_as(app, admin_token)
    assert client.get("/api/v1/nodes").status_code == 200
    engine = make_engine(database_url)
    blocker = engine.raw_connection()
    try:
        if is_postgresql:
            blocker.cursor().execute("LOCK TABLE graph_state IN EXCLUSIVE MODE")
        else:
            blocker.driver_connection.isolation_level = None
            blocker.cursor().execute("BEGIN IMMEDIATE")  # holds SQLite's write lock

        started = time.monotonic()
        response = client.post("/api/v1/nodes", json={"kind": "work", "title": "waits"})

        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.json["code"] == "database_unavailable"
        assert time.monotonic() - started < SHORT["db_statement_timeout"] + 3
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()
    assert client.post("/api/v1/nodes", json={"kind": "work", "title": "ok"}).status_code == 201


def test_postgresql_connections_carry_every_bound():
    args = Timeouts(connect=3, network=10, statement=7, pool=4).postgresql_connect_args()

    assert args["connect_timeout"] == 3
    assert args["tcp_user_timeout"] == 10_000
    assert args["keepalives"] == 1
    # An idle connection whose peer vanished is found within the network timeout.
    assert args["keepalives_idle"] + args["keepalives_interval"] * args["keepalives_count"] <= 10
    assert args["options"] == "-c statement_timeout=7000"


def test_the_service_engines_apply_the_configured_bounds(make_app, is_postgresql):
    app = make_app(**SHORT)
    with app.app_context():
        engines = (database().engine, database().revision_engine)
        if is_postgresql:
            assert session().execute(text("SHOW statement_timeout")).scalar() == "3s"
            assert database().engine.pool.timeout() == 2
        else:
            assert session().execute(text("PRAGMA busy_timeout")).scalar() == 3000
        for engine in engines:
            with engine.connect() as connection:
                if is_postgresql:
                    info = connection.connection.dbapi_connection.info
                    assert info.get_parameters()["tcp_user_timeout"] == "2000"
                    assert info.get_parameters()["connect_timeout"] == "2"
                else:
                    busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                    assert busy == 3000
