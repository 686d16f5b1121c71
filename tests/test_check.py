"""``throughline check``: the findings named one a line, thresholds, JSON and ``--import``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from service.cli import main
from service.graph.clarity import VISION_MISSING
from tests import factories


def _check(database_url, *args):
    return CliRunner().invoke(
        main, ["check", *args], env={"THROUGHLINE_DATABASE_URL": database_url}
    )


@pytest.fixture
def company(client):
    """A chain to the mission, an unlinked goal, a declared conflict and a suspect link."""
    mission = factories.node(client, "mission", "Make travel easy", ref="m")
    vision = factories.node(client, "vision", "Every family travels", ref="v")
    strategy = factories.node(client, "strategy", "Rail first", ref="s")
    goal = factories.node(client, "goal", "Sell rail passes", ref="g")
    work = factories.node(client, "work", "Ship offline tickets", ref="w")
    lonely = factories.node(client, "goal", "Lonely goal", ref="lonely")
    for child, parent in [(vision, mission), (strategy, vision), (goal, strategy), (work, goal)]:
        factories.link(client, child, parent)
    factories.link(client, goal, lonely, type="conflicts_with")
    response = client.patch(f"/api/v1/nodes/{goal['id']}", json={"title": "Sell more passes"})
    assert response.status_code == 200
    return {"goal": goal, "work": work, "lonely": lonely}


def test_list_names_every_finding_on_one_line(company, database_url):
    result = _check(database_url, "--list")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == "database"
    findings = {tuple(line.split("\t")) for line in lines if "\t" in line}
    assert findings == {
        ("orphan", "lonely", "goal", "unlinked", "Lonely goal"),
        ("hollow", "lonely", "goal", "unsupported", "Lonely goal"),
        (
            "conflict",
            "g,lonely",
            "goal,goal",
            "declared",
            next(line.split("\t")[4] for line in lines if line.startswith("conflict")),
        ),
        ("suspect", "w -> g", "work", "suspect", "Ship offline tickets"),
        ("unanchored", "v", "vision", "unanchored", "Every family travels"),
        ("clarity", "lonely", "goal", "measure,user_outcome,business_outcome", "Lonely goal"),
        ("clarity", "g", "goal", "measure,user_outcome,business_outcome", "Sell more passes"),
        ("clarity", "v", "vision", ",".join(VISION_MISSING), "Every family travels"),
    }


def test_without_list_only_the_summary_is_printed(company, database_url):
    result = _check(database_url)

    assert result.exit_code == 0
    assert not [line for line in result.output.splitlines() if "\t" in line]
    assert result.output.strip().endswith("OK")


def test_json_lists_the_findings_with_their_ids(company, database_url):
    result = _check(database_url, "--list", "--format", "json")

    body = json.loads(result.output)
    by_finding = {finding["finding"]: finding for finding in body["findings"]}
    assert by_finding["suspect"]["node_id"] == company["work"]["id"]
    assert by_finding["suspect"]["target_id"] == company["goal"]["id"]
    assert by_finding["conflict"]["node_ids"] == sorted(
        [company["goal"]["id"], company["lonely"]["id"]]
    )
    assert by_finding["orphan"]["code"] == "unlinked"
    assert body["suspect_links"] == 1 and body["unsupported"] == 1
    assert body["database"] and body["failures"] == []


@pytest.mark.parametrize(
    ("option", "limit", "exit_code"),
    [
        ("--max-suspect-links", "0", 1),
        ("--max-suspect-links", "1", 0),
        ("--max-unsupported", "0", 1),
        ("--max-unsupported", "1", 0),
        ("--max-orphans", "0", 1),
        ("--max-conflicts", "1", 0),
    ],
)
def test_each_threshold_fails_only_when_broken(company, database_url, option, limit, exit_code):
    result = _check(database_url, option, limit)

    assert result.exit_code == exit_code, result.output
    assert result.output.strip().endswith("FAILED" if exit_code else "OK")


def test_the_database_option_names_the_database_checked(company, database_url, tmp_path):
    missing = f"sqlite:///{tmp_path / 'elsewhere.db'}"

    result = CliRunner().invoke(
        main, ["check", "--database", database_url], env={"THROUGHLINE_DATABASE_URL": missing}
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("database")
    assert not (tmp_path / "elsewhere.db").exists()


def _document(goal_title="Sell rail passes"):
    return {
        "nodes": [
            {"ref": "m", "kind": "mission", "title": "Make travel easy"},
            {"ref": "v", "kind": "vision", "title": "Every family travels"},
            {"ref": "g", "kind": "goal", "title": goal_title},
            {"ref": "w", "kind": "work", "title": "Ship offline tickets"},
            {"ref": "lost", "kind": "work", "title": "Nobody knows why"},
        ],
        "links": [
            {"source": "v", "target": "m"},
            {"source": "g", "target": "v"},
            {"source": "w", "target": "g"},
        ],
    }


def test_import_checks_documents_in_a_scratch_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(_document()))
    after.write_text(json.dumps(_document("Sell more passes")))

    result = CliRunner().invoke(
        main,
        ["check", "--import", str(before), "--import", str(after), "--list"],
        env={"THROUGHLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"},
    )

    assert result.exit_code == 0, result.output
    findings = {tuple(line.split("\t")[:4]) for line in result.output.splitlines() if "\t" in line}
    assert findings == {
        ("orphan", "lost", "work", "unlinked"),
        ("suspect", "w -> g", "work", "suspect"),
        ("unanchored", "v", "vision", "unanchored"),
        ("clarity", "g", "goal", "measure,user_outcome,business_outcome"),
        ("clarity", "v", "vision", ",".join(VISION_MISSING)),
    }
    assert "scratch" in result.output.splitlines()[0]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["after.json", "before.json"]


def test_import_of_a_document_that_breaks_a_rule_fails(tmp_path):
    document = _document()
    document["links"].append({"source": "m", "target": "w"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))

    result = CliRunner().invoke(main, ["check", "--import", str(path)])

    assert result.exit_code == 1
    assert "VIOLATION" in result.output and "nothing was checked" in result.output


def test_import_and_database_together_is_a_usage_error(tmp_path, database_url):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_document()))

    result = CliRunner().invoke(main, ["check", "--import", str(path), "--database", database_url])

    assert result.exit_code == 2
    assert "--import" in result.output


def test_scratch_check_agrees_with_a_migrated_database(tmp_path, database_url, app):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_document()))
    imported = CliRunner().invoke(
        main, ["import", str(path)], env={"THROUGHLINE_DATABASE_URL": database_url}
    )
    assert imported.exit_code == 0, imported.output

    on_database = _check(database_url, "--list", "--format", "json")
    on_scratch = CliRunner().invoke(main, ["check", "--import", str(path), "--list", "--json"])

    def comparable(output):
        body = json.loads(output)
        body.pop("database"), body.pop("revision")
        for finding in body["findings"]:
            finding.pop("node_id", None), finding.pop("node_ids", None)
            finding.pop("target_id", None), finding.pop("link_id", None)
        return body

    assert comparable(on_scratch.output) == comparable(on_database.output)


def _command(*args, database_url):
    return subprocess.run(
        [sys.executable, "-m", "service", *args, "--database", database_url],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_log_lines_unless_verbose(company, database_url):
    quiet = _command("check", database_url=database_url)
    verbose = _command("check", "--verbose", database_url=database_url)

    assert quiet.returncode == verbose.returncode == 0
    assert quiet.stderr == ""
    assert quiet.stdout.splitlines()[0].startswith("database")
    assert "graph built" in verbose.stderr
    assert verbose.stdout == quiet.stdout


HEAVY = ("flask", "flask_smorest", "alembic", "prometheus_client", "marshmallow", "gunicorn")


def _loaded_after(args: list[str]) -> set[str]:
    """The heavy packages a fresh process has loaded after running the command."""
    script = (
        "import sys\n"
        "from service.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()


def test_help_and_check_load_only_what_they_need(company, database_url):
    assert _loaded_after(["--help"]) == set()
    assert _loaded_after(["check", "--list", "--database", database_url]) == set()


def test_silo_teams_and_unanchored_visions_are_listed_and_gated(company, client, database_url):
    research = client.post("/api/v1/teams", json={"name": "Research\tlab"}).get_json()
    alone = factories.node(client, "goal", "Alone", ref="alone", team_id=research["id"])
    factories.link(client, alone, {"id": company["lonely"]["id"]})

    listed = _check(database_url, "--list", "--max-silos", "0", "--max-unanchored", "1")
    body = json.loads(_check(database_url, "--list", "--format", "json").output)

    assert listed.exit_code == 1, listed.output
    lines = {tuple(line.split("\t")) for line in listed.output.splitlines() if "\t" in line}
    assert ("silo", str(research["id"]), "team", "silo", "Research lab") in lines
    assert ("unanchored", "v", "vision", "unanchored", "Every family travels") in lines
    assert "FAIL: 1 silo teams (at most 0)" in listed.output
    assert "unanchored visions" not in listed.output
    silo = next(f for f in body["findings"] if f["finding"] == "silo")
    assert silo["team_id"] == research["id"]
    assert (body["silos"], body["unanchored_visions"]) == (1, 1)


def test_unclear_nodes_and_late_work_are_listed_and_gated(company, client, database_url):
    goal = {"id": company["goal"]["id"]}
    for day in ("2020-01-01", "2020-01-02", "2999-01-01"):
        factories.link(client, factories.node(client, "work", due_date=day), goal)

    listed = _check(database_url, "--list", "--max-clarity", "2", "--max-late-share", "0.5")
    within = _check(database_url, "--max-clarity", "3", "--max-late-share", "0.7")
    body = json.loads(_check(database_url, "--format", "json").output)

    assert listed.exit_code == 1, listed.output
    assert "FAIL: 3 visions and goals unclear or divergent (at most 2)" in listed.output
    assert "FAIL: late share of dated work 0.667 (at most 0.5)" in listed.output
    hotspots = [line.split("\t") for line in listed.output.splitlines() if line.startswith("hot")]
    assert [(h[1], h[3]) for h in hotspots] == [("v", "overrun_hotspot")]  # the highest
    assert within.exit_code == 0, within.output
    assert (body["clarity"], body["late_work"], body["overrun_hotspots"]) == (3, 2, 1)
    assert body["late_share"] == pytest.approx(2 / 3)
