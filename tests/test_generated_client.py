"""A typed client generated from the committed document works, strictly typed, as portals use it.

Once per test session, ``openapi-python-client`` generates the ``throughline_client`` package
from ``openapi/openapi.yaml`` into a temporary folder (nothing is kept between runs). The
scenario in ``tests/client_scenario.py`` is then type-checked with ``mypy --strict`` and run
against a live server. The generator's own modules are not held to ``--strict`` (its
``client.py`` template trips two checks on the ``__exit__`` of httpx's clients); the
scenario is, against the generated types.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from service.tables.read import TABLE_MEDIA
from tests.live import LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.live]

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "openapi" / "openapi.yaml"
SCENARIO = Path(__file__).with_name("client_scenario.py")
PACKAGE = "throughline_client"
BIN = Path(sys.executable).parent
MYPY_CONFIG = f"""\
[mypy]
strict = True
cache_dir = .mypy_cache

[mypy-{PACKAGE}.*]
ignore_errors = True
"""


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        message = f"{name} is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the generated-client tests.", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def client_dir(tmp_path_factory) -> Path:
    """A folder holding the generated package, the scenario and a mypy configuration."""
    folder = tmp_path_factory.mktemp("generated-client")
    # The generator formats its output with ruff, which it looks for on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            _tool("openapi-python-client"),
            "generate",
            "--path",
            str(DOCUMENT),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The generator warns about each part of a document it cannot type; there must be none
    # but one: a table import may also be sent as text/csv or as an xlsx workbook, media the
    # generator has no type for; it takes that body as bytes (application/octet-stream).
    blocks = output.split("WARNING parsing ")[1:]
    untyped = {m for m in TABLE_MEDIA if m != "application/octet-stream"}
    for block in blocks:
        assert block.startswith("POST /api/v1/import/table "), output
        assert any(f"Unsupported content type {media}\n" in block for media in untyped), output
    assert len(blocks) == len(untyped), output
    assert (folder / PACKAGE / "api" / "import_" / "import_table.py").exists()
    shutil.copy(SCENARIO, folder / SCENARIO.name)
    (folder / "mypy.ini").write_text(MYPY_CONFIG, encoding="utf-8")
    return folder


def _mypy(folder: Path, source: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_tool("mypy"), "--strict", "--config-file", "mypy.ini", source],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_scenario_type_checks_under_mypy_strict(client_dir):
    text = SCENARIO.read_text(encoding="utf-8")
    assert not re.search(r"\bcast\(|#\s*type:\s*ignore", text)

    result = _mypy(client_dir, SCENARIO.name)

    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_refuses_a_summary_used_before_it_is_narrowed(client_dir):
    # A trace's nodes are visible nodes or redacted placeholders: reading a title without
    # checking which is a type error, so the strict check above is not vacuous.
    careless = client_dir / "careless.py"
    careless.write_text(
        "from throughline_client.models import TraceUp\n\n\n"
        "def title(trace: TraceUp) -> str:\n"
        "    return trace.node.title\n",
        encoding="utf-8",
    )

    result = _mypy(client_dir, careless.name)

    assert result.returncode == 1
    assert 'Item "RedactedNode"' in result.stdout and 'has no attribute "title"' in result.stdout


def test_the_scenario_runs_against_a_live_server(client_dir, database_url, admin_token):
    env = {**os.environ, "PYTHONPATH": str(client_dir)}
    with LiveServer(database_url, workers=2) as server:
        result = subprocess.run(
            [sys.executable, SCENARIO.name, server.url, admin_token],
            cwd=client_dir,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        log = server.output()

    assert result.returncode == 0, result.stdout + result.stderr + log[-5000:]
    assert "scenario passed" in result.stdout
