"""Fuzzing every write operation's JSON body: whatever arrives, the answer is never a 500.

Bodies are written as JSON text by hand, so they can hold what ``json.dumps`` would not
write or a client library would clean up: lone surrogates, control characters, integers
of thousands of digits, numbers past a double's range and nesting hundreds of levels deep.
Half the bodies use the operation's own field names, so values reach the domain rules.
Bounded: a few dozen examples an operation, derandomized, no example database.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.openapi import spec_dict
from tests import factories as f

EXAMPLES = 25


class Raw(str):
    """JSON text written as it is (a number no encoder writes, a deep nest)."""


def _text(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_text(k)}:{_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_text(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)  # ASCII escapes: a lone surrogate stays "\ud800"
    return json.dumps(value)


strings = st.text(st.characters(codec=None), max_size=40) | st.sampled_from(
    ["", "\ud800", "a\udfffb", "\x00", "\x1f\x7f", "\ufffd", "\U0001f600", "x" * 5000]
)
numbers = (
    st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, -1, 1.0, 2**53, 2**63, 2**64 + 1, 1e-320, 5e-324, 1.7e308])
    | st.sampled_from(["9" * 400, "-" + "9" * 5000, "1e400", "-1e400", "1e-400"]).map(Raw)
)
deep = st.integers(1, 200).map(lambda n: Raw("[" * n + "]" * n))
scalars = st.none() | st.booleans() | numbers | strings | deep
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
    max_leaves=12,
)


def _bodies(fields: list[str]):
    shaped = st.dictionaries(st.sampled_from(fields), values, max_size=len(fields))
    return (shaped if fields else values) | values


def _operations(app) -> list[tuple[str, str, list[str]]]:
    spec = spec_dict(app)
    schemas = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or "requestBody" not in operation:
                continue
            body = operation["requestBody"]
            if "application/json" not in body["content"]:
                continue  # a table's bytes: fuzzed in tests/tables/test_fuzz.py
            schema = body["content"]["application/json"]["schema"]
            name = schema.get("$ref", "").rsplit("/", 1)[-1]
            found.append((method, path, sorted(schemas.get(name, {}).get("properties", {}))))
    return found


def _world(client) -> dict[str, str]:
    team = f.team(client, "T")
    person = f.person(client, "P", team_ids=[team["id"]])
    goal = f.node(client, "goal", ref="G-1")
    work = f.node(client, "work")
    link = f.link(client, work, goal)
    kr = f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="m.x",
        direction="increase",
        start_value=0,
        target_value=1,
    )
    return {
        "node_id": goal["id"],
        "link_id": link["id"],
        "kr_id": kr["id"],
        "team_id": team["id"],
        "person_id": person["id"],
        "period_id": f.period(client)["id"],
        "ref": "G-1",
    }


def test_every_write_operation_is_fuzzed(app):
    assert len(_operations(app)) == 18


@pytest.mark.parametrize("index", range(18))
def test_no_body_makes_a_write_operation_fail_with_a_500(app, client, index):
    method, path, fields = _operations(app)[index]
    url = path.format(**_world(client))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(body=_bodies(fields))
    def answers_without_a_server_error(body):
        response = client.open(
            url, method=method.upper(), data=_text(body), content_type="application/json"
        )
        assert response.status_code < 500, (method, url, _text(body)[:300], response.get_json())
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"

    answers_without_a_server_error()
