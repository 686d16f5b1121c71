"""Key results, check-ins and the progress they roll up into."""

from __future__ import annotations

import pytest

from tests import factories as f


def _kr(client, goal, **fields):
    body = {
        "metric": "sales.revenue",
        "direction": "increase",
        "start_value": 0,
        "target_value": 100,
        **fields,
    }
    response = client.post(f"/api/v1/nodes/{goal['id']}/key-results", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_key_result_is_created_without_a_current_value(client):
    goal = f.node(client, "goal")

    kr = _kr(client, goal, unit="EUR", weight=2, confidence=0.5)

    assert (kr["current_value"], kr["progress"], kr["weight"]) == (None, None, 2.0)
    listed = client.get(f"/api/v1/nodes/{goal['id']}/key-results").get_json()
    assert [item["id"] for item in listed["items"]] == [kr["id"]]


def test_key_results_only_on_goals(client):
    work = f.node(client, "work")

    response = client.post(
        f"/api/v1/nodes/{work['id']}/key-results",
        json={"metric": "m", "direction": "increase", "start_value": 0, "target_value": 1},
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == "key_results_on_goals_only"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"start_value": 5, "target_value": 5}, "empty_span"),
        ({"direction": "decrease", "start_value": 0, "target_value": 10}, "direction_mismatch"),
    ],
)
def test_key_result_span_is_checked(client, fields, code):
    goal = f.node(client, "goal")
    body = {"metric": "m", "direction": "increase", **fields}

    response = client.post(f"/api/v1/nodes/{goal['id']}/key-results", json=body)

    assert response.status_code == 422
    assert response.get_json()["code"] == code


@pytest.mark.parametrize("value", ["12", None, float("nan")])
def test_key_result_values_are_json_numbers(client, value):
    goal = f.node(client, "goal")
    body = {"metric": "m", "direction": "increase", "start_value": value, "target_value": 10}

    response = client.post(
        f"/api/v1/nodes/{goal['id']}/key-results",
        data=__import__("json").dumps(body),
        content_type="application/json",
    )

    assert response.status_code in (400, 422)


def test_check_ins_move_the_value_and_keep_history_newest_first(client):
    goal = f.node(client, "goal")
    kr = _kr(client, goal)

    for value in (10, 40):
        response = client.post(
            f"/api/v1/key-results/{kr['id']}/check-ins",
            json={"value": value, "confidence": 0.8, "note": f"at {value}"},
        )
        assert response.status_code == 201
        assert response.get_json()["actor"].startswith("token:")

    current = client.get(f"/api/v1/key-results/{kr['id']}").get_json()
    assert (current["current_value"], current["confidence"], current["progress"]) == (
        40.0,
        0.8,
        0.4,
    )
    history = client.get(f"/api/v1/key-results/{kr['id']}/check-ins").get_json()
    assert [item["value"] for item in history["items"]] == [40.0, 10.0]


def test_check_ins_cannot_be_changed_or_deleted(client):
    kr = _kr(client, f.node(client, "goal"))
    client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 1})

    url = f"/api/v1/key-results/{kr['id']}/check-ins"
    assert client.delete(url).status_code == 405
    assert client.patch(url, json={"value": 2}).status_code == 405


def test_goal_progress_is_the_weighted_mean_of_its_key_results(client):
    goal = f.node(client, "goal")
    first = _kr(client, goal, weight=3)
    second = _kr(client, goal, direction="decrease", start_value=100, target_value=50)
    _kr(client, goal)  # no value yet: left out of the mean
    client.post(f"/api/v1/key-results/{first['id']}/check-ins", json={"value": 50})
    client.post(f"/api/v1/key-results/{second['id']}/check-ins", json={"value": 90})

    body = client.get(f"/api/v1/nodes/{goal['id']}").get_json()

    assert body["progress"] == pytest.approx((3 * 0.5 + 1 * 0.2) / 4)


def test_progress_rolls_up_with_link_weights(client):
    strategy = f.node(client, "strategy")
    done = f.node(client, "work", status="done")
    halfway = f.node(client, "work", reported_progress=0.5)
    cancelled = f.node(client, "work", status="cancelled")
    f.link(client, done, strategy, weight=0.25)
    f.link(client, halfway, strategy, weight=0.75)
    f.link(client, cancelled, strategy)

    body = client.get(f"/api/v1/nodes/{strategy['id']}").get_json()

    assert body["progress"] == pytest.approx(0.25 * 1 + 0.75 * 0.5)


def test_changing_a_key_result_target_makes_child_links_suspect(client):
    goal, work = f.chain(client, "goal", "work")
    kr = _kr(client, goal)
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 1

    client.post(f"/api/v1/links/{_only_link(client)}/review", json={"restatement": "still"})
    client.patch(f"/api/v1/key-results/{kr['id']}", json={"target_value": 200})

    body = client.get("/api/v1/analysis/suspect-links").get_json()
    assert body["total"] == 1
    before, after = body["items"][0]["changes"]["key_results"]
    assert (before[0]["target_value"], after[0]["target_value"]) == (100.0, 200.0)


def test_a_check_in_does_not_make_links_suspect(client):
    goal, work = f.chain(client, "goal", "work")
    kr = _kr(client, goal)
    client.post(f"/api/v1/links/{_only_link(client)}/review", json={"restatement": "ok"})

    client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 5})

    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 0


def test_deleting_a_key_result(client):
    kr = _kr(client, f.node(client, "goal"))
    client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 5})

    assert client.delete(f"/api/v1/key-results/{kr['id']}").status_code == 204
    assert client.get(f"/api/v1/key-results/{kr['id']}").status_code == 404


def test_metric_conflict_between_teams(client):
    q4 = f.period(client)
    finance = f.node(client, "goal", title="Reduce discount rate", period_id=q4["id"])
    sales = f.node(client, "goal", title="Increase discount rate", period_id=q4["id"])
    down = _kr(
        client,
        finance,
        metric="sales.discount_rate",
        direction="decrease",
        start_value=0.2,
        target_value=0.1,
    )
    up = _kr(
        client,
        sales,
        metric="sales.discount_rate",
        direction="increase",
        start_value=0.2,
        target_value=0.3,
    )

    body = client.get("/api/v1/analysis/conflicts?type=metric").get_json()

    assert body["total"] == 1
    conflict = body["items"][0]
    assert conflict["node_ids"] == sorted([finance["id"], sales["id"]])
    assert sorted(conflict["key_result_ids"]) == sorted([down["id"], up["id"]])


def test_stale_key_results_are_listed_and_counted(app, client):
    goal = f.node(client, "goal")
    kr = _kr(client, goal)
    _age_key_result(app, kr["id"], days=20)  # before any read loads the graph

    body = client.get("/api/v1/analysis/stale").get_json()
    health = client.get("/api/v1/analysis/health").get_json()

    assert [item["key_result"]["id"] for item in body["items"]] == [kr["id"]]
    assert body["days"] == 14
    assert health["stale_key_results"] == 1
    assert client.get("/api/v1/analysis/stale?days=30").get_json()["total"] == 0


def _age_key_result(app, kr_id, days):
    import datetime as dt

    from sqlalchemy import update

    from models import KeyResult

    engine = app.extensions["database"].engine
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with engine.begin() as connection:
        connection.execute(update(KeyResult).where(KeyResult.id == kr_id).values(created_at=old))


def _only_link(client):
    return client.get("/api/v1/links").get_json()["items"][0]["id"]
