"""Glossary terms and definitions: CRUD, search, duplicates, permissions."""

from __future__ import annotations

from tests import factories as f


def test_a_term_is_created_and_read_back(client):
    made = f.create(client, "terms", name="Customer", aliases=["client"], metrics=["nrr"])

    got = client.get(f"/api/v1/terms/{made['id']}").get_json()

    assert got["name"] == "Customer"
    assert got["aliases"] == ["client"]
    assert got["definitions"] == []
