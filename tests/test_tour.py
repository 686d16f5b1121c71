"""The README's tour, against a real server with two gunicorn workers."""

from __future__ import annotations

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.live


@pytest.fixture
def server(app, database_url, admin_token):
    with LiveServer(database_url, workers=2, token=admin_token) as live:
        yield live


def test_scripted_tour(server):
    def post(path, body, status=201):
        response = server.request("POST", path, json=body)
        assert response.status_code == status, response.text
        return response.json()

    ids = {}
    for kind, parent in [
        ("mission", None),
        ("vision", "mission"),
        ("strategy", "vision"),
        ("goal", "strategy"),
        ("work", "goal"),
    ]:
        ids[kind] = post("/api/v1/nodes", {"kind": kind, "title": f"The {kind}"})["id"]
        if parent:
            post("/api/v1/links", {"source_id": ids[kind], "target_id": ids[parent]})

    cycle = post("/api/v1/links", {"source_id": ids["vision"], "target_id": ids["strategy"]}, 422)
    assert cycle["code"] == "level"
    other = post("/api/v1/nodes", {"kind": "strategy", "title": "Another strategy"})
    post("/api/v1/links", {"source_id": other["id"], "target_id": ids["strategy"]})
    cycle = post("/api/v1/links", {"source_id": ids["strategy"], "target_id": other["id"]}, 409)
    assert (cycle["code"], cycle["cycle"]) == (
        "cycle",
        [ids["strategy"], other["id"], ids["strategy"]],
    )

    goal_url = f"/api/v1/nodes/{ids['goal']}"
    etag = server.request("GET", goal_url).headers["ETag"]
    assert (
        server.request(
            "PATCH", goal_url, json={"title": "Sharper goal"}, headers={"If-Match": etag}
        ).status_code
        == 200
    )
    stale = server.request(
        "PATCH", goal_url, json={"title": "Lost update"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.headers["Content-Type"] == "application/problem+json"

    malformed = server.request(
        "POST", "/api/v1/nodes", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert (malformed.status_code, malformed.json()["code"]) == (400, "malformed_json")

    # Every worker sees every committed write at once.
    for _ in range(6):
        assert server.request("GET", goal_url).json()["title"] == "Sharper goal"
