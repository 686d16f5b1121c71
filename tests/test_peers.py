"""The peers benchmark's generator and its readings of each tool's output, on tiny trees.

The benchmark itself (``python -m tests.benchmarks --peers``) runs the tools; here the
tree, the formats and the ground truth are checked, and Throughline's job is run in full.
"""

from __future__ import annotations

import doctest
import json

from click.testing import CliRunner

from service.cli import main
from tests.benchmarks.peers import formats, jobs, tree
from tests.benchmarks.peers.run import BEGIN, END, write_results
from tests.benchmarks.peers.tree import LEVELS, generate

KINDS = [kind for _prefix, kind in LEVELS]


def test_the_tree_is_a_chain_with_the_planted_findings():
    made = generate(400, seed=3)
    by_uid = {item.uid: item for item in made.items}

    assert made.items == generate(400, seed=3).items
    assert [item.kind for item in made.items][:1] == ["mission"]
    for item in made.items[1:]:
        if item.uid in made.unlinked:
            assert item.parent is None
        else:
            assert KINDS.index(by_uid[item.parent].kind) == KINDS.index(item.kind) - 1
    assert len(made.unlinked) == 4
    changed = {item.uid for item in made.items if item.changed_title}
    assert len(changed) == 2
    assert made.suspect == {(i.uid, i.parent) for i in made.items if i.parent in changed}


def test_the_tree_examples_hold():
    assert doctest.testmod(tree).failed == 0


def test_throughline_names_exactly_the_ground_truth(tmp_path):
    tree = generate(300, seed=1)
    documents = formats.write_throughline(tree, tmp_path)
    args = ["check", "--list"] + [part for d in documents for part in ("--import", str(d))]

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    assert jobs.throughline_findings(result.output) == (tree.unlinked, tree.suspect)


def test_doorstop_items_carry_the_parent_stamp_as_it_was_linked(tmp_path):
    tree = generate(60, seed=2)
    formats.write_doorstop(tree, tmp_path)
    child, parent = sorted(tree.suspect)[0]
    by_uid = {item.uid: item for item in tree.items}

    text = (tmp_path / by_uid[child].kind / f"{child}.yml").read_text()

    stamp_then = formats.doorstop_stamp(parent, by_uid[parent].title, "")
    stamp_now = formats.doorstop_stamp(parent, by_uid[parent].current_title, "")
    assert f"- {parent}: {stamp_then}" in text and stamp_then != stamp_now
    assert (tmp_path / "goal" / ".doorstop.yml").read_text().count("parent: STR") == 1


def test_doorstop_warnings_are_read_as_findings():
    output = (
        "WARNING: WRK: WRK-00007: no links to parent document: GOL\n"
        "WARNING: WRK: WRK-00009: suspect link: GOL-00002\n"
        "WARNING: GOL: GOL-00001: unreviewed changes\n"
    )

    assert jobs.doorstop_findings(output) == ({"WRK-00007"}, {("WRK-00009", "GOL-00002")})


def test_strictdoc_export_is_read_as_findings(tmp_path):
    tree = generate(40, seed=4)
    by_document = {kind: [] for kind in KINDS}
    for item in tree.items:
        node = {"UID": item.uid, "TITLE": item.current_title}
        if item.parent:
            parent_title = next(i.title for i in tree.items if i.uid == item.parent)
            node["STAMPS"] = f"{item.parent}={formats.sdoc_stamp(parent_title)}"
            node["RELATIONS"] = [{"TYPE": "Parent", "VALUE": item.parent}]
        by_document[item.kind].append(node)
    index = tmp_path / "index.json"
    index.write_text(json.dumps({"DOCUMENTS": [{"NODES": by_document[k]} for k in KINDS]}))

    lines = jobs.read_strictdoc_export(index)

    assert jobs.strictdoc_findings("\n".join(lines)) == (tree.unlinked, tree.suspect)


def test_the_results_section_replaces_the_earlier_one(tmp_path):
    path = tmp_path / "results.md"
    path.write_text("# Benchmark results\n\nOther figures.\n")

    write_results("first\n", path)
    write_results("second\n", path)

    text = path.read_text()
    assert text.count(BEGIN) == text.count(END) == 1
    assert "second" in text and "first" not in text and "Other figures." in text
