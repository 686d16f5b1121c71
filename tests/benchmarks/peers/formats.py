"""The generated tree in each tool's own format.

- Throughline: two import documents, the tree as it was linked and then the items that
  changed since (the second import moves the fingerprints, which makes links suspect).
- Doorstop: a document directory per level, one YAML item per file, each link stamped with
  the hash of its parent as it was when the link was made, each item reviewed as it is
  (the layout and hashes ``doorstop`` itself writes).
- StrictDoc: one ``.sdoc`` document per level with ``Parent`` relations; StrictDoc keeps
  no link stamps, so each requirement carries them in a ``STAMPS`` field of its grammar,
  which the job's reading of StrictDoc's JSON export compares.
"""

from __future__ import annotations

import hashlib
import json
from base64 import urlsafe_b64encode
from pathlib import Path

from tests.benchmarks.peers.tree import LEVELS, Item, Tree

__all__ = ["doorstop_stamp", "sdoc_stamp", "write_doorstop", "write_strictdoc", "write_throughline"]


def write_throughline(tree: Tree, directory: Path) -> list[Path]:
    """``linked.json`` (the tree as linked) and ``changed.json`` (what changed since)."""
    linked = {
        "nodes": [{"ref": item.uid, "kind": item.kind, "title": item.title} for item in tree.items],
        "links": [
            {"source": item.uid, "target": item.parent} for item in tree.items if item.parent
        ],
    }
    changed = {
        "nodes": [
            {"ref": item.uid, "kind": item.kind, "title": item.changed_title}
            for item in tree.items
            if item.changed_title
        ]
    }
    paths = [directory / "linked.json", directory / "changed.json"]
    for path, document in zip(paths, (linked, changed), strict=True):
        path.write_text(json.dumps(document), encoding="utf-8")
    return paths


def doorstop_stamp(*values: str) -> str:
    """Doorstop's stamp of an item's values (``doorstop.core.types.Stamp.digest``)."""
    digest = hashlib.sha256()
    for value in values:
        digest.update(str(value).encode())
    return urlsafe_b64encode(digest.digest()).decode()


def write_doorstop(tree: Tree, root: Path) -> Path:
    """A Doorstop tree under ``root`` (marked as a working copy so Doorstop finds its root)."""
    (root / ".mockvcs").mkdir(parents=True, exist_ok=True)
    by_uid = {item.uid: item for item in tree.items}
    parent_prefix = None
    for prefix, kind in LEVELS:
        directory = root / kind
        directory.mkdir()
        settings = ["  digits: 5", f"  prefix: {prefix}", "  sep: '-'"]
        if parent_prefix:
            settings.insert(1, f"  parent: {parent_prefix}")
        (directory / ".doorstop.yml").write_text("settings:\n" + "\n".join(settings) + "\n")
        level = (item for item in tree.items if item.kind == kind)
        for number, item in enumerate(level, start=1):
            (directory / f"{item.uid}.yml").write_text(_doorstop_item(item, number, by_uid))
        parent_prefix = prefix
    return root


def _doorstop_item(item: Item, level: int, by_uid: dict[str, Item]) -> str:
    links, linked = "links: []", []
    if item.parent:
        parent = by_uid[item.parent]
        # The parent as it was when the link was made: a changed parent no longer matches.
        links = f"links:\n- {parent.uid}: {doorstop_stamp(parent.uid, parent.title, '')}"
        linked = [parent.uid]
    reviewed = doorstop_stamp(item.uid, item.current_title, "", *linked)
    return (
        "active: true\nderived: false\nheader: ''\n"
        f"level: {level}\n{links}\nnormative: true\nref: ''\n"
        f"reviewed: {reviewed}\ntext: {json.dumps(item.current_title)}\n"
    )


def sdoc_stamp(title: str) -> str:
    """The stamp a StrictDoc requirement keeps of its parent: a hash of the parent's title."""
    return hashlib.sha256(title.encode()).hexdigest()[:16]


_GRAMMAR = """[GRAMMAR]
ELEMENTS:
- TAG: REQUIREMENT
  FIELDS:
  - TITLE: UID
    TYPE: String
    REQUIRED: True
  - TITLE: TITLE
    TYPE: String
    REQUIRED: True
  - TITLE: STAMPS
    TYPE: String
    REQUIRED: False
  RELATIONS:
  - TYPE: Parent
"""


def write_strictdoc(tree: Tree, directory: Path) -> Path:
    """One ``.sdoc`` file per level in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    by_uid = {item.uid: item for item in tree.items}
    for number, (_prefix, kind) in enumerate(LEVELS, start=1):
        parts = [f"[DOCUMENT]\nTITLE: {kind.capitalize()}\n", _GRAMMAR]
        for item in tree.items:
            if item.kind != kind:
                continue
            lines = ["[REQUIREMENT]", f"UID: {item.uid}", f"TITLE: {item.current_title}"]
            if item.parent:
                parent = by_uid[item.parent]
                lines.append(f"STAMPS: {parent.uid}={sdoc_stamp(parent.title)}")
                lines += ["RELATIONS:", "- TYPE: Parent", f"  VALUE: {parent.uid}"]
            parts.append("\n".join(lines) + "\n")
        (directory / f"{number}-{kind}.sdoc").write_text("\n".join(parts), encoding="utf-8")
    return directory
