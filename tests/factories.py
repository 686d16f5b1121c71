"""Build test data through the public API, the way a client would."""

from __future__ import annotations

import itertools
from typing import Any

_titles = itertools.count(1)


def create(client, resource: str, **fields: Any) -> dict:
    response = client.post(f"/api/v1/{resource}", json=fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def node(client, kind: str = "work", title: str | None = None, **fields: Any) -> dict:
    return create(client, "nodes", kind=kind, title=title or f"{kind} {next(_titles)}", **fields)


def link(client, source: dict | int, target: dict | int, type: str = "supports", **fields) -> dict:
    return create(
        client, "links", type=type, source_id=_id(source), target_id=_id(target), **fields
    )


def chain(client, *kinds: str, **fields: Any) -> list[dict]:
    """Nodes of the given kinds, each supporting the one before it."""
    made = [node(client, kinds[0], **fields)]
    for kind in kinds[1:]:
        made.append(node(client, kind, **fields))
        link(client, made[-1], made[-2])
    return made


def team(client, name: str = "Team", **fields: Any) -> dict:
    return create(client, "teams", name=name, **fields)


def person(client, name: str = "Person", **fields: Any) -> dict:
    return create(client, "people", name=name, **fields)


def period(client, name: str = "Q", start: str = "2026-10-01", end: str = "2026-12-31") -> dict:
    return create(client, "periods", name=name, start_date=start, end_date=end)


def _id(value: dict | int) -> int:
    return value["id"] if isinstance(value, dict) else value
