"""Slow and malformed clients against a live ``throughline serve``, alone and behind nginx.

Two connections that announce a body and never send it once held both sync workers for
gunicorn's whole timeout; errors gunicorn answered itself were HTML.
"""

from __future__ import annotations

import json
import re
import socket
import time
from contextlib import ExitStack

import pytest
import requests

from service.config import Config
from service.http import IMPORT_PATHS
from tests.live import LiveServer
from tests.nginx import Nginx, compose_nginx_config, compose_services

pytestmark = pytest.mark.live

SLOW_BODY = (
    b"POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100\r\n\r\n0123456789"
)
SLOW_HEADERS = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"


def _open(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(data)
    return sock


def _answer(sock: socket.socket, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Status, headers and body of the one answer on ``sock`` (read until it closes)."""
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def _raw(port: int, data: bytes) -> tuple[int, dict, bytes]:
    return _answer(_open(port, data))


def _healthz_seconds(url: str) -> float:
    started = time.monotonic()
    response = requests.get(url + "/healthz", timeout=2)
    assert response.status_code == 200
    return time.monotonic() - started


def _assert_problem(status: int, headers: dict, body: bytes, expected: int) -> dict:
    assert status == expected, body
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == expected and problem["code"] and problem["detail"]
    assert problem["type"].endswith(problem["code"])
    return problem


@pytest.fixture(scope="module")
def server(database_url):
    env = {"THROUGHLINE_CLIENT_HEADER_TIMEOUT": "0.5", "THROUGHLINE_CLIENT_BODY_TIMEOUT": "0.5"}
    with LiveServer(database_url, workers=2, env=env) as live:
        yield live


@pytest.mark.parametrize("request_start", [SLOW_BODY, SLOW_HEADERS], ids=["body", "headers"])
def test_slow_clients_cannot_starve_the_workers(server, request_start):
    slow = [_open(server.port, request_start) for _ in range(2)]
    time.sleep(0.2)  # both workers are now reading from a slow client

    assert _healthz_seconds(server.url) < 2
    for sock in slow:
        problem = _assert_problem(*_answer(sock), 408)
        assert problem["code"] == "request_timeout"


def test_a_trickling_client_gains_nothing(server):
    started = time.monotonic()
    with (
        _open(server.port, b"GET /healthz HTTP/1.1\r\n") as sock,
        pytest.raises(OSError),  # the server closes the connection after its 408
    ):
        for _ in range(30):
            time.sleep(0.1)
            sock.sendall(b"X")
    assert time.monotonic() - started < 2


def test_a_body_sent_in_time_is_read_ahead_and_served(server):
    body = json.dumps({"kind": "work", "title": "slow but steady"}).encode()
    sock = _open(
        server.port,
        b"POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body),
    )
    for piece in (body[:10], body[10:]):
        time.sleep(0.15)  # within the 0.5 s the server gives a body
        sock.sendall(piece)

    status, headers, answer = _answer(sock)

    _assert_problem(status, headers, answer, 401)  # read in full: the app saw it and asked who


def test_a_client_that_expects_100_continue_is_told_to_send(server):
    body = json.dumps({"kind": "work", "title": "after the go-ahead"}).encode()
    sock = _open(
        server.port,
        b"POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body),
    )
    sock.settimeout(2)
    assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
    sock.sendall(body)

    _assert_problem(*_answer(sock), 401)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad\x01Header: y\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400),
        (
            b"POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
        ),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    ],
    ids=["header-bytes", "header-too-large", "request-line", "version", "chunk", "coding"],
)
def test_errors_gunicorn_answers_itself_are_problems(server, request_bytes, status):
    _assert_problem(*_raw(server.port, request_bytes), status)


def test_nginx_limits_match_the_service():
    config = compose_nginx_config()
    sizes = re.findall(r"client_max_body_size (\d+)m;", config)
    import_sizes = [
        re.search(
            r"client_max_body_size (\d+)m;", config[config.index(f"location = {path} {{") :]
        ).group(1)
        for path in sorted(IMPORT_PATHS)
    ]

    service = Config.from_env(
        {k: str(v) for k, v in compose_services()["api"]["environment"].items()}
    )

    assert int(sizes[0]) * 2**20 == service.max_body_bytes
    assert {int(size) * 2**20 for size in import_sizes} == {service.max_import_bytes}
    assert "proxy_request_buffering on;" in config and "proxy_buffering on;" in config


@pytest.fixture(scope="module")
def proxied(database_url):
    """The compose set-up: nginx in front of a server with its default client deadlines."""
    with ExitStack() as stack:
        live = stack.enter_context(LiveServer(database_url, workers=2))
        yield stack.enter_context(Nginx(live.port))


def test_behind_nginx_slow_clients_never_reach_a_worker(proxied):
    slow = [_open(proxied.port, SLOW_BODY) for _ in range(4)]
    slow += [_open(proxied.port, SLOW_HEADERS) for _ in range(4)]
    time.sleep(0.2)

    assert _healthz_seconds(proxied.url) < 2
    for sock in slow:
        sock.close()


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [("/api/v1/nodes", 2 * 2**20, 413), ("/api/v1/import", 2 * 2**20, 401)],
)
def test_nginx_refuses_large_bodies_where_the_service_would(proxied, path, size, status):
    response = requests.post(
        proxied.url + path,
        data=b"x" * size,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"


def test_nginx_passes_the_request_id_on(proxied):
    given = requests.get(proxied.url + "/healthz", headers={"X-Request-ID": "abc-123"}, timeout=5)
    made = requests.get(proxied.url + "/healthz", timeout=5)

    assert given.headers["X-Request-ID"] == "abc-123"
    assert len(made.headers["X-Request-ID"]) == 32


def test_nginx_answers_its_own_errors_as_problems(proxied):
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"
    _assert_problem(*_raw(proxied.port, big), 431)
    _assert_problem(*_raw(proxied.port, b"GET /healthz HTTP/1.1\r\n\r\n"), 400)  # no Host


def test_nginx_answers_problem_502_when_the_service_is_away():
    with Nginx(_closed_port()) as nginx:
        response = requests.get(nginx.url + "/healthz", timeout=10)

    assert response.status_code == 502
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "bad_gateway"


def _closed_port() -> int:
    from tests.live import free_port

    return free_port()
