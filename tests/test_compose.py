"""The compose file and Dockerfile only use commands, ports and settings the service has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from service.cli import main
from service.config import Config
from tests.nginx import compose_nginx_config

ROOT = Path(__file__).resolve().parents[1]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _accepts(args: list[str]) -> None:
    """The CLI parses these arguments (checked with --help so nothing starts)."""
    assert args[0] == "throughline"
    command = args[1:]
    result = CliRunner().invoke(main, [command[0], "--help"])
    assert result.exit_code == 0, result.output
    for option in (a for a in command[1:] if a.startswith("--")):
        assert option in result.output, f"{command[0]} has no option {option}"


def test_compose_runs_a_real_command_behind_the_proxy():
    services = _compose()["services"]
    api = services["api"]

    _accepts(api["command"])
    port = api["command"][api["command"].index("--port") + 1]
    assert "ports" not in api, "the service must be reachable only through the proxy"
    assert api["expose"] == [port]
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    assert f"server api:{port};" in compose_nginx_config()
    assert services["proxy"]["image"].startswith("nginx:")
    assert [c["source"] for c in services["proxy"]["configs"]] == ["nginx"]
    assert any(p.endswith(":80") for p in services["proxy"]["ports"])


def test_compose_sets_only_variables_the_service_reads():
    known = {name for name, _default, _doc in Config.documented()}
    environment = _compose()["services"]["api"]["environment"]

    assert set(environment) <= known
    assert environment["THROUGHLINE_DATABASE_URL"].startswith("postgresql+psycopg://")
    Config.from_env({k: str(v) for k, v in environment.items()})


def test_compose_database_matches_the_service_url():
    compose = _compose()
    db = compose["services"]["db"]["environment"]
    url = compose["services"]["api"]["environment"]["THROUGHLINE_DATABASE_URL"]

    assert f"{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@db:5432/{db['POSTGRES_DB']}" in url
    assert compose["volumes"] and "db-data" in compose["volumes"]


def test_dockerfile_command_and_port_are_real():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    args = yaml.safe_load(command)

    _accepts(args)
    assert f"EXPOSE {args[args.index('--port') + 1]}" in dockerfile
    for copied in re.findall(r"^COPY (\S+)", dockerfile, re.M):
        for name in shlex.split(copied):
            assert (ROOT / name).exists(), name
