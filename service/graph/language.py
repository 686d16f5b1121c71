"""The shared language (DOMAIN.md section 12): how names match text, and the findings.

Pure functions over plain values and the supports graph; nothing here reads the database.

A *word* is a run of letters and digits (``str.isalnum``: any Unicode letter or digit). A
term's name or alias is *used* by a text when the text holds it, ignoring case (both are
casefolded), with neither a letter nor a digit right before or right after it: "customer?"
uses ``customer``, "customers" does not, and "customers-ops" uses ``customers`` but not
``customer``. A name of several words matches as that phrase, any run of whitespace in the
text standing for the whitespace between two of its words.

>>> uses(word_pattern("customer"), "Who is our Customer?")
True
>>> uses(word_pattern("customer"), "our customers")
False
>>> normalized_definition("  A person who  PAYS us. ")
'a person who pays us'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from service.graph.codes import LIVE

__all__ = [
    "LANGUAGE_FINDING_TYPES",
    "LANGUAGE_SEVERITIES",
    "MAX_FINDING_NODES",
    "NamesMatcher",
    "names_pattern",
    "normalized_definition",
    "prefilter_word",
    "term_key",
    "undefined_metrics",
    "uses",
    "vocabulary_terms",
    "word_pattern",
]

LANGUAGE_FINDING_TYPES = ("vocabulary", "undefined_metric")
"""Types of language findings, in the order they are listed."""

LANGUAGE_SEVERITIES = {"vocabulary": "warning", "undefined_metric": "info"}
"""The severity of each language finding type."""

MAX_FINDING_NODES = 50
"""Node ids a language finding lists at most (the first ones, ascending)."""

# Neither a letter nor a digit: ``[^\W_]`` is exactly what ``str.isalnum`` accepts.
_NOT_AFTER_ALNUM = r"(?<![^\W_])"
_NOT_BEFORE_ALNUM = r"(?![^\W_])"


def term_key(name: str) -> str:
    """A name as it is compared with others: casefolded, whitespace runs made one space.

    >>> term_key("  Customer   Success ")
    'customer success'
    >>> term_key("STRASSE") == term_key("Straße")
    True
    """
    return " ".join(name.casefold().split())


def normalized_definition(text: str) -> str:
    """A definition as definitions are compared: lowercase, each whitespace run one
    space, trimmed, and one final ``.`` removed.

    >>> normalized_definition("Who pays.")
    'who pays'
    >>> normalized_definition("Who pays..")
    'who pays.'
    >>> normalized_definition("WHO\\n\\tpays")
    'who pays'
    """
    normal = " ".join(text.lower().split())
    return normal[:-1] if normal.endswith(".") else normal


def word_pattern(name: str) -> re.Pattern[str]:
    """The pattern matching ``name`` as a whole word (or phrase) in a casefolded text.

    >>> bool(word_pattern("customer success").search("our customer\\n success team"))
    True
    >>> bool(word_pattern("customer").search("customer2"))
    False
    """
    return names_pattern([name])


def names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of ``names`` as a whole word (or phrase).

    >>> bool(names_pattern(["client", "customer"]).search("a client-facing team"))
    True
    """
    phrases = sorted({term_key(name) for name in names if name.strip()}, key=len, reverse=True)
    if not phrases:
        return re.compile(r"(?!)")
    bodies = (r"\s+".join(re.escape(word) for word in phrase.split(" ")) for phrase in phrases)
    return re.compile(_NOT_AFTER_ALNUM + "(?:" + "|".join(bodies) + ")" + _NOT_BEFORE_ALNUM)


def uses(pattern: re.Pattern[str], *texts: str | None) -> bool:
    """Whether any of ``texts`` uses a name of ``pattern`` (from ``names_pattern``).

    >>> uses(word_pattern("customer"), "Customers-ops", None)
    False
    >>> uses(word_pattern("customers"), "Customers-ops")
    True
    """
    return any(text and pattern.search(text.casefold()) for text in texts)


def prefilter_word(name: str) -> str:
    """A piece of ``name`` that every text using it holds, for a database's ``ILIKE``.

    The longest run of ASCII letters, digits and marks of the name's longest word: a
    database may fold the case of ASCII letters only (SQLite does). Empty when the name
    has none, and then every text is a candidate.

    >>> prefilter_word("Net revenue retention")
    'retention'
    >>> prefilter_word("café")
    'caf'
    """
    words = term_key(name).split(" ")
    best = ""
    for word in words:
        for run in re.findall(r"[\x21-\x7e]+", word):
            if len(run) > len(best):
                best = run
    return best


class NamesMatcher:
    """Whether texts use any of a term's names: a cheap substring test, then the pattern.

    >>> matcher = NamesMatcher(("Customer", "client"))
    >>> matcher.used_by_folded("our clients".casefold(), "a client-facing team".casefold())
    True
    >>> matcher.used_by_folded("net", "customers")
    False
    """

    def __init__(self, names: Iterable[str]):
        self.names = tuple(names)
        self.pattern = names_pattern(self.names)
        self.words = tuple({prefilter_word(name) for name in self.names})

    def used_by_folded(self, *folded: str) -> bool:
        """Whether one of the casefolded ``folded`` texts uses a name (each on its own)."""
        return any(
            text
            and any(not word or word in text for word in self.words)
            and self.pattern.search(text) is not None
            for text in folded
        )


def vocabulary_terms(
    definitions: Iterable[tuple[int, int | None, str]],
) -> dict[int, list[int]]:
    """Terms whose definitions hold two or more distinct normalized texts.

    ``definitions``: ``(term_id, team_id, text)``, ``team_id`` None for company-wide.
    Returns each such term's id with the teams that define it, ascending (company-wide
    left out), terms ascending.

    >>> vocabulary_terms([(1, 10, "Who pays."), (1, 11, "who  pays"), (2, 10, "A"), (2, None, "B")])
    {2: [10]}
    """
    texts: dict[int, set[str]] = {}
    teams: dict[int, set[int]] = {}
    for term_id, team_id, text in definitions:
        texts.setdefault(term_id, set()).add(normalized_definition(text))
        held = teams.setdefault(term_id, set())
        if team_id is not None:
            held.add(team_id)
    return {term: sorted(teams[term]) for term in sorted(texts) if len(texts[term]) > 1}


def undefined_metrics(
    nodes: Mapping[int, Mapping[str, Any]],
    key_results_by_goal: Mapping[int, Sequence[Mapping[str, Any]]],
    defined: Iterable[str],
) -> list[dict[str, Any]]:
    """Metric keys used by key results of live goals of two or more teams that no term
    lists in its ``metrics``, by key.

    ``nodes`` maps node ids to their attributes (``kind``, ``status``, ``team_id``).
    Each result: ``{"metric", "team_ids", "node_ids"}``, both lists ascending;
    ``node_ids`` holds every live goal using the metric, teamless ones too.

    >>> nodes = {1: {"kind": "goal", "status": "active", "team_id": 7},
    ...          2: {"kind": "goal", "status": "draft", "team_id": 8},
    ...          3: {"kind": "goal", "status": "done", "team_id": 9}}
    >>> krs = {1: [{"metric": "nrr"}], 2: [{"metric": "nrr"}], 3: [{"metric": "nrr"}]}
    >>> undefined_metrics(nodes, krs, [])
    [{'metric': 'nrr', 'team_ids': [7, 8], 'node_ids': [1, 2]}]
    >>> undefined_metrics(nodes, krs, ["nrr"])
    []
    """
    known = set(defined)
    teams: dict[str, set[int]] = {}
    goals: dict[str, set[int]] = {}
    for goal, key_results in key_results_by_goal.items():
        data = nodes.get(goal)
        if data is None or data.get("kind") != "goal" or data.get("status") not in LIVE:
            continue
        for kr in key_results:
            metric = kr["metric"]
            if metric in known:
                continue
            goals.setdefault(metric, set()).add(goal)
            team = data.get("team_id")
            if team is not None:
                teams.setdefault(metric, set()).add(team)
    return [
        {"metric": metric, "team_ids": sorted(teams[metric]), "node_ids": sorted(goals[metric])}
        for metric in sorted(teams)
        if len(teams[metric]) > 1
    ]
