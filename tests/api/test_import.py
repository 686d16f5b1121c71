"""Bulk import: all or nothing, idempotent, dry runs that name the offending refs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from service.cli import main
from service.generate import generate
from tests.conftest import client_as, make_token


def _company():
    return {
        "teams": [
            {"ref": "t-eng", "name": "Engineering"},
            {"ref": "t-plat", "name": "Platform", "parent": "t-eng"},
        ],
        "people": [
            {"ref": "p-ada", "name": "Ada", "email": "ada@example.com", "teams": ["t-plat"]}
        ],
        "periods": [
            {"ref": "q4", "name": "2026-Q4", "start_date": "2026-10-01", "end_date": "2026-12-31"}
        ],
        "nodes": [
            {"ref": "m", "kind": "mission", "title": "Mission"},
            {"ref": "v", "kind": "vision", "title": "Vision"},
            {
                "ref": "g",
                "kind": "goal",
                "title": "Goal",
                "team": "t-plat",
                "owner": "p-ada",
                "period": "q4",
            },
            {
                "ref": "w",
                "kind": "work",
                "title": "Work",
                "owner": "p-ada",
                "reported_progress": 0.5,
            },
            {"ref": "lonely", "kind": "work", "title": "Lonely"},
        ],
        "links": [
            {"source": "v", "target": "m"},
            {"source": "g", "target": "v", "weight": 0.5},
            {"source": "w", "target": "g"},
        ],
        "key_results": [
            {
                "ref": "kr",
                "goal": "g",
                "metric": "m.x",
                "direction": "increase",
                "start_value": 0,
                "target_value": 10,
                "current_value": 5,
            }
        ],
    }


def _import(client, document, query=""):
    return client.post(f"/api/v1/import{query}", json=document)


def test_import_creates_everything_with_its_references(client):
    response = _import(client, _company())

    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["applied"] and report["valid"]
    assert report["counts"]["nodes"]["created"] == 5
    goal = client.get("/api/v1/nodes/by-ref/g").get_json()
    team = client.get(f"/api/v1/teams/{goal['team_id']}").get_json()
    assert team["name"] == "Platform"
    assert goal["progress"] == pytest.approx(0.5)
    orphans = client.get("/api/v1/analysis/orphans").get_json()
    assert [o["node"]["title"] for o in orphans["items"]] == ["Lonely"]
    trace = client.get(
        f"/api/v1/nodes/{client.get('/api/v1/nodes/by-ref/w').get_json()['id']}/trace/up"
    ).get_json()
    assert trace["aligned"] is True


def test_the_same_document_twice_changes_nothing(client):
    _import(client, _company())
    events = client.get("/api/v1/audit").get_json()["total"]

    report = _import(client, _company()).get_json()

    assert all(c["created"] == c["updated"] == 0 for c in report["counts"].values())
    assert report["revision"] is None
    assert client.get("/api/v1/audit").get_json()["total"] == events


def test_a_changed_document_updates_only_what_changed(client):
    _import(client, _company())
    changed = _company()
    changed["nodes"][2]["title"] = "Sharper goal"
    changed["links"][1]["weight"] = 1.0

    report = _import(client, changed).get_json()

    assert report["counts"]["nodes"] == {"created": 0, "updated": 1, "unchanged": 4}
    assert report["counts"]["links"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert client.get("/api/v1/nodes/by-ref/g").get_json()["title"] == "Sharper goal"
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 1


@pytest.mark.parametrize(
    ("change", "code", "refs"),
    [
        (lambda d: d["links"].append({"source": "m", "target": "v"}), "mission_parent", ["m", "v"]),
        (lambda d: d["links"].append({"source": "v", "target": "w"}), "level", ["v", "w"]),
        (lambda d: d["links"].append({"source": "w", "target": "w"}), "self_link", ["w"]),
        (lambda d: d["links"].append({"source": "w", "target": "g"}), "duplicate", ["w", "g"]),
        (
            lambda d: d["links"].append({"source": "w", "target": "nowhere"}),
            "unknown_reference",
            ["w", "nowhere"],
        ),
        (
            lambda d: d["nodes"].append({"ref": "g", "kind": "goal", "title": "again"}),
            "duplicate_ref",
            ["g"],
        ),
        (
            lambda d: d["key_results"].append(
                {
                    "ref": "k2",
                    "goal": "w",
                    "metric": "m",
                    "direction": "increase",
                    "start_value": 0,
                    "target_value": 1,
                }
            ),
            "key_results_on_goals_only",
            ["k2", "w"],
        ),
    ],
)
def test_a_rule_violation_writes_nothing_and_names_the_refs(client, change, code, refs):
    document = _company()
    change(document)

    response = _import(client, document)

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "import_invalid"
    assert {"code": code, "refs": refs} in [
        {"code": v["code"], "refs": v["refs"]} for v in body["violations"]
    ]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_cycles_across_stored_and_imported_links_are_found(client):
    document = _company()
    document["nodes"] += [
        {"ref": "s1", "kind": "strategy", "title": "S1"},
        {"ref": "s2", "kind": "strategy", "title": "S2"},
    ]
    document["links"] += [{"source": "s1", "target": "s2"}]
    _import(client, document)

    response = _import(client, {"links": [{"source": "s2", "target": "s1"}]})

    assert response.status_code == 422
    cycle = [v for v in response.get_json()["violations"] if v["code"] == "cycle"]
    assert sorted(cycle[0]["refs"]) == ["s1", "s2"]


def test_dry_run_reports_changes_and_violations_without_writing(client):
    document = _company()
    document["links"].append({"source": "v", "target": "w"})

    report = _import(client, document, "?dry_run=true").get_json()

    assert report["dry_run"] is True and report["valid"] is False
    assert report["applied"] is False
    assert report["counts"]["nodes"]["created"] == 5
    assert [v["code"] for v in report["violations"]] == ["level"]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_malformed_documents_are_422_naming_fields(client):
    response = _import(client, {"nodes": [{"ref": "x", "kind": "epic"}], "extra": 1})

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"nodes.0.kind", "nodes.0.title", "extra"} <= set(errors)


def test_only_admins_import(app, client):
    person = client.post("/api/v1/people", json={"name": "Ed"}).get_json()
    editor = client_as(app, make_token(app, "editor", person["id"]))

    assert _import(editor, _company()).status_code == 403


def test_a_generated_company_imports_and_reimports_unchanged(client):
    document = generate(300, seed=3)

    first = _import(client, document).get_json()
    second = _import(client, document).get_json()

    assert first["valid"], first["violations"][:5]
    assert first["counts"]["nodes"]["created"] == 300
    assert second["counts"]["nodes"]["unchanged"] == 300
    assert second["counts"]["links"]["unchanged"] == len(document["links"])
    orphans = client.get("/api/v1/analysis/orphans?limit=1000").get_json()["total"]
    assert 0 < orphans < 60


def test_cli_generate_and_import(app, client, database_url, tmp_path):
    path = tmp_path / "company.json"
    env = {"THROUGHLINE_DATABASE_URL": database_url}
    runner = CliRunner()

    assert (
        runner.invoke(
            main, ["generate", "--nodes", "200", "--seed", "1", "-o", str(path)], env=env
        ).exit_code
        == 0
    )
    dry = runner.invoke(main, ["import", str(path), "--dry-run"], env=env)
    done = runner.invoke(main, ["import", str(path)], env=env)

    assert dry.exit_code == 0 and "Dry run" in dry.output
    assert done.exit_code == 0, done.output
    assert client.get("/api/v1/nodes").get_json()["total"] == 200
    assert len(json.loads(path.read_text())["nodes"]) == 200


def test_cli_import_refuses_a_broken_document(app, database_url, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"links": [{"source": "a", "target": "b"}]}))

    result = CliRunner().invoke(
        main, ["import", str(path)], env={"THROUGHLINE_DATABASE_URL": database_url}
    )

    assert result.exit_code == 1
    assert "unknown_reference" in result.output


def test_a_large_import_refreshes_the_planner_statistics(app, client, monkeypatch, is_postgresql):
    """Without fresh statistics the planner plans as if the new rows were not there."""
    from sqlalchemy import text

    from service.db import session
    from service.domain import import_writer

    monkeypatch.setattr(import_writer, "ANALYZE_AFTER_ROWS", 30)
    document = generate(37, seed=3)
    assert client.post("/api/v1/import", json=document).status_code == 200

    with app.app_context():
        if is_postgresql:
            query = "SELECT reltuples FROM pg_class WHERE relname = 'nodes'"
        else:  # the first number of a table's statistics is its row count
            query = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'nodes' LIMIT 1"
        counted = int(float(str(session().scalar(text(query))).split()[0]))

    assert counted == len(document["nodes"]) == 37


def test_people_in_teams_without_refs_do_not_break_an_import(client):
    team = client.post("/api/v1/teams", json={"name": "Made here"}).get_json()
    person = client.post("/api/v1/people", json={"name": "Ada", "team_ids": [team["id"]]})
    assert person.status_code == 201

    response = client.post(
        "/api/v1/import", json={"nodes": [{"ref": "n", "kind": "work", "title": "N"}]}
    )

    assert response.status_code == 200, response.get_json()
