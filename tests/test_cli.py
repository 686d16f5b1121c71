"""The ``throughline`` command."""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import text

from models import migrate
from models.database import make_engine
from service import readiness
from service.cli import main


def _run(args, database_url, code=0):
    result = CliRunner().invoke(main, args, env={"THROUGHLINE_DATABASE_URL": database_url})
    assert result.exit_code == code, result.output
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


def test_demo_company_shows_market_and_team_alignment(app, client, database_url):
    _run(["demo", "--no-serve"], database_url)

    needs = client.get("/api/v1/nodes?kind=need").get_json()["items"]
    market = client.get("/api/v1/analysis/market").get_json()
    silos = client.get("/api/v1/analysis/silos").get_json()["items"]
    late = client.get("/api/v1/analysis/conflicts?type=dependency").get_json()["items"]

    types = [n["need_type"] for n in needs]
    assert types.count("functional") >= 2 and types.count("psychological") >= 2
    assert len(market["one_sided"]) >= 1 and len(market["unserved"]) >= 1
    assert [s["name"] for s in silos] == ["Research"]
    assert [c["severity"] for c in late] == ["warning"]


def test_demo_company_shows_clarity_and_overruns(app, client, database_url):
    _run(["demo", "--no-serve"], database_url)
    refs = {n["ref"]: n for n in client.get("/api/v1/nodes?limit=1000").get_json()["items"]}

    clarity = client.get("/api/v1/analysis/clarity?kind=vision").get_json()["items"]
    plan = refs["demo:v-plan"]["id"]
    restated = client.get(f"/api/v1/nodes/{plan}/restatements").get_json()
    slots = client.get(f"/api/v1/nodes/{refs['demo:g-slots']['id']}/restatements").get_json()
    overruns = client.get("/api/v1/analysis/overruns?hotspots_only=true").get_json()["items"]

    assert [(c["node"]["ref"], c["missing"], c["divergent"]) for c in clarity] == [
        ("demo:v-plan", ["measure", "target_group"], True)
    ]
    assert restated["total"] == 4 and restated["agreement"] < 0.2
    assert slots["total"] == 2 and slots["agreement"] >= 0.5
    assert sorted(o["node"]["ref"] for o in overruns) == ["demo:g-winback", "demo:s-reliable"]
    personal = client.get("/api/v1/analysis/overruns?limit=100").get_json()["items"]
    by_ref = {o["node"]["ref"]: o for o in personal}
    assert by_ref["demo:s-personal"]["late"] == 3 and not by_ref["demo:s-personal"]["hotspot"]
    assert by_ref["demo:s-reliable"]["over_budget"] == 52_000 + 9_000 - 40_000 - 15_000


def test_demo_company_speaks_a_language_with_one_word_defined_three_ways(app, client, database_url):
    _run(["demo", "--no-serve"], database_url)

    findings = client.get("/api/v1/analysis/language").get_json()["items"]
    customer = client.get("/api/v1/terms?q=customer").get_json()["items"][0]
    support = client.get("/api/v1/nodes/by-ref/demo:g-support?with=terms").get_json()

    assert sorted(f["type"] for f in findings) == ["undefined_metric", "vocabulary"]
    vocabulary = next(f for f in findings if f["type"] == "vocabulary")
    assert vocabulary["term_id"] == customer["id"] and len(customer["definitions"]) == 3
    assert vocabulary["node_ids"] == [support["id"]]
    assert support["terms"] == [{"id": customer["id"], "name": "Customer"}]
    metric = next(f for f in findings if f["type"] == "undefined_metric")
    assert metric["metric"] == "sales.discount_rate" and len(metric["team_ids"]) == 2
    listed = _run(["check", "--list", "--max-vocabulary", "0"], database_url, code=1)
    assert "vocabulary\tCustomer\tterm\tvocabulary" in listed
    assert "FAIL: 1 terms defined in different ways (at most 0)" in listed


def test_check_fails_above_the_silo_and_unanchored_thresholds(app, client, database_url):
    _run(["demo", "--no-serve"], database_url)
    vision = client.post("/api/v1/nodes", json={"kind": "vision", "title": "Unanchored"})
    assert vision.status_code == 201

    result = CliRunner().invoke(
        main,
        ["check", "--max-silos", "0", "--max-unanchored", "0", "--json"],
        env={"THROUGHLINE_DATABASE_URL": database_url},
    )
    within = _run(["check", "--max-silos", "1", "--max-unanchored", "1"], database_url)

    assert result.exit_code == 1
    body = json.loads(result.output)
    assert (body["silos"], body["unanchored_visions"]) == (1, 1)
    assert body["failures"] == [
        "1 silo teams (at most 0)",
        "1 unanchored visions (at most 0)",
    ]
    assert "silo teams       1" in within and within.strip().endswith("OK")


NEEDS_A_DATABASE = [
    ["check"],
    ["check", "--list"],
    ["tokens", "list"],
    ["tokens", "create", "--role", "admin"],
    ["tokens", "revoke", "1"],
    ["db", "current"],
]


@pytest.mark.parametrize("args", NEEDS_A_DATABASE, ids=" ".join)
def test_a_missing_sqlite_file_is_named_and_not_created(tmp_path, args):
    path = tmp_path / "missing.db"

    result = CliRunner().invoke(main, [*args, "--database", f"sqlite:///{path}"])

    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "throughline db upgrade" in result.output
    assert not path.exists()


def test_import_into_a_missing_database_creates_nothing(tmp_path):
    path, document = tmp_path / "missing.db", tmp_path / "doc.json"
    document.write_text('{"nodes": []}')

    result = CliRunner().invoke(main, ["import", str(document), "--database", f"sqlite:///{path}"])

    assert (result.exit_code, path.exists()) == (2, False)
    assert "throughline db upgrade" in result.output


def test_a_database_without_the_schema_is_refused(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()

    result = CliRunner().invoke(main, ["check", "--database", f"sqlite:///{path}"])

    assert result.exit_code == 2
    assert "no Throughline schema" in result.output
    assert "throughline db upgrade" in result.output


def test_a_pending_migration_is_refused_until_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine, "0002")
    engine.dispose()

    behind = CliRunner().invoke(main, ["check", "--database", url])
    _run(["db", "upgrade"], url)
    current = CliRunner().invoke(main, ["check", "--database", url])

    assert behind.exit_code == 2
    assert "0002" in behind.output and "throughline db upgrade" in behind.output
    assert current.exit_code == 0, current.output


def test_an_unreachable_database_exits_2_in_one_line():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"

    result = CliRunner().invoke(main, ["check", "--database", url])

    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "cannot be reached" in result.output


def test_head_revision_without_alembic_is_alembic_s():
    assert readiness.head_revision() == migrate.head_revision()


def _demo_token(output: str) -> str:
    return next(line.strip() for line in output.splitlines() if line.strip().startswith("tl_"))


def test_a_second_demo_replaces_the_first_token(app, database_url):
    first = _demo_token(_run(["demo", "--no-serve"], database_url))
    second = _demo_token(_run(["demo", "--no-serve"], database_url))

    listed = [line.split("\t") for line in _run(["tokens", "list"], database_url).splitlines()]
    demo = [(state, name) for _id, _prefix, _role, _person, state, name in listed]
    assert demo.count(("active", "demo")) == 1
    assert first != second
    client = app.test_client()
    for secret, status in [(first, 401), (second, 200)]:
        response = client.get("/api/v1/nodes", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == status


def test_demo_reset_starts_from_a_fresh_company(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run(["demo", "--no-serve"], url)
    engine = make_engine(url)
    with engine.begin() as connection:
        links = connection.scalar(text("SELECT count(*) FROM links"))
        connection.execute(text("DELETE FROM links"))
    engine.dispose()

    again = _run(["demo", "--no-serve"], url)
    reset = _run(["demo", "--no-serve", "--reset"], url)

    assert "already holds" in again and "--reset" in again
    assert "Loaded the demo company" in reset
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM links")) == links > 0
    engine.dispose()


def test_reset_refuses_a_database_that_is_not_a_sqlite_file():
    result = CliRunner().invoke(
        main, ["demo", "--no-serve", "--reset", "--database", "postgresql+psycopg://x@127.0.0.1/y"]
    )

    assert result.exit_code == 2
    assert "SQLite" in result.output


def test_serve_without_migrations_refuses_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "missing.db"

    result = CliRunner().invoke(
        main,
        ["serve", "--database", f"sqlite:///{path}"],
        # Named here so the runner restores it: serve sets it up for its workers.
        env={
            "THROUGHLINE_MIGRATE_ON_START": "false",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        },
    )

    assert (result.exit_code, path.exists()) == (2, False)
    assert "throughline db upgrade" in result.output


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


def test_export_of_a_missing_database_exits_2_and_creates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'absent.db'}"

    result = CliRunner().invoke(main, ["export", "--format", "json", "--database", url])

    assert result.exit_code == 2
    assert "throughline db upgrade" in result.output
    assert not (tmp_path / "absent.db").exists()
