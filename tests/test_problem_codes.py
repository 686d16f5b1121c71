"""Every code the service can answer is listed in ``service/problems.py``, and so documented.

The codes are read from the source: the first argument of each ``DomainError``-like call
(``DomainError``, ``Conflict``, a subclass's ``super().__init__``, a rule's ``Problem``
in ``service/domain/rules.py``), the code of each
``problem(...)``, ``problem_bytes(...)`` and ``abort(..., code=...)``, the fallback of
``HTTP_CODES.get`` and the code of each import ``violation(...)``. A new code
written anywhere fails here until it is listed, and thereby in the OpenAPI enum.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from models.audit import AUDIT_ACTIONS, AUDIT_ENTITY_TYPES
from service.openapi import spec_dict
from service.problems import CELL_CODES, HTTP_CODES, PROBLEM_CODES, RULE_CODES, WARNING_CODES

SOURCE = Path(__file__).resolve().parents[1] / "service"
RAISERS = {"DomainError", "Conflict", "TableError", "__init__"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _on(call: ast.Call, name: str) -> bool:
    value = getattr(call.func, "value", None)
    return isinstance(value, ast.Name) and value.id == name


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def codes_in_source() -> dict[str, set[str]]:
    """``{"problem": codes, "violation": codes, "audit": actions}`` written in the service."""
    found: dict[str, set[str]] = {
        "problem": set(),
        "violation": set(),
        "audit": set(),
        "cell": set(),
        "warning": set(),
    }
    for path in SOURCE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            name, args = _name(call), call.args
            keywords = {k.arg: k.value for k in call.keywords}
            if name in RAISERS and args:
                code = _literal(args[0])
                if code is not None and code.islower():
                    found["problem"].add(code)
            elif name == "Problem" and args:  # a rule's problem: refused, or an import violation
                for kind in ("problem", "violation"):
                    found[kind].add(_literal(args[0]) or "")
            elif name == "problem" and len(args) >= 2:
                found["problem"].add(_literal(args[1]) or "")
            elif name == "problem_bytes" and len(args) >= 3:
                found["problem"].add(_literal(args[2]) or "")
            elif name == "get" and _on(call, "HTTP_CODES") and len(args) == 2:
                found["problem"].add(_literal(args[1]) or "")  # the fallback code
            elif name == "abort" and "code" in keywords:
                found["problem"].add(_literal(keywords["code"]) or "")
            elif name in {"cell_problem", "cell_warning"} and len(args) >= 3:
                found["cell" if name == "cell_problem" else "warning"].add(_literal(args[2]) or "")
            elif name == "violation" and args:
                found["violation"].add(_literal(args[0]) or "")
            elif name in {"record", "_event"} and len(args) >= 2 and _literal(args[0]):
                found["audit"].add(_literal(args[0]))
    for codes in found.values():
        codes.discard("")  # computed codes, such as ``problem.code``: written literally elsewhere
    return found


def test_the_source_is_read():
    found = codes_in_source()

    expected = {"cycle", "level", "not_found", "too_many_requests", "malformed_json"}
    assert expected <= found["problem"]
    assert {"duplicate_ref", "unknown_reference"} <= found["violation"]
    assert {"create", "review", "revoke"} <= found["audit"]


LISTS = {
    "problem": PROBLEM_CODES,
    "violation": RULE_CODES,
    "cell": CELL_CODES,
    "warning": WARNING_CODES,
}


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_every_code_the_source_raises_is_listed(kind):
    listed = set(LISTS[kind])

    unlisted = codes_in_source()[kind] - listed

    assert not unlisted, f"add these codes to service/problems.py: {sorted(unlisted)}"


def test_every_audit_action_written_is_listed():
    assert codes_in_source()["audit"] <= set(AUDIT_ACTIONS)


def test_every_listed_code_is_one_the_service_answers():
    found = codes_in_source()
    answered = found["problem"] | found["violation"] | set(HTTP_CODES.values())

    assert set(PROBLEM_CODES) - answered == set()
    assert set(WARNING_CODES) - found["warning"] == set()
    assert set(CELL_CODES) - found["cell"] - set(RULE_CODES) - {"invalid_value"} == set()


def test_the_document_lists_every_code(app):
    schemas = spec_dict(app)["components"]["schemas"]

    def enum(schema: str, field: str) -> list[str]:
        reference = schemas[schema]["properties"][field]["$ref"]
        return schemas[reference.rsplit("/", 1)[1]]["enum"]

    assert enum("Problem", "code") == list(PROBLEM_CODES)
    assert enum("Violation", "code") == list(RULE_CODES)
    assert enum("CellProblem", "code") == list(CELL_CODES)
    assert enum("CellWarning", "code") == list(WARNING_CODES)
    assert enum("AuditEvent", "action") == list(AUDIT_ACTIONS)
    assert enum("AuditEvent", "entity_type") == list(AUDIT_ENTITY_TYPES)
