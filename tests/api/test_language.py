"""The shared-language findings (DOMAIN.md section 12) and ``?with=terms`` on nodes."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import client_as, make_token

URL = "/api/v1/analysis/language"


@pytest.fixture
def teams(client):
    return f.team(client, "Sales"), f.team(client, "Support")


def term(client, name="Customer", **fields) -> dict:
    return f.create(client, "terms", name=name, **fields)


def define(client, term_id, text, team_id=None) -> dict:
    return f.create(client, f"terms/{term_id}/definitions", team_id=team_id, text=text)


def divided(client, teams, name="Customer", **fields) -> dict:
    """A term the two teams define apart."""
    made = term(client, name, **fields)
    define(client, made["id"], "Someone who pays us.", teams[0]["id"])
    define(client, made["id"], "Someone who uses the product.", teams[1]["id"])
    return made


def findings(client, query="") -> list[dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response.get_json()["items"]


def goal_measuring(client, metric, **fields) -> dict:
    goal = f.node(client, "goal", **fields)
    f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric=metric,
        direction="increase",
        start_value=0,
        target_value=1,
    )
    return goal


# -- vocabulary ------------------------------------------------------------------------------


def test_a_term_defined_apart_is_a_vocabulary_warning(client, teams):
    made = divided(client, teams)
    define(client, made["id"], "Whoever signs.")  # company-wide: counted, but not a team
    used = f.node(client, "goal", title="Who is our customer?")

    found = findings(client)

    assert found == [
        {
            "type": "vocabulary",
            "severity": "warning",
            "message": "The term 'Customer' has 3 different definitions.",
            "term_id": made["id"],
            "team_ids": [teams[0]["id"], teams[1]["id"]],
            "node_ids": [used["id"]],
        }
    ]


@pytest.mark.parametrize(
    "texts",
    [
        ("Someone who pays us.", "someone  who PAYS us"),
        ("Someone who pays us", " Someone who pays us. "),
        ("Someone\twho pays us.", "SOMEONE WHO PAYS US"),
    ],
)
def test_definitions_differing_only_in_case_spaces_or_final_period_agree(client, teams, texts):
    made = term(client)
    for team, text in zip(teams, texts, strict=True):
        define(client, made["id"], text, team["id"])
    f.node(client, "goal", title="customer")

    assert findings(client) == []


def test_a_term_with_one_definition_is_no_finding(client, teams):
    made = term(client)
    define(client, made["id"], "Someone who pays us.", teams[0]["id"])

    assert findings(client) == []


@pytest.mark.parametrize(
    ("title", "description", "used"),
    [
        ("Who is our customer?", None, True),
        ("Delight", "Every CUSTOMER, every day.", True),
        ("Win more customers", None, False),
        ("customers-ops", None, False),
        ("customer-ops", None, True),
        ("supercustomer", None, False),
        ("Our key account holder", None, True),
        ("key account  holders", None, False),
        ("Key\naccount holder", None, True),
    ],
)
def test_nodes_using_a_name_or_alias_as_a_whole_word_are_listed(
    client, teams, title, description, used
):
    divided(client, teams, aliases=["key account holder"])
    node = f.node(client, "work", title=title, description=description)

    assert findings(client)[0]["node_ids"] == ([node["id"]] if used else [])


def test_an_alias_matches_where_the_name_does_not(client, teams):
    divided(client, teams, "Customer", aliases=["customers"])
    node = f.node(client, "work", title="customers-ops")

    assert findings(client)[0]["node_ids"] == [node["id"]]


def test_a_phrase_split_between_title_and_description_is_not_used(client, teams):
    divided(client, teams, "Net revenue")
    node = f.node(client, "goal", title="Grow net", description="revenue, not costs")

    assert findings(client)[0]["node_ids"] == []
    assert client.get(f"/api/v1/nodes/{node['id']}?with=terms").get_json()["terms"] == []


def test_only_live_nodes_are_listed(client, teams):
    divided(client, teams)
    live = [f.node(client, "work", title="customer", status=s) for s in ("draft", "active")]
    for status in ("done", "cancelled", "archived"):
        f.node(client, "work", title="customer", status=status)

    assert findings(client)[0]["node_ids"] == [n["id"] for n in live]


def test_at_most_fifty_nodes_are_listed_ascending(client, teams):
    divided(client, teams)
    made = [f.node(client, "work", title=f"customer {i}")["id"] for i in range(52)]

    assert findings(client)[0]["node_ids"] == sorted(made)[:50]


def test_a_definition_changed_to_agree_ends_the_finding(client, teams):
    made = term(client)
    define(client, made["id"], "Someone who pays us.", teams[0]["id"])
    other = define(client, made["id"], "Someone who uses it.", teams[1]["id"])
    assert len(findings(client)) == 1

    client.patch(
        f"/api/v1/terms/{made['id']}/definitions/{other['id']}",
        json={"text": "someone who pays us"},
    )

    assert findings(client) == []


def test_a_renamed_term_lists_the_nodes_using_its_new_name(client, teams):
    made = divided(client, teams)
    buyer = f.node(client, "work", title="Buyer journey")
    assert findings(client)[0]["node_ids"] == []

    client.patch(f"/api/v1/terms/{made['id']}", json={"name": "Buyer"})

    assert findings(client)[0]["node_ids"] == [buyer["id"]]


def test_nodes_written_after_an_answer_are_seen_in_the_next(client, teams):
    divided(client, teams)
    assert findings(client)[0]["node_ids"] == []

    node = f.node(client, "work", title="Customer interviews")
    assert findings(client)[0]["node_ids"] == [node["id"]]
    client.patch(f"/api/v1/nodes/{node['id']}", json={"title": "Interviews"})
    assert findings(client)[0]["node_ids"] == []
    client.patch(f"/api/v1/nodes/{node['id']}", json={"description": "with a customer"})
    assert findings(client)[0]["node_ids"] == [node["id"]]
    client.patch(f"/api/v1/nodes/{node['id']}", json={"status": "done"})
    assert findings(client)[0]["node_ids"] == []
    client.patch(f"/api/v1/nodes/{node['id']}", json={"status": "active"})
    assert findings(client)[0]["node_ids"] == [node["id"]]
    client.delete(f"/api/v1/nodes/{node['id']}")
    assert findings(client)[0]["node_ids"] == []


def test_a_node_made_private_after_an_answer_is_left_out(app, client, teams):
    divided(client, teams)
    owner = f.person(client, "Owner")
    node = f.node(client, "work", title="customer", owner_id=owner["id"])
    viewer = client_as(app, make_token(app, "viewer"))
    assert findings(viewer)[0]["node_ids"] == [node["id"]]

    client.patch(f"/api/v1/nodes/{node['id']}", json={"visibility": "private"})

    assert findings(viewer)[0]["node_ids"] == []
    assert findings(client)[0]["node_ids"] == [node["id"]]


# -- undefined metrics -----------------------------------------------------------------------


def test_a_metric_two_teams_use_and_no_term_defines_is_info(client, teams):
    goals = [goal_measuring(client, "sales.nrr", team_id=team["id"]) for team in teams]

    found = findings(client)

    assert found == [
        {
            "type": "undefined_metric",
            "severity": "info",
            "message": "The metric 'sales.nrr' is measured by 2 teams, and no term defines it.",
            "metric": "sales.nrr",
            "team_ids": [teams[0]["id"], teams[1]["id"]],
            "node_ids": [goals[0]["id"], goals[1]["id"]],
        }
    ]


def test_a_metric_a_term_lists_is_defined(client, teams):
    for team in teams:
        goal_measuring(client, "sales.nrr", team_id=team["id"])
    term(client, "Net revenue retention", metrics=["sales.nrr"])

    assert findings(client) == []


def test_a_metric_of_one_team_is_no_finding(client, teams):
    goal_measuring(client, "sales.nrr", team_id=teams[0]["id"])
    goal_measuring(client, "sales.nrr", team_id=teams[0]["id"])
    goal_measuring(client, "sales.nrr")

    assert findings(client) == []


@pytest.mark.parametrize("status", ["done", "cancelled", "archived"])
def test_goals_no_longer_live_do_not_count(client, teams, status):
    goal_measuring(client, "sales.nrr", team_id=teams[0]["id"])
    goal_measuring(client, "sales.nrr", team_id=teams[1]["id"], status=status)

    assert findings(client) == []


# -- filters, paging, visibility -------------------------------------------------------------


def test_findings_filter_by_type_severity_and_team(client, teams):
    divided(client, teams)
    third = f.team(client, "Ops")
    goal_measuring(client, "ops.uptime", team_id=teams[1]["id"])
    goal_measuring(client, "ops.uptime", team_id=third["id"])

    assert [x["type"] for x in findings(client)] == ["vocabulary", "undefined_metric"]
    assert [x["type"] for x in findings(client, "type=undefined_metric")] == ["undefined_metric"]
    assert [x["type"] for x in findings(client, "severity=warning")] == ["vocabulary"]
    assert [x["type"] for x in findings(client, f"team_id={teams[0]['id']}")] == ["vocabulary"]
    assert [x["type"] for x in findings(client, f"team_id={third['id']}")] == ["undefined_metric"]
    assert client.get(f"{URL}?type=conflict").status_code == 422


def test_findings_are_paged(client, teams):
    divided(client, teams, "Customer")
    divided(client, teams, "Churn")

    page = client.get(f"{URL}?limit=1&offset=1").get_json()

    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert len(page["items"]) == 1


def test_nodes_hidden_from_the_caller_are_left_out(app, client, teams):
    insider = f.person(client, "In", team_ids=[teams[0]["id"]])
    divided(client, teams)
    public = f.node(client, "work", title="customer")
    private = f.node(client, "work", title="customer", visibility="private", owner_id=insider["id"])
    team_only = f.node(client, "work", title="customer", visibility="team", team_id=teams[0]["id"])
    for team in teams:
        goal_measuring(client, "sales.nrr", team_id=team["id"], visibility="team")
    viewer = client_as(app, make_token(app, "viewer"))
    member = client_as(app, make_token(app, "editor", insider["id"]))

    as_viewer, as_member = findings(viewer), findings(member)

    assert as_viewer[0]["node_ids"] == [public["id"]]
    assert as_viewer[1]["node_ids"] == []
    assert as_member[0]["node_ids"] == [public["id"], private["id"], team_only["id"]]
    assert len(as_member[1]["node_ids"]) == 1
    assert len(findings(client)[1]["node_ids"]) == 2


# -- ?with=terms -----------------------------------------------------------------------------


def test_a_node_carries_the_terms_it_uses_when_asked(client):
    customer = term(client, "Customer", aliases=["client"])
    term(client, "Churn")
    runway = term(client, "Runway")
    node = f.node(client, "goal", title="Runway for every client", description="Less churning.")

    plain = client.get(f"/api/v1/nodes/{node['id']}").get_json()
    asked = client.get(f"/api/v1/nodes/{node['id']}?with=terms").get_json()

    assert "terms" not in plain
    assert asked["terms"] == [
        {"id": customer["id"], "name": "Customer"},
        {"id": runway["id"], "name": "Runway"},
    ]


def test_listed_nodes_carry_their_terms_when_asked(client):
    churn = term(client, "Churn")
    used, unused = f.node(client, title="Cut churn"), f.node(client, title="Grow")

    listed = client.get("/api/v1/nodes?with=terms").get_json()["items"]

    assert {n["id"]: n["terms"] for n in listed} == {
        used["id"]: [{"id": churn["id"], "name": "Churn"}],
        unused["id"]: [],
    }
    assert "terms" not in client.get("/api/v1/nodes").get_json()["items"][0]


def test_a_new_term_shows_on_the_next_read(client):
    node = f.node(client, title="Cut churn")
    assert client.get(f"/api/v1/nodes/{node['id']}?with=terms").get_json()["terms"] == []

    churn = term(client, "Churn")

    got = client.get(f"/api/v1/nodes/{node['id']}?with=terms").get_json()
    assert got["terms"] == [{"id": churn["id"], "name": "Churn"}]


def test_an_unknown_with_is_refused(client):
    node = f.node(client)

    assert client.get(f"/api/v1/nodes/{node['id']}?with=everything").status_code == 422


def test_many_nodes_written_since_an_answer_rebuild_the_index(client, teams, monkeypatch):
    monkeypatch.setattr("service.language_index.REREAD_LIMIT", 0)
    divided(client, teams)
    first = f.node(client, "work", title="customer")
    assert findings(client)[0]["node_ids"] == [first["id"]]

    client.patch(f"/api/v1/nodes/{first['id']}", json={"title": "nobody"})
    second = f.node(client, "work", title="customer")

    assert findings(client)[0]["node_ids"] == [second["id"]]


def test_health_counts_language_findings_overall_and_per_team(client, teams):
    divided(client, teams)
    third = f.team(client, "Ops")
    for team in (*teams, third):
        f.node(client, "work", team_id=team["id"])
    goal_measuring(client, "ops.uptime", team_id=teams[1]["id"])
    goal_measuring(client, "ops.uptime", team_id=third["id"])

    health = client.get("/api/v1/analysis/health").get_json()
    one = client.get(f"/api/v1/analysis/health?team_id={teams[0]['id']}").get_json()

    assert health["language"] == {"vocabulary": 1, "undefined_metric": 1}
    by_team = {team["team_id"]: team["language"] for team in health["teams"]}
    assert by_team == {
        teams[0]["id"]: {"vocabulary": 1, "undefined_metric": 0},
        teams[1]["id"]: {"vocabulary": 1, "undefined_metric": 1},
        third["id"]: {"vocabulary": 0, "undefined_metric": 1},
    }
    assert one["language"] == {"vocabulary": 1, "undefined_metric": 0}
