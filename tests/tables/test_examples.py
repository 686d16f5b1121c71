"""The README's example sheets are the files the tests import."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["okr.csv", "jira.csv", "linear.csv"])
def test_the_readme_shows_each_example_file_as_it_is(name):
    text = (ROOT / "tests" / "data" / "tables" / name).read_text(encoding="utf-8")
    assert f"```csv\n{text}```" in README
    assert len(text.splitlines()) == 5
