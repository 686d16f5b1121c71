"""The synthetic company generator: deterministic, well formed, shaped like a real company."""

from __future__ import annotations

import datetime as dt
import doctest
import io
import json
import re
import time
from collections import Counter

import networkx as nx
import pytest

from service import generate as generate_module
from service.generate import MIN_NODES, generate, write
from service.graph import conflicts, orphans
from service.graph.codes import LEVELS, LIVE, STATUSES

EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
SIZES = [2000, 20000]


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}-nodes" for n in SIZES])
def company(request):
    return generate(request.param, seed=request.param)


@pytest.fixture(scope="module")
def analysis(company):
    return supports_graph(company)


def supports_graph(document):
    """The analysis inputs: the supports graph on integer ids, periods, key results, declared."""
    ids = {node["ref"]: i for i, node in enumerate(document["nodes"])}
    G = nx.DiGraph()
    for i, node in enumerate(document["nodes"]):
        due = node.get("due_date")
        G.add_node(
            i,
            kind=node["kind"],
            status=node["status"],
            standalone=node.get("standalone", False),
            team_id=node["team"],
            owner_id=node["owner"],
            period_id=node["period"],
            start_date=None,
            due_date=dt.date.fromisoformat(due) if due else None,
            reported_progress=node.get("reported_progress"),
        )
    declared = []
    for link_id, link in enumerate(document["links"]):
        source, target = ids[link["source"]], ids[link["target"]]
        if link["type"] == "supports":
            G.add_edge(target, source, link_id=link_id, weight=link.get("weight", 1.0))
        elif link["type"] == "conflicts_with":
            declared.append((link_id, source, target))
    periods = {
        p["ref"]: (dt.date.fromisoformat(p["start_date"]), dt.date.fromisoformat(p["end_date"]))
        for p in document["periods"]
    }
    key_results: dict[int, list[dict]] = {}
    for kr_id, kr in enumerate(document["key_results"]):
        key_results.setdefault(ids[kr["goal"]], []).append(
            {
                "id": kr_id,
                "metric": kr["metric"],
                "direction": kr["direction"],
                "start_value": kr["start_value"],
                "target_value": kr["target_value"],
                "current_value": kr.get("current_value"),
                "weight": kr.get("weight", 1),
            }
        )
    return G, periods, key_results, declared


def test_same_seed_gives_the_same_document():
    assert generate(3000, seed=5) == generate(3000, seed=5)


def test_different_seeds_give_different_documents():
    first, second = generate(3000, seed=5), generate(3000, seed=6)

    assert first["nodes"] != second["nodes"]
    assert first["links"] != second["links"]


@pytest.mark.parametrize("n", SIZES)
def test_counts_follow_the_size(n):
    document = generate(n, seed=1)

    kinds = Counter(node["kind"] for node in document["nodes"])
    assert len(document["nodes"]) == n
    assert kinds["mission"] == 1
    assert kinds["vision"] == max(2, round(n / 20000))
    assert kinds["strategy"] == pytest.approx(n / 400, rel=0.1)
    assert kinds["goal"] == pytest.approx(n / 20, rel=0.1)
    assert kinds["work"] > 0.9 * n
    assert len(document["teams"]) == pytest.approx(max(3, n / 200), rel=0.1)
    assert len(document["people"]) == pytest.approx(n / 20, rel=0.1)
    assert [p["ref"] for p in document["periods"]] == [f"q-2026-{q}" for q in (1, 2, 3, 4)]


def test_every_ref_is_unique_and_every_reference_resolves(company):
    refs = {
        section: [item["ref"] for item in company[section]]
        for section in ("teams", "people", "periods", "nodes", "key_results")
    }
    known = {section: set(found) for section, found in refs.items()}
    nodes = known["nodes"]

    assert all(len(found) == len(known[section]) for section, found in refs.items())
    assert {t["parent"] for t in company["teams"]} - {None} <= known["teams"]
    assert {t for p in company["people"] for t in p["teams"]} <= known["teams"]
    assert {n["team"] for n in company["nodes"]} - {None} <= known["teams"]
    assert {n["owner"] for n in company["nodes"]} - {None} <= known["people"]
    assert {n["period"] for n in company["nodes"]} - {None} <= known["periods"]
    assert {end for link in company["links"] for end in (link["source"], link["target"])} <= nodes
    assert {kr["goal"] for kr in company["key_results"]} <= nodes


def test_teams_come_after_their_parent_in_a_shallow_tree(company):
    depth = {}
    for team in company["teams"]:
        depth[team["ref"]] = 0 if team["parent"] is None else depth[team["parent"]] + 1

    assert max(depth.values()) <= 2
    assert 3 <= sum(d == 0 for d in depth.values()) <= 13


def test_people_have_valid_emails_and_one_or_two_teams(company):
    people = company["people"]
    emails = [p["email"] for p in people if p["email"] is not None]

    assert all(EMAIL.match(email) for email in emails)
    assert len(set(emails)) == len(emails) > 0.9 * len(people)
    assert all(1 <= len(set(p["teams"])) == len(p["teams"]) <= 2 for p in people)


def test_nodes_have_valid_fields(company):
    nodes = company["nodes"]
    work = [n for n in nodes if n["kind"] == "work"]
    progress = [n["reported_progress"] for n in nodes if "reported_progress" in n]

    assert all(n["status"] in STATUSES for n in nodes)
    assert all(1 <= len(n["title"]) <= 200 for n in nodes)
    assert len({n["title"] for n in work}) > 0.3 * len(work)
    assert all(dt.date.fromisoformat(n["due_date"]).year == 2026 for n in nodes if "due_date" in n)
    assert progress and all(0 <= p <= 1 for p in progress)
    assert all(n["kind"] == "work" for n in nodes if "reported_progress" in n)
    assert all(n["standalone_reason"] for n in nodes if n.get("standalone"))
    assert sum(n["owner"] is not None for n in nodes) > 0.9 * len(nodes)
    assert sum(n["period"] is not None for n in work) > 0.8 * len(work)


def test_statuses_are_mostly_active(company):
    statuses = Counter(n["status"] for n in company["nodes"])
    total = len(company["nodes"])

    assert statuses["active"] > 0.4 * total
    assert statuses["active"] == max(statuses.values())
    assert 0 < statuses["cancelled"] + statuses["archived"] < 0.15 * total
    assert statuses["draft"] > 0 and statuses["done"] > 0


def test_links_obey_the_domain_rules(company):
    kind = {n["ref"]: n["kind"] for n in company["nodes"]}
    links = company["links"]
    supports = [(link["source"], link["target"]) for link in links if link["type"] == "supports"]
    declared = [
        frozenset((link["source"], link["target"]))
        for link in links
        if link["type"] == "conflicts_with"
    ]

    assert {link["type"] for link in links} == {
        "supports",
        "depends_on",
        "conflicts_with",
        "serves",
    }
    assert all(link["source"] != link["target"] for link in links)
    assert all(LEVELS[kind[parent]] <= LEVELS[kind[child]] for child, parent in supports)
    assert all(kind[child] != "mission" for child, _ in supports)
    assert len(set(supports)) == len(supports)
    assert len(set(declared)) == len(declared) > 0
    assert all(0 <= link.get("weight", 1) <= 1 for link in links)


def test_every_vision_supports_the_mission(company):
    mission = company["nodes"][0]["ref"]
    visions = {n["ref"] for n in company["nodes"] if n["kind"] == "vision"}
    supported = {
        link["source"]
        for link in company["links"]
        if link["type"] == "supports" and link["target"] == mission
    }

    assert company["nodes"][0]["kind"] == "mission"
    assert visions <= supported


def test_the_supports_graph_is_acyclic(analysis):
    G, *_ = analysis

    assert nx.is_directed_acyclic_graph(G)


def test_links_per_node_are_about_one_and_a_half(company):
    assert 1.3 <= len(company["links"]) / len(company["nodes"]) <= 1.7


def test_about_one_percent_are_orphans_of_every_reason(company, analysis):
    G, *_ = analysis

    found = orphans(G)

    assert 0.005 <= len(found) / len(company["nodes"]) <= 0.02
    assert {o.reason for o in found} == {"unlinked", "broken_chain", "inactive_path"}


def test_standalone_work_is_present_and_never_an_orphan(analysis):
    G, *_ = analysis
    standalone = {n for n, data in G.nodes(data=True) if data["standalone"]}

    found = {o.node for o in orphans(G)}

    assert standalone
    assert all(G.nodes[n]["kind"] == "work" for n in standalone)
    assert not standalone & found


def test_every_kind_of_conflict_is_present(company, analysis):
    G, periods, key_results, declared = analysis

    found = Counter(c["type"] for c in conflicts(G, periods, key_results, declared))

    assert set(found) == {"declared", "metric", "period", "status"}
    assert sum(found.values()) < 0.05 * len(company["nodes"])


def test_key_results_point_the_way_they_say(company):
    goals = {n["ref"] for n in company["nodes"] if n["kind"] == "goal"}
    key_results = company["key_results"]
    per_goal = Counter(kr["goal"] for kr in key_results)

    assert {kr["goal"] for kr in key_results} <= goals
    assert 1.5 <= len(key_results) / len(goals) <= 2.5
    assert max(per_goal.values()) <= 4
    for kr in key_results:
        gain = kr["target_value"] - kr["start_value"]
        assert gain > 0 if kr["direction"] == "increase" else gain < 0
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", kr["metric"])


def test_opposing_key_results_share_a_metric(company):
    directions: dict[str, set[str]] = {}
    for kr in company["key_results"]:
        directions.setdefault(kr["metric"], set()).add(kr["direction"])

    assert any(len(found) == 2 for found in directions.values())


def test_live_goals_of_different_teams_are_declared_in_conflict(company):
    nodes = {n["ref"]: n for n in company["nodes"]}
    declared = [link for link in company["links"] if link["type"] == "conflicts_with"]

    for link in declared:
        a, b = nodes[link["source"]], nodes[link["target"]]
        assert a["kind"] == b["kind"] == "goal"
        assert a["team"] != b["team"]
        assert a["status"] in LIVE and b["status"] in LIVE


def test_the_smallest_company_is_well_formed():
    document = generate(MIN_NODES, seed=0)
    G, *_ = supports_graph(document)

    assert len(document["nodes"]) == MIN_NODES
    assert nx.is_directed_acyclic_graph(G)
    assert Counter(n["kind"] for n in document["nodes"])["mission"] == 1


@pytest.mark.parametrize("nodes", [0, MIN_NODES - 1, -5, 2000.0, True, "2000"])
def test_too_few_or_odd_node_counts_are_rejected(nodes):
    with pytest.raises(ValueError, match="at least"):
        generate(nodes)


def test_write_gives_the_same_text_as_a_compact_json_dump(monkeypatch):
    document = generate(500, seed=2)
    expected = json.dumps(document, separators=(",", ":"))
    monkeypatch.setattr(generate_module, "_BATCH", 7)  # many batches, and a short last one
    stream = io.StringIO()

    write(document, stream)

    assert stream.getvalue() == expected
    assert json.loads(stream.getvalue()) == document


def test_write_handles_empty_lists():
    stream = io.StringIO()

    write({"teams": [], "links": [{"type": "supports"}]}, stream)

    assert stream.getvalue() == '{"teams":[],"links":[{"type":"supports"}]}'


def test_docstring_examples_run():
    result = doctest.testmod(generate_module)

    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.slow
def test_a_hundred_thousand_nodes_generate_quickly():
    started = time.perf_counter()
    document = generate(100_000, seed=0)
    elapsed = time.perf_counter() - started

    assert len(document["nodes"]) == 100_000
    assert elapsed < 10
