"""Teams, people and periods."""

from __future__ import annotations

import pytest

from tests import factories as f


def test_team_crud(client):
    parent = f.team(client, "Engineering")
    child = f.team(client, "Platform", parent_id=parent["id"])

    assert client.get(f"/api/v1/teams/{child['id']}").get_json()["parent_id"] == parent["id"]
    renamed = client.patch(f"/api/v1/teams/{child['id']}", json={"name": "Infra"}).get_json()
    assert renamed["name"] == "Infra"
    assert client.get(f"/api/v1/teams?parent_id={parent['id']}").get_json()["total"] == 1
    assert client.delete(f"/api/v1/teams/{child['id']}").status_code == 204


def test_team_cannot_sit_below_itself(client):
    top = f.team(client, "Top")
    middle = f.team(client, "Middle", parent_id=top["id"])

    response = client.patch(f"/api/v1/teams/{top['id']}", json={"parent_id": middle["id"]})

    assert response.status_code == 409
    assert response.get_json()["code"] == "cycle"


def test_person_has_teams(client):
    a, b = f.team(client, "A"), f.team(client, "B")

    person = f.person(client, "Ada", email="ada@example.com", team_ids=[a["id"], b["id"]])

    assert person["team_ids"] == [a["id"], b["id"]]
    assert client.get(f"/api/v1/people?team_id={b['id']}").get_json()["total"] == 1
    moved = client.patch(f"/api/v1/people/{person['id']}", json={"team_ids": [b["id"]]})
    assert moved.get_json()["team_ids"] == [b["id"]]
    assert moved.get_json()["version"] == person["version"] + 1


def test_person_with_unknown_team_is_422(client):
    response = client.post("/api/v1/people", json={"name": "Ada", "team_ids": [999]})

    assert response.status_code == 422
    assert response.get_json()["code"] == "unknown_reference"


def test_person_email_is_checked(client):
    response = client.post("/api/v1/people", json={"name": "Ada", "email": "not-an-email"})

    assert response.status_code == 422
    assert "email" in response.get_json()["errors"]


def test_period_end_must_not_precede_start(client):
    response = client.post(
        "/api/v1/periods",
        json={"name": "Q", "start_date": "2026-12-31", "end_date": "2026-10-01"},
    )

    assert response.status_code == 422


def test_period_patch_checks_order_against_stored_dates(client):
    period = f.period(client)

    response = client.patch(f"/api/v1/periods/{period['id']}", json={"end_date": "2026-01-01"})

    assert response.status_code == 422
    assert response.get_json()["code"] == "date_order"


def test_periods_active_on_a_date(client):
    f.period(client, "Q4", "2026-10-01", "2026-12-31")
    f.period(client, "Q1", "2027-01-01", "2027-03-31")

    body = client.get("/api/v1/periods?active_on=2027-02-01").get_json()

    assert [p["name"] for p in body["items"]] == ["Q1"]


@pytest.mark.parametrize(
    ("resource", "field"), [("teams", "team_id"), ("people", "owner_id"), ("periods", "period_id")]
)
def test_resource_in_use_is_not_deleted(client, resource, field):
    made = {
        "teams": lambda: f.team(client),
        "people": lambda: f.person(client),
        "periods": lambda: f.period(client),
    }[resource]()
    node = f.node(client, **{field: made["id"]})

    response = client.delete(f"/api/v1/{resource}/{made['id']}")

    assert response.status_code == 409
    assert response.get_json()["code"] == "in_use"
    assert response.get_json()["node_ids"] == [node["id"]]


def test_stale_if_match_on_team_is_412(client):
    team = f.team(client)
    client.patch(f"/api/v1/teams/{team['id']}", json={"name": "new"})

    response = client.patch(
        f"/api/v1/teams/{team['id']}", json={"name": "newer"}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 412
