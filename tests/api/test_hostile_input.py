"""Hostile bodies, URLs and claims: each is a 400 or 422 problem and changes nothing."""

from __future__ import annotations

import io
import socket

import pytest
from gunicorn.http.errors import InvalidChunkSize
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests import factories as f
from tests.live import LiveServer

PROBLEM = "application/problem+json"
LONE = "a\\ud800b"  # a lone surrogate, as a JSON escape


@pytest.fixture
def world(client):
    goal = f.node(client, "goal", title="Goal")
    work = f.node(client, "work", title="Work")
    link = f.link(client, work, goal)
    kr = f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="m.x",
        direction="increase",
        start_value=0,
        target_value=10,
    )
    return {"goal": goal, "work": work, "link": link, "kr": kr}


def _raw(client, method, path, body: str):
    return client.open(path, method=method, data=body, content_type="application/json")


def _audit_total(client):
    return client.get("/api/v1/audit").get_json()["total"]


def _refused(response, *statuses):
    assert response.status_code in statuses, response.get_json()
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/nodes", '{"kind": "work", "title": "%s"}'),
        ("POST", "/api/v1/teams", '{"name": "%s"}'),
        ("POST", "/api/v1/people", '{"name": "%s"}'),
        ("POST", "/api/v1/people", '{"name": "p", "%s": 1}'),  # in a key too
        ("POST", "/api/v1/key-results/{kr}/check-ins", '{"value": 1, "note": "%s"}'),
        ("POST", "/api/v1/links/{link}/review", '{"restatement": "%s"}'),
        ("PATCH", "/api/v1/nodes/{goal}", '{"description": "%s"}'),
        ("POST", "/api/v1/import", '{"nodes": [{"ref": "x", "kind": "work", "title": "%s"}]}'),
        (
            "POST",
            "/api/v1/import?dry_run=true",
            '{"nodes": [{"ref": "x", "kind": "work", "title": "%s"}]}',
        ),
    ],
)
def test_a_lone_surrogate_anywhere_is_refused(client, world, method, path, body):
    ids = {"kr": world["kr"]["id"], "link": world["link"]["id"], "goal": world["goal"]["id"]}
    before = _audit_total(client)

    response = _raw(client, method, path.format(**ids), body % LONE)

    _refused(response, 400)
    assert response.get_json()["code"] == "malformed_json"
    assert _audit_total(client) == before


def test_a_surrogate_pair_is_text(client):
    response = _raw(client, "POST", "/api/v1/nodes", '{"kind": "work", "title": "\\ud83d\\ude00"}')

    assert response.status_code == 201
    assert response.get_json()["title"] == "\U0001f600"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/key-results/{kr}/check-ins", '{"value": %s}'),
        (
            "/api/v1/nodes/{goal}/key-results",
            '{"metric": "m", "direction": "increase", "start_value": 0, "target_value": %s}',
        ),
        (
            "/api/v1/import",
            '{"key_results": [{"ref": "k", "goal": "g", "metric": "m", '
            '"direction": "increase", "start_value": 0, "target_value": %s}]}',
        ),
        ("/api/v1/teams", '{"name": "t", "parent_id": %s}'),
    ],
)
@pytest.mark.parametrize(("digits", "status"), [(5000, 400), (1000, 422), (400, 422)])
def test_huge_integers_are_refused(client, world, path, body, digits, status):
    ids = {"kr": world["kr"]["id"], "goal": world["goal"]["id"]}
    before = _audit_total(client)

    response = _raw(client, "POST", path.format(**ids), body % ("9" * digits))

    _refused(response, status)
    assert _audit_total(client) == before


class _BadChunks(io.RawIOBase):
    """A body stream that fails as gunicorn's does on a chunk size that is not hex."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise InvalidChunkSize("zz")


def test_a_malformed_chunked_body_is_400(app, client):
    before = _audit_total(client)
    environ = EnvironBuilder(
        "/api/v1/nodes",
        method="POST",
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked", **_auth(client)},
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = _BadChunks()  # as gunicorn's reader of a chunk size "zz"
    environ["wsgi.input_terminated"] = True

    body, status, headers = run_wsgi_app(app, environ, buffered=True)

    assert status.startswith("400")
    assert Headers(headers)["Content-Type"] == PROBLEM
    assert b"bad_request" in b"".join(body)
    assert _audit_total(client) == before


def _auth(client):
    return {"Authorization": client.environ_base["HTTP_AUTHORIZATION"]}


@pytest.mark.parametrize("ref", ["%ED%A0%80", "%FF", "a%C3"])
def test_a_path_that_is_not_utf8_is_refused_and_stores_nothing(client, ref):
    response = client.put(f"/api/v1/nodes/by-ref/{ref}", json={"kind": "work", "title": "x"})

    _refused(response, 400)
    assert response.get_json()["code"] == "malformed_url"
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_a_query_string_that_is_not_utf8_is_refused(client):
    _refused(client.get("/api/v1/nodes?ref=%ED%A0%80"), 400)


def test_a_replacement_character_spelled_out_is_a_ref_like_any_other(client):
    response = client.put("/api/v1/nodes/by-ref/%EF%BF%BD", json={"kind": "work", "title": "x"})

    assert response.status_code == 201
    assert response.get_json()["ref"] == "\ufffd"


def _send(server, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(raw)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.live
def test_a_real_server_answers_hostile_requests_with_problems(database_url, admin_token):
    auth = f"Authorization: Bearer {admin_token}\r\n".encode()
    with LiveServer(database_url, workers=1, token=admin_token) as server:
        chunked = _send(
            server,
            b"POST /api/v1/nodes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n",
        )
        bad_path = _send(
            server,
            b"PUT /api/v1/nodes/by-ref/%ED%A0%80 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + b"Content-Type: application/json\r\nContent-Length: 31\r\n\r\n"
            + b'{"kind": "work", "title": "xx"}',
        )
        nodes = server.request("GET", "/api/v1/nodes").json()["total"]
        print(server.output()[-20_000:])  # shown when the test fails: any traceback

    for answer in (chunked, bad_path):
        head = answer.split(b"\r\n\r\n", 1)[0]
        assert head.startswith(b"HTTP/1.1 400"), answer[:300]
        assert b"application/problem+json" in head
    assert nodes == 0
