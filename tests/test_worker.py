"""The worker's client deadlines, on a socket pair."""

from __future__ import annotations

import json
import socket
import time

import pytest

from service.worker import LINGER_SECONDS, ClientTooSlow, DeadlineSocket, problem_bytes


@pytest.fixture
def pair():
    server, client = socket.socketpair()
    yield server, client
    server.close()
    client.close()


def test_a_silent_client_fails_at_its_deadline(pair):
    server, _client = pair
    timed = DeadlineSocket(server, 0.2)
    started = time.monotonic()

    with pytest.raises(ClientTooSlow):
        timed.recv(10)
    assert 0.15 < time.monotonic() - started < 1


def test_bytes_received_extend_a_body_deadline(pair):
    server, client = pair
    timed = DeadlineSocket(server, 5)
    timed.restart(0.2, rate=10)  # ten bytes buy a second

    client.sendall(b"x" * 10)
    assert timed.recv(10) == b"x" * 10
    time.sleep(0.3)  # past the first 0.2 s, within the credit
    client.sendall(b"y")

    assert timed.recv(1) == b"y"


def test_a_closing_socket_lingers_briefly_and_quietly(pair):
    server, _client = pair
    timed = DeadlineSocket(server, 60)
    timed.shutdown(socket.SHUT_WR)
    started = time.monotonic()

    with pytest.raises(TimeoutError):  # what gunicorn's closing handshake expects
        timed.recv(10)
    assert time.monotonic() - started < LINGER_SECONDS + 0.5


def test_problem_bytes_are_a_whole_problem_response():
    head, _, body = problem_bytes(408, "Too slow.").partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")

    assert lines[0] == "HTTP/1.1 408 Request Timeout"
    assert "Content-Type: application/problem+json" in lines
    assert f"Content-Length: {len(body)}" in lines
    assert json.loads(body) == {
        "type": "https://throughline.dev/problems/request_timeout",
        "title": "Request Timeout",
        "status": 408,
        "detail": "Too slow.",
        "code": "request_timeout",
    }
