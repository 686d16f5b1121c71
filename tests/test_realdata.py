"""Real public goal and requirement sets give the orphans their maintainers' data implies."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "realdata"


def _load(client, document):
    """Import the data set through the API (owners are free text there: left out)."""
    nodes = [{k: item[k] for k in ("ref", "kind", "title", "status")} for item in document["nodes"]]
    links = [{k: item[k] for k in ("type", "source", "target")} for item in document["links"]]
    response = client.post("/api/v1/import", json={"nodes": nodes, "links": links})
    assert response.status_code == 200, response.get_json()
    return {
        item["ref"]: item["id"]
        for item in client.get("/api/v1/nodes?limit=1000").get_json()["items"]
    }


@pytest.mark.parametrize("name", ["strictdoc.json", "rust-project-goals.json"])
def test_orphans_of_real_data_match_the_expected_ones(app, client, name):
    document = json.loads((DATA / name).read_text(encoding="utf-8"))
    expected = document["expected"]
    ids = _load(client, document)
    refs = {node_id: ref for ref, node_id in ids.items()}

    body = client.get("/api/v1/analysis/orphans?limit=1000").get_json()

    found = {refs[item["node"]["id"]]: item["reason"] for item in body["items"]}
    assert found == expected["orphans"]
    causes = {
        refs[item["node"]["id"]]: sorted(refs[c] for c in item["root_causes"])
        for item in body["items"]
        if item["root_causes"]
    }
    assert causes == {ref: sorted(c) for ref, c in expected["orphan_root_causes"].items()}
    assert body["total"] == expected["counts"]["orphans"]
    assert Counter(found.values()) == {
        reason: count for reason, count in expected["counts"]["orphans_by_reason"].items() if count
    }
    unsupported = client.get("/api/v1/analysis/unsupported?limit=1").get_json()
    assert unsupported["total"] == expected["counts"]["unsupported"]
    health = client.get("/api/v1/analysis/health").get_json()
    assert health["counts"]["total"] == expected["counts"]["nodes"]
    # The data sets hold no market needs; health counts every kind, needs included.
    assert health["counts"]["by_kind"] == {**expected["counts"]["nodes_by_kind"], "need": 0}
