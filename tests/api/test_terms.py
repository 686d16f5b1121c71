"""Glossary terms and their definitions: CRUD, search, duplicates, permissions."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import client_as, make_token


def term(client, name="Customer", **fields) -> dict:
    return f.create(client, "terms", name=name, **fields)


def define(client, term_id, text="Someone who pays us.", team_id=None):
    return client.post(
        f"/api/v1/terms/{term_id}/definitions", json={"team_id": team_id, "text": text}
    )


@pytest.fixture
def teams(client):
    return f.team(client, "Sales"), f.team(client, "Support")


@pytest.fixture
def editor(app, client, teams):
    """An editor in the Sales team."""
    person = f.person(client, "Ed", team_ids=[teams[0]["id"]])
    return client_as(app, make_token(app, "editor", person["id"]))


@pytest.fixture
def viewer(app):
    return client_as(app, make_token(app, "viewer"))


# -- terms -------------------------------------------------------------------------------


def test_a_term_is_created_and_read_back_with_its_definitions(client, teams):
    made = term(client, aliases=["client"], metrics=["sales.nrr"])
    define(client, made["id"], "Who pays.", teams[1]["id"])
    define(client, made["id"], "Anyone we serve.")

    got = client.get(f"/api/v1/terms/{made['id']}")

    body = got.get_json()
    assert got.headers["ETag"] == f'"{body["version"]}"'
    assert (body["name"], body["aliases"], body["metrics"]) == (
        "Customer",
        ["client"],
        ["sales.nrr"],
    )
    assert [(d["team_id"], d["text"]) for d in body["definitions"]] == [
        (None, "Anyone we serve."),
        (teams[1]["id"], "Who pays."),
    ]


def test_a_term_is_renamed_and_its_aliases_replaced(client):
    made = term(client, aliases=["client"])

    changed = client.patch(f"/api/v1/terms/{made['id']}", json={"name": "Buyer", "aliases": []})

    assert changed.status_code == 200
    assert (changed.get_json()["name"], changed.get_json()["aliases"]) == ("Buyer", [])
    assert changed.get_json()["version"] == made["version"] + 1


def test_a_stale_if_match_is_refused(client):
    made = term(client)

    response = client.patch(
        f"/api/v1/terms/{made['id']}", json={"name": "Buyer"}, headers={"If-Match": '"99"'}
    )

    assert response.status_code == 412


def test_deleting_a_term_deletes_its_definitions(client, teams):
    made = term(client)
    define(client, made["id"], "Who pays.", teams[0]["id"])

    assert client.delete(f"/api/v1/terms/{made['id']}").status_code == 204
    assert client.get(f"/api/v1/terms/{made['id']}").status_code == 404
    assert client.get("/api/v1/terms").get_json()["total"] == 0


def test_term_writes_are_audited(client):
    made = term(client)
    client.patch(f"/api/v1/terms/{made['id']}", json={"metrics": ["a.b"]})

    events = client.get(f"/api/v1/audit?entity_type=term&entity_id={made['id']}").get_json()

    assert [e["action"] for e in events["items"]] == ["update", "create"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=CUST", ["Customer"]),
        ("q=CLIEN", ["Customer"]),
        ("q=churn", ["Churn"]),
        ("q=zzz", []),
        ("metric=sales.nrr", ["Customer"]),
        ("metric=sales", []),
        ("q=c&metric=support.churn", ["Churn"]),
    ],
)
def test_terms_are_found_by_name_alias_or_metric(client, query, expected):
    term(client, aliases=["client"], metrics=["sales.nrr"])
    term(client, "Churn", metrics=["support.churn"])
    term(client, "Runway")

    found = client.get(f"/api/v1/terms?{query}").get_json()

    assert [t["name"] for t in found["items"]] == expected
    assert found["total"] == len(expected)


def test_terms_are_paged(client):
    for name in ("A", "B", "C"):
        term(client, name)

    page = client.get("/api/v1/terms?limit=2&offset=1").get_json()

    assert [t["name"] for t in page["items"]] == ["B", "C"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert client.get("/api/v1/terms?limit=1001").status_code == 422


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"name": "Customer"}, {"name": "CUSTOMER"}),
        ({"name": "Customer"}, {"name": "customer "}),
        ({"name": "Customer success"}, {"name": "customer  Success"}),
        ({"name": "Customer", "aliases": ["client"]}, {"name": "Client"}),
        ({"name": "Customer"}, {"name": "Buyer", "aliases": ["customer"]}),
        ({"name": "Customer", "aliases": ["client"]}, {"name": "Buyer", "aliases": ["CLIENT"]}),
    ],
)
def test_a_name_or_alias_is_unique_across_terms_ignoring_case(client, first, second):
    held = term(client, **first)

    response = client.post("/api/v1/terms", json=second)

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert (response.get_json()["code"], response.get_json()["term_id"]) == (
        "duplicate_term",
        held["id"],
    )
    assert client.get("/api/v1/terms").get_json()["total"] == 1


def test_a_rename_onto_another_terms_alias_is_refused(client):
    term(client, aliases=["client"])
    other = term(client, "Buyer")

    response = client.patch(f"/api/v1/terms/{other['id']}", json={"name": "Client"})

    assert response.get_json()["code"] == "duplicate_term"
    assert client.get(f"/api/v1/terms/{other['id']}").get_json()["name"] == "Buyer"


def test_a_term_keeps_its_own_name_on_other_changes(client):
    made = term(client, aliases=["client"])

    response = client.patch(f"/api/v1/terms/{made['id']}", json={"name": "customer"})

    assert response.status_code == 200


@pytest.mark.parametrize("aliases", [["customer"], ["client", "CLIENT"]])
def test_an_alias_repeating_the_terms_own_names_is_refused(client, aliases):
    response = client.post("/api/v1/terms", json={"name": "Customer", "aliases": aliases})

    assert response.status_code == 422
    assert response.get_json()["code"] == "repeated_name"
    assert "aliases" in response.get_json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "ok", "aliases": [""]},
        {"name": "ok", "aliases": "client"},
        {"name": "ok", "metrics": ["Not A Key"]},
        {"name": "ok", "colour": "blue"},
    ],
)
def test_bad_terms_are_refused_and_nothing_is_made(client, body):
    response = client.post("/api/v1/terms", json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "validation_error"
    assert client.get("/api/v1/terms").get_json()["total"] == 0


# -- definitions -------------------------------------------------------------------------


def test_a_definition_is_changed_and_deleted(client, teams):
    made = term(client)
    definition = define(client, made["id"], "Who pays.", teams[0]["id"]).get_json()
    url = f"/api/v1/terms/{made['id']}/definitions/{definition['id']}"

    changed = client.patch(url, json={"text": "Who signs."})
    assert (changed.status_code, changed.get_json()["text"]) == (200, "Who signs.")
    assert client.delete(url).status_code == 204

    assert client.get(f"/api/v1/terms/{made['id']}").get_json()["definitions"] == []


def test_a_definition_of_another_term_is_not_found(client, teams):
    made, other = term(client), term(client, "Churn")
    definition = define(client, made["id"], "Who pays.").get_json()

    response = client.patch(
        f"/api/v1/terms/{other['id']}/definitions/{definition['id']}", json={"text": "x"}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("team", [0, None])
def test_a_term_has_one_definition_per_team_and_one_company_wide(client, teams, team):
    made = term(client)
    team_id = None if team is None else teams[team]["id"]
    held = define(client, made["id"], "Who pays.", team_id).get_json()

    response = define(client, made["id"], "Someone else.", team_id)

    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate"
    assert response.get_json()["definition_id"] == held["id"]
    assert len(client.get(f"/api/v1/terms/{made['id']}").get_json()["definitions"]) == 1


def test_two_teams_each_define_a_term(client, teams):
    made = term(client)

    for team in teams:
        assert define(client, made["id"], "Who pays.", team["id"]).status_code == 201


@pytest.mark.parametrize(
    "body",
    [{"team_id": None}, {"text": ""}, {"text": " "}, {"text": "x" * 2001}, {"text": "a", "x": 1}],
)
def test_bad_definitions_are_refused_and_nothing_is_made(client, body):
    made = term(client)

    response = client.post(f"/api/v1/terms/{made['id']}/definitions", json=body)

    assert response.status_code == 422
    assert client.get(f"/api/v1/terms/{made['id']}").get_json()["definitions"] == []


def test_a_definition_for_a_missing_team_or_term_is_refused(client):
    made = term(client)

    assert define(client, made["id"], "x", 999_999).get_json()["code"] == "unknown_reference"
    assert define(client, 999_999, "x").status_code == 404


# -- permissions -------------------------------------------------------------------------


def test_an_editor_defines_for_their_own_team(editor, client, teams):
    made = term(client)

    response = define(editor, made["id"], "Who pays.", teams[0]["id"])

    assert response.status_code == 201


def test_an_editor_may_not_define_for_another_team(editor, client, teams):
    made = term(client)

    response = define(editor, made["id"], "Who pays.", teams[1]["id"])

    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert client.get(f"/api/v1/terms/{made['id']}").get_json()["definitions"] == []


def test_only_admins_define_company_wide(editor, client):
    made = term(client)

    assert define(editor, made["id"], "Who pays.").status_code == 403
    assert define(client, made["id"], "Who pays.").status_code == 201


def test_an_editor_may_not_change_another_teams_definition(editor, client, teams):
    made = term(client)
    theirs = define(client, made["id"], "Who pays.", teams[1]["id"]).get_json()
    url = f"/api/v1/terms/{made['id']}/definitions/{theirs['id']}"

    assert editor.patch(url, json={"text": "Mine now."}).status_code == 403
    assert editor.delete(url).status_code == 403


def test_viewers_write_nothing(viewer, client, teams):
    made = term(client)

    assert viewer.post("/api/v1/terms", json={"name": "Churn"}).status_code == 403
    assert viewer.patch(f"/api/v1/terms/{made['id']}", json={"name": "X"}).status_code == 403
    assert define(viewer, made["id"], "x", teams[0]["id"]).status_code == 403
    assert viewer.get(f"/api/v1/terms/{made['id']}").status_code == 200


def test_an_editor_creates_and_renames_a_term_only_their_teams_define(editor, client, teams):
    made = f.create(editor, "terms", name="Churn")
    define(editor, made["id"], "Who leaves.", teams[0]["id"])

    assert (
        editor.patch(f"/api/v1/terms/{made['id']}", json={"name": "Attrition"}).status_code == 200
    )
    assert editor.delete(f"/api/v1/terms/{made['id']}").status_code == 204


@pytest.mark.parametrize("team", [1, None])
def test_an_editor_may_not_change_a_term_others_define(editor, client, teams, team):
    made = term(client)
    define(client, made["id"], "Who pays.", None if team is None else teams[team]["id"])

    assert editor.patch(f"/api/v1/terms/{made['id']}", json={"name": "Buyer"}).status_code == 403
    assert editor.delete(f"/api/v1/terms/{made['id']}").status_code == 403
    assert client.get(f"/api/v1/terms/{made['id']}").get_json()["name"] == "Customer"


def test_a_team_with_definitions_is_in_use(client, teams):
    made = term(client)
    define(client, made["id"], "Who pays.", teams[0]["id"])

    response = client.delete(f"/api/v1/teams/{teams[0]['id']}")

    assert response.status_code == 409
    assert (response.get_json()["code"], response.get_json()["definitions"]) == ("in_use", 1)
