"""The ``throughline`` command."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from service.cli import main


def _run(args, database_url):
    result = CliRunner().invoke(main, args, env={"THROUGHLINE_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.output


def test_db_upgrade_creates_a_fresh_sqlite_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"

    output = _run(["db", "upgrade"], url)

    assert "Database at migration" in output
    assert (tmp_path / "fresh.db").exists()


def test_demo_loads_once(app, database_url):
    first = _run(["demo", "--no-serve"], database_url)
    second = _run(["demo", "--no-serve"], database_url)

    assert "Loaded the demo company" in first
    assert "already holds" in second


def test_demo_company_has_what_is_worth_finding(app, client, database_url):
    _run(["demo", "--no-serve"], database_url)

    kinds = {
        kind: client.get(f"/api/v1/nodes?kind={kind}").get_json()["total"]
        for kind in ("mission", "vision", "strategy", "goal", "work")
    }
    assert kinds["mission"] == 1 and kinds["vision"] == 2
    assert min(kinds.values()) >= 1
    assert client.get("/api/v1/teams").get_json()["total"] >= 3
    assert client.get("/api/v1/people").get_json()["total"] >= 3
    assert client.get("/api/v1/periods").get_json()["total"] >= 2


def test_openapi_writes_the_document(database_url):
    output = _run(["openapi", "--output", "-"], database_url)

    assert yaml.safe_load(output)["openapi"] == "3.1.0"


def test_bad_configuration_fails_loudly(database_url):
    result = CliRunner().invoke(
        main,
        ["openapi", "-o", "-"],
        env={"THROUGHLINE_DATABASE_URL": database_url, "THROUGHLINE_MAX_BODY_BYTES": "lots"},
    )

    assert result.exit_code != 0
    assert "THROUGHLINE_MAX_BODY_BYTES" in result.output


def test_check_passes_within_thresholds(app, database_url):
    _run(["demo", "--no-serve"], database_url)

    output = _run(["check", "--max-orphans", "100", "--max-violations", "10"], database_url)

    assert output.strip().endswith("OK")
    assert "orphans" in output


def test_check_fails_when_orphans_exceed_the_threshold(app, database_url):
    _run(["demo", "--no-serve"], database_url)

    result = CliRunner().invoke(
        main,
        ["check", "--max-orphans", "0", "--json"],
        env={"THROUGHLINE_DATABASE_URL": database_url},
    )

    assert result.exit_code == 1
    body = json.loads(result.output)
    assert body["orphans"]["total"] > 0
    assert body["failures"] and "orphans" in body["failures"][0]


def test_export_writes_dot_around_a_ref(client, database_url):
    from tests import factories as f

    mission, goal = f.chain(client, "mission", "goal")
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"ref": "G-1"})

    output = _run(["export", "--format", "dot", "--root", "G-1", "--direction", "up"], database_url)

    assert output.startswith("digraph throughline {")
    assert f"n{goal['id']} -> n{mission['id']}" in output


def test_export_names_an_unknown_ref(app, database_url):
    result = CliRunner().invoke(
        main, ["export", "--root", "nope"], env={"THROUGHLINE_DATABASE_URL": database_url}
    )

    assert result.exit_code == 1
    assert "No node has the ref 'nope'" in result.output
