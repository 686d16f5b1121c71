"""The README's tour, against a real server with two gunicorn workers."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from service.cli import main
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


# -- the README's own tour, line by line -------------------------------------------------------

README = Path(__file__).resolve().parents[1] / "README.md"
_EXPECTED = re.compile(r"#\s*(\d{3})\b(?:\s+([a-z_]+))?")
_AGAIN = re.compile(r"run again:\s*(\d{3})\s+([a-z_]+)")
_CYCLE = re.compile(r'"cycle": (\[[\d, ]*\])')


def _tour_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    tour = text[text.index("## A tour with curl") :]
    block = tour[tour.index("```sh\n") + 6 :]
    return block[: block.index("```")].splitlines()


def _script(lines: list[str], token: str, url: str) -> tuple[str, list[tuple[int, str]]]:
    """The tour as a bash script marking each call's answer, and the calls it checks."""
    out, calls = ["set -u"], []
    for number, line in enumerate(lines):
        if line.startswith("export TOKEN="):
            line = f"export TOKEN={token}"
        elif line.startswith("URL="):
            line = f"URL={url}/api/v1"
        elif line.startswith("api() {"):
            out.append(line)
            # The README's api function, marking where each answer ends and its status.
            line = line.replace("api() {", "checked() {").replace(
                '"$@"', "-w '\\n@@status %{http_code}\\n' \"$@\""
            )
        elif line.startswith(("api ", "curl ")):
            calls.append((number, line))
            out.append(f"echo '@@line {number}'")
            line = "checked " + line[4:] if line.startswith("api ") else line
        out.append(line)
    return "\n".join(out) + "\n", calls


def _answers(output: str) -> dict[int, tuple[int | None, str]]:
    """Each call's status (None for plain curl lines) and what it printed, by line number."""
    answers: dict[int, tuple[int | None, str]] = {}
    for chunk in output.split("@@line ")[1:]:
        number, _, rest = chunk.partition("\n")
        if "@@status " not in rest:
            answers[int(number)] = (None, rest)
            continue
        body, _, status = rest.rpartition("@@status ")
        answers[int(number)] = (int(status.split()[0]), body)
    return answers


def _run_tour(token: str, url: str, again: bool) -> None:
    script, calls = _script(_tour_lines(), token, url)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answers = _answers(done.stdout)
    for number, line in calls:
        status, body = answers[number]
        if line.startswith("curl -i"):
            assert re.search(r"^etag: \"\d+\"", body, re.IGNORECASE | re.MULTILINE), body
            continue
        comment = line[line.index("#") :] if "#" in line else ""
        expected, code = (None, None)
        if again and _AGAIN.search(comment):
            expected, code = _AGAIN.search(comment).groups()
        elif _EXPECTED.search(comment):
            expected, code = _EXPECTED.search(comment).groups()
        if expected is None:
            assert 200 <= status < 300, (line, status, body)
            continue
        assert status == int(expected), (line, status, body)
        answer = json.loads(body)
        if code and status >= 400:
            assert answer["code"] == code, (line, answer)
        cycle = _CYCLE.search(comment)
        if cycle:
            assert answer["cycle"] == json.loads(cycle.group(1)), answer


def _demo_token(database_url: str) -> str:
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--database", database_url])
    assert result.exit_code == 0, result.output
    return next(line.strip() for line in result.output.splitlines() if "tl_" in line)


def test_the_readme_tour_answers_as_it_says_twice(tmp_path):
    # The tour is written for the demo, and the demo is a SQLite file: so is this test's.
    database_url = f"sqlite:///{tmp_path / 'throughline-demo.db'}"
    first = _demo_token(database_url)
    with LiveServer(database_url, workers=2) as live:
        _run_tour(first, live.url, again=False)
        second = _demo_token(database_url)
        _run_tour(second, live.url, again=True)
        stale = requests.get(
            live.url + "/api/v1/nodes", headers={"Authorization": f"Bearer {first}"}, timeout=10
        )
    assert stale.status_code == 401
