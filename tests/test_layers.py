"""Nothing below imports anything above it: the domain knows no Flask, API or schemas."""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ABOVE_THE_DOMAIN = (
    "flask",
    "werkzeug",
    "flask_smorest",
    "marshmallow",
    "service.api",
    "service.errors",
    "service.schemas",
    "service.http",
)


def _imports(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "service" / "domain").glob("*.py")),
    ids=lambda p: p.name,
)
def test_the_domain_imports_nothing_from_above(path):
    reaching_up = {
        name
        for name in _imports(path)
        if any(name == above or name.startswith(above + ".") for above in ABOVE_THE_DOMAIN)
    }

    assert reaching_up == set()
