"""Link rules hold when requests race: the check and the write are serialized."""

from __future__ import annotations

import threading

from tests import factories as f
from tests.conftest import client_as


def _race(app, token, bodies):
    barrier = threading.Barrier(len(bodies))
    statuses = [None] * len(bodies)

    def post(index, body):
        client = client_as(app, token)
        barrier.wait()
        statuses[index] = client.post("/api/v1/links", json=body).status_code

    threads = [threading.Thread(target=post, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_two_opposite_links_at_once_never_make_a_cycle(app, client, admin_token):
    for _ in range(5):
        a, b = f.node(client, "strategy"), f.node(client, "strategy")

        statuses = _race(
            app,
            admin_token,
            [
                {"source_id": a["id"], "target_id": b["id"]},
                {"source_id": b["id"], "target_id": a["id"]},
            ],
        )

        assert sorted(statuses) == [201, 409]
        between = client.get(f"/api/v1/links?node_id={a['id']}").get_json()
        assert between["total"] == 1


def test_the_same_link_twice_at_once_is_created_once(app, client, admin_token):
    goal, work = f.node(client, "goal"), f.node(client)

    statuses = _race(app, admin_token, [{"source_id": work["id"], "target_id": goal["id"]}] * 4)

    assert sorted(statuses) == [201, 409, 409, 409]
