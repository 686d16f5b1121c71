"""Export formats on tiny literal documents: each opens in the tool it is written for."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pydot
import pytest

from service.graph.export import (
    MERMAID_MAX_NODES,
    export_scope,
    to_dot,
    to_graphml,
    to_json,
    to_mermaid,
)
from service.graph.export_table import OKR_COLUMNS, to_okr_csv

TRICKY = 'Say "hi" <script>alert(1)</script> \\ # & done\nnext line'


def document():
    return {
        "nodes": [
            {
                "id": 1,
                "ref": "M-1",
                "kind": "mission",
                "title": "Win",
                "status": "active",
                "team_id": None,
                "progress": 0.5,
                "aligned": True,
                "reason": None,
            },
            {"id": 2, "kind": "vision", "redacted": True},
            {
                "id": 3,
                "ref": None,
                "kind": "goal",
                "title": TRICKY,
                "status": "cancelled",
                "team_id": 7,
                "progress": None,
                "aligned": False,
                "reason": "unlinked",
            },
        ],
        "links": [
            {
                "id": 4,
                "type": "supports",
                "source_id": 2,
                "target_id": 1,
                "weight": 1.0,
                "suspect": False,
            },
            {
                "id": 5,
                "type": "supports",
                "source_id": 3,
                "target_id": 2,
                "weight": 0.5,
                "suspect": True,
            },
            {
                "id": 6,
                "type": "depends_on",
                "source_id": 3,
                "target_id": 2,
                "weight": 1.0,
                "suspect": False,
            },
        ],
    }


def test_scope_follows_direction_and_depth():
    G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 5)])
    assert export_scope(G) == [1, 2, 3, 4, 5]
    assert export_scope(G, 3, "up") == [1, 2, 3]
    assert export_scope(G, 3, "down") == [3, 4, 5]
    assert export_scope(G, 3, "both", depth=1) == [2, 3, 4]


def test_scope_refuses_unknown_root_and_direction():
    G = nx.DiGraph([(1, 2)])
    with pytest.raises(nx.NodeNotFound):
        export_scope(G, 9)
    with pytest.raises(ValueError):
        export_scope(G, 1, "sideways")


def test_json_is_the_document():
    assert json.loads(to_json(document())) == document()


def test_graphml_round_trips_through_networkx():
    G = nx.read_graphml(io.BytesIO(to_graphml(document()).encode()))
    assert sorted(G.nodes) == ["1", "2", "3"]
    assert G.nodes["1"]["title"] == "Win" and G.nodes["1"]["progress"] == 0.5
    assert G.nodes["2"] == {"kind": "vision", "redacted": True}
    assert G.nodes["3"]["title"] == TRICKY
    edges = sorted((u, v, d["type"], d["weight"], d["suspect"]) for u, v, d in G.edges(data=True))
    assert edges == [
        ("2", "1", "supports", 1.0, False),
        ("3", "2", "depends_on", 1.0, False),
        ("3", "2", "supports", 0.5, True),
    ]


# pydot's grammar calls pyparsing names that pyparsing 3.3 deprecates.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dot_parses_with_pydot_and_keeps_titles():
    (graph,) = pydot.graph_from_dot_data(to_dot(document()))
    nodes = {node.get_name(): node for node in graph.get_nodes()}
    label = nodes["n3"].get("label")
    assert "<script>" in label and '\\"hi\\"' in label
    assert nodes["n2"].get("redacted") == '"true"'
    assert len(graph.get_edges()) == 3
    assert "Win" not in nodes["n2"].get("label")


def test_mermaid_escapes_what_would_end_a_label():
    text = to_mermaid(document())
    assert 'n3["Say #quot;hi#quot; #lt;script#gt;' in text
    assert "<script>" not in text and "\n  n3 -.->|depends on| n2" in text
    assert 'n2["hidden vision"]:::redacted' in text


def test_mermaid_refuses_too_many_nodes():
    nodes = [{"id": i, "kind": "work", "redacted": True} for i in range(MERMAID_MAX_NODES + 1)]
    with pytest.raises(ValueError):
        to_mermaid({"nodes": nodes, "links": []})


@pytest.mark.parametrize("writer", [to_json, to_graphml, to_dot, to_mermaid])
def test_the_same_document_gives_the_same_bytes(writer):
    assert writer(document()) == writer(json.loads(json.dumps(document())))


def test_okr_csv_names_rows_by_ref_and_hides_placeholders():
    nodes = [
        {"id": 1, "ref": "M-1", "kind": "mission", "title": "Win", "status": "active"},
        {"id": 2, "kind": "vision", "redacted": True},
        {"id": 3, "ref": None, "kind": "goal", "title": TRICKY, "status": "draft", "team": "T"},
    ]
    links = document()["links"]
    key_results = [
        {
            "id": 9,
            "ref": None,
            "node_id": 3,
            "metric": "m",
            "direction": "increase",
            "start_value": 0.0,
            "target_value": 10.0,
            "current_value": None,
            "weight": 1.0,
        },
    ]
    rows = list(csv.DictReader(io.StringIO(to_okr_csv(nodes, links, key_results))))
    assert list(rows[0]) == list(OKR_COLUMNS)
    assert [row["ref"] for row in rows] == ["M-1", "node-2", "node-3", "key-result-9"]
    assert rows[1] == {**{c: "" for c in OKR_COLUMNS}, "ref": "node-2", "kind": "vision"}
    assert rows[2]["title"] == TRICKY and rows[2]["parents"] == "node-2"
    assert rows[3]["parents"] == "node-3" and rows[3]["target_value"] == "10"
