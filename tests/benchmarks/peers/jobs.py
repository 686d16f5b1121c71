"""The job on each tool: the command that loads the tree and names what is wrong, and
the reading of its output into (unlinked items, suspect links) to hold against the truth.

``python -m tests.benchmarks.peers.jobs FILE`` reads StrictDoc's JSON export: StrictDoc
names neither finding itself, so this reading is part of StrictDoc's job and its time.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.peers.formats import sdoc_stamp

Findings = tuple[set[str], set[tuple[str, str]]]


@dataclass(frozen=True)
class Job:
    tool: str
    command: list[str]
    cwd: Path

    def findings(self, output: str) -> Findings:
        return PARSERS[self.tool](output)


def throughline(directory: Path, documents: list[Path]) -> Job:
    """One command: import the documents into a scratch database and list every finding."""
    command = [str(Path(sys.executable).with_name("throughline")), "check", "--list"]
    for document in documents:
        command += ["--import", str(document)]
    return Job("Throughline", command, directory)


def doorstop(venv: Path, root: Path) -> Job:
    """``doorstop -F``: validate the tree (no reformatting of the item files)."""
    return Job("Doorstop", [str(venv / "bin" / "doorstop"), "-j", str(root), "-F"], root)


def strictdoc(venv: Path, sources: Path, output: Path) -> Job:
    """StrictDoc's JSON export, then its reading (see the module's docstring)."""
    export = [
        str(venv / "bin" / "strictdoc"),
        "export",
        "--formats",
        "json",
        "--output-dir",
        str(output),
        str(sources),
    ]
    read = [
        sys.executable,
        "-m",
        "tests.benchmarks.peers.jobs",
        str(output / "json" / "index.json"),
    ]
    script = " ".join(_quoted(export)) + " >/dev/null && " + " ".join(_quoted(read))
    return Job("StrictDoc", ["sh", "-c", script], Path.cwd())


def _quoted(words: list[str]) -> list[str]:
    return ["'" + word.replace("'", "'\\''") + "'" for word in words]


def throughline_findings(output: str) -> Findings:
    unlinked, suspect = set(), set()
    for line in output.splitlines():
        fields = line.split("\t")
        if len(fields) != 5:
            continue
        finding, ref, _kind, code, _title = fields
        if finding == "orphan" and code == "unlinked":
            unlinked.add(ref)
        elif finding == "suspect":
            child, parent = ref.split(" -> ")
            suspect.add((child, parent))
    return unlinked, suspect


_DOORSTOP = re.compile(
    r"(?P<uid>[A-Z]{3}-\d+): "
    r"(?:no links to parent document|suspect link: (?P<parent>[A-Z]{3}-\d+))"
)


def doorstop_findings(output: str) -> Findings:
    unlinked, suspect = set(), set()
    for found in _DOORSTOP.finditer(output):
        if found["parent"]:
            suspect.add((found["uid"], found["parent"]))
        else:
            unlinked.add(found["uid"])
    return unlinked, suspect


def strictdoc_findings(output: str) -> Findings:
    unlinked, suspect = set(), set()
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "unlinked":
            unlinked.add(rest)
        elif kind == "suspect":
            child, parent = rest.split(" -> ")
            suspect.add((child, parent))
    return unlinked, suspect


PARSERS = {
    "Throughline": throughline_findings,
    "Doorstop": doorstop_findings,
    "StrictDoc": strictdoc_findings,
}


def read_strictdoc_export(index: Path) -> list[str]:
    """The unlinked requirements and suspect links in StrictDoc's JSON export, one a line."""
    documents = json.loads(index.read_text(encoding="utf-8"))["DOCUMENTS"]
    titles, lines = {}, []
    for document in documents:
        for node in document.get("NODES", []):
            titles[node["UID"]] = node["TITLE"]
    for number, document in enumerate(documents):
        for node in document.get("NODES", []):
            parents = [r["VALUE"] for r in node.get("RELATIONS", []) if r["TYPE"] == "Parent"]
            if number and not parents:
                lines.append(f"unlinked {node['UID']}")
            stamps = dict(part.split("=") for part in node.get("STAMPS", "").split() if part)
            for parent in parents:
                if stamps.get(parent) != sdoc_stamp(titles[parent]):
                    lines.append(f"suspect {node['UID']} -> {parent}")
    return lines


if __name__ == "__main__":
    print("\n".join(read_strictdoc_export(Path(sys.argv[1]))))
