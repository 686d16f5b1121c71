"""The README documents every setting and the two commands a new user runs."""

from __future__ import annotations

from pathlib import Path

from service.config import Config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table():
    for variable, default, doc in Config.documented():
        assert f"| `{variable}` | `{default}` | {doc} |" in README, variable


def test_the_two_commands_are_there():
    assert "pip install -e . && .venv/bin/throughline demo" in README
    assert "pip install -e '.[test]' && .venv/bin/pytest" in README
