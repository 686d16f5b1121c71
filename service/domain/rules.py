"""The rules of the domain (DOMAIN.md), each written once, as a pure function.

Every path that writes calls these: the API's domain operations (``nodes``, ``links``,
``key_results``, ``org``) and the import planner (``imports``) alike, so a rule can never
hold on one path and not on another. Each rule takes plain values (kinds, dates, numbers,
a lookup function) and returns ``None`` when the rule holds, or a :class:`Problem` naming
the public code it breaks. No rule reads the database or knows about HTTP: the API turns a
problem into a :class:`~service.domain.errors.DomainError` (``problem.error()``), adding
the ids it may show; the import records it as a violation naming refs.

Adding a rule: write ``<subject>_problem(...) -> Problem | None`` here with a docstring
and a doctest, call it from every operation that writes the subject, and test the code on
the API and on the import. Codes are public API: never rename one.

>>> link_problem("supports", "work", "goal") is None
True
>>> link_problem("supports", "goal", "work").code
'level'
>>> link_problem("serves", "work", "need").code
'serves_kind'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from models import CLARITY_FIELDS, LEVELS, NEED_TYPES
from service.domain.errors import Conflict, DomainError
from service.graph.codes import SERVING_KINDS
from service.graph.language import term_key

__all__ = [
    "NEED_FIELDS",
    "NOT_FOR_NEEDS",
    "Problem",
    "dates_problem",
    "definition_taken_problem",
    "done_at_after",
    "done_at_problem",
    "duplicate_ref_problem",
    "key_result_goal_problem",
    "kind_change_problem",
    "link_pair",
    "link_problem",
    "need_fields_problem",
    "node_problems",
    "period_problem",
    "restatement_problem",
    "self_link_problem",
    "span_problem",
    "team_cycle",
    "term_names_problem",
    "term_taken_problem",
]


@dataclass(frozen=True)
class Problem:
    """A broken rule: its public ``code``, a sentence for people, the field it is about."""

    code: str
    detail: str
    field: str | None = None
    message: str | None = None
    status: int = 422

    def error(self, **extra: Any) -> DomainError:
        """The domain error the API raises for this problem (``extra``: ids it may show)."""
        if self.field is not None and "errors" not in extra:
            extra["errors"] = {self.field: [self.message or self.detail]}
        kind = Conflict if self.status == 409 else DomainError
        return kind(self.code, self.detail, **extra)


# -- links (DOMAIN.md section 2) ---------------------------------------------------------


def self_link_problem(source: Hashable, target: Hashable) -> Problem | None:
    """No link joins a node to itself.

    >>> self_link_problem(3, 3).code
    'self_link'
    """
    if source == target:
        return Problem("self_link", "A node cannot be linked to itself.")
    return None


def link_problem(link_type: str, source_kind: str, target_kind: str) -> Problem | None:
    """What the kinds at the two ends of a link forbid, if anything.

    ``supports`` runs child (source) -> parent (target): a mission supports nothing, and a
    parent is at the child's level or above. ``serves`` joins a vision, strategy or goal to
    a need, and no other link touches a need (DOMAIN.md section 10). ``depends_on`` and
    ``conflicts_with`` join any other kinds.

    >>> link_problem("supports", "mission", "vision").code
    'mission_parent'
    >>> link_problem("depends_on", "goal", "work") is None
    True
    >>> link_problem("serves", "vision", "need") is None
    True
    >>> link_problem("supports", "need", "vision").code
    'need_link'
    """
    if link_type == "serves":
        if source_kind not in SERVING_KINDS or target_kind != "need":
            return Problem(
                "serves_kind",
                "A serves link joins a vision, strategy or goal to a need, not a "
                f"{source_kind} to a {target_kind}.",
            )
        return None
    if "need" in (source_kind, target_kind):
        return Problem(
            "need_link", f"A need takes part in serves links only, not in {link_type} links."
        )
    if link_type != "supports":
        return None
    if source_kind == "mission":
        return Problem(
            "mission_parent", "A mission supports nothing above it: a mission has no parents."
        )
    if LEVELS[target_kind] > LEVELS[source_kind]:
        return Problem(
            "level",
            f"A {source_kind} cannot support a {target_kind}: the parent must be at the same "
            "level as the child or above it (mission, vision, strategy, goal, work).",
        )
    return None


def kind_change_problem(
    kind: str,
    outgoing: Iterable[tuple[str, str]] = (),
    incoming: Iterable[tuple[str, str]] = (),
) -> Problem | None:
    """Whether a node may become ``kind`` with the links it has.

    ``outgoing``: ``(link type, target kind)`` of each link from the node; ``incoming``:
    ``(link type, source kind)`` of each link to it. Each link is held to
    :func:`link_problem` with the new kind at this end.

    >>> kind_change_problem("mission", [("supports", "vision")]).code
    'mission_parent'
    >>> kind_change_problem("work", incoming=[("supports", "goal")]).code
    'level'
    >>> kind_change_problem("need", incoming=[("supports", "work")]).code
    'need_link'
    >>> kind_change_problem("work", [("serves", "need")]).code
    'serves_kind'
    """
    for link_type, target_kind in outgoing:
        problem = link_problem(link_type, kind, target_kind)
        if problem is not None:
            return problem
    for link_type, source_kind in incoming:
        problem = link_problem(link_type, source_kind, kind)
        if problem is not None:
            return problem
    return None


def link_pair(link_type: str, source: Hashable, target: Hashable) -> tuple:
    """The key two links share when they count as the same link (``duplicate``).

    ``conflicts_with`` is symmetric: one link per unordered pair.

    >>> link_pair("conflicts_with", 2, 1) == link_pair("conflicts_with", 1, 2)
    True
    """
    if link_type == "conflicts_with":
        return (link_type, *sorted((source, target), key=repr))
    return (link_type, source, target)


# -- nodes (DOMAIN.md section 1) ---------------------------------------------------------


def dates_problem(
    start: dt.date | None, end: dt.date | None, end_field: str = "due_date"
) -> Problem | None:
    """An end date (``due_date`` of a node, ``end_date`` of a period) is not before its start.

    >>> dates_problem(dt.date(2026, 2, 1), dt.date(2026, 1, 1)).code
    'date_order'
    """
    if start and end and end < start:
        return Problem(
            "date_order",
            f"{end_field} must not be before start_date.",
            end_field,
            "Must not be before start_date.",
        )
    return None


def node_problems(values: dict[str, Any]) -> list[Problem]:
    """Every field rule a node's values (all of them, after the change) break.

    >>> [p.code for p in node_problems({"kind": "goal", "reported_progress": 0.5})]
    ['reported_progress_on_work_only']
    >>> [p.code for p in node_problems({"kind": "need"})]
    ['need_type_required']
    """
    problems = []
    dates = dates_problem(values.get("start_date"), values.get("due_date"))
    if dates is not None:
        problems.append(dates)
    if values.get("standalone") and not (values.get("standalone_reason") or "").strip():
        problems.append(
            Problem(
                "standalone_reason_required",
                "A standalone node needs a standalone_reason saying why it is not aligned.",
                "standalone_reason",
                "Required when standalone is true.",
            )
        )
    if values.get("reported_progress") is not None and values.get("kind") != "work":
        problems.append(
            Problem(
                "reported_progress_on_work_only",
                "Only work nodes take reported_progress; other nodes' progress is computed.",
                "reported_progress",
                "Only for kind work.",
            )
        )
    need = need_fields_problem(values)
    if need is not None:
        problems.append(need)
    return problems


NEED_FIELDS = ("segment", "need_type")
"""Fields only a need takes."""

NOT_FOR_NEEDS = (*CLARITY_FIELDS, "budget", "spent")
"""Fields every kind takes but a need (DOMAIN.md 13 and 14): a need is the market's, not
the company's, so it has no outcomes of its own to state and no budget to spend."""


def need_fields_problem(values: dict[str, Any]) -> Problem | None:
    """A need says its ``need_type``; no other kind takes ``segment`` or ``need_type``.

    >>> need_fields_problem({"kind": "need", "need_type": "functional"}) is None
    True
    >>> need_fields_problem({"kind": "goal", "segment": "Families"}).code
    'need_fields'
    """
    if values.get("kind") == "need":
        if values.get("need_type") not in NEED_TYPES:
            return Problem(
                "need_type_required",
                f"A need says whether it is {' or '.join(NEED_TYPES)} (need_type).",
                "need_type",
            )
        for name in NOT_FOR_NEEDS:
            if values.get(name) is not None:
                return Problem("not_for_needs", f"A need takes no {name}.", name)
        return None
    for name in NEED_FIELDS:
        if values.get(name) is not None:
            return Problem(
                "need_fields", f"Only needs take {name}; a {values.get('kind')} does not.", name
            )
    return None


def done_at_after(
    status_before: str | None,
    done_at_before: dt.datetime | None,
    status: str,
    given: dt.datetime | None = None,
    *,
    now: dt.datetime,
) -> dt.datetime | None:
    """When a node was done (DOMAIN.md 14): set as its status becomes ``done``, kept while it
    stays done, cleared when it leaves. An import may ``give`` the moment itself.

    >>> now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    >>> done_at_after("active", None, "done", now=now) == now
    True
    >>> earlier = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    >>> done_at_after("done", earlier, "done", now=now) == earlier
    True
    >>> done_at_after("done", earlier, "active", now=now) is None
    True
    """
    if status != "done":
        return None
    if given is not None:
        return given
    if status_before == "done" and done_at_before is not None:
        return done_at_before
    return now


def done_at_problem(status: str | None, given: dt.datetime | None) -> Problem | None:
    """Only a done node has a ``done_at``.

    >>> done_at_problem("active", dt.datetime(2026, 1, 5, tzinfo=dt.UTC)).code
    'done_at_not_done'
    """
    if given is not None and status != "done":
        return Problem(
            "done_at_not_done", "Only a done node has a done_at.", "done_at", "Only for done."
        )
    return None


RESTATEMENT_LENGTH = 2000
"""The longest restatement (DOMAIN.md 13), in characters."""


def restatement_problem(person_id: Any) -> Problem | None:
    """A restatement is a person's own words: the caller is a person.

    >>> restatement_problem(None).code
    'person_required'
    """
    if person_id is None:
        return Problem(
            "person_required",
            "A restatement is a person's own words: the caller is not a person "
            "(sign in with a token or account bound to a person).",
        )
    return None


def duplicate_ref_problem(ref: str) -> Problem:
    """Another node holds this ref already; the problem names the ref and nothing of the node.

    The holder may be a node the caller cannot see, so its id or title never appears.
    """
    return Problem(
        "duplicate_ref", f"Another node already has ref {ref!r}.", "ref", "Taken.", status=409
    )


# -- key results (DOMAIN.md section 6) ---------------------------------------------------


def key_result_goal_problem(kind: str) -> Problem | None:
    """Only goals have key results.

    >>> key_result_goal_problem("work").code
    'key_results_on_goals_only'
    """
    if kind != "goal":
        return Problem(
            "key_results_on_goals_only", f"The node is a {kind}; only goals have key results."
        )
    return None


def span_problem(start: float, target: float, direction: str | None) -> Problem | None:
    """A key result measures from ``start`` to a different ``target``, in its ``direction``.

    >>> span_problem(1, 1, "increase").code
    'empty_span'
    >>> span_problem(5, 1, "increase").code
    'direction_mismatch'
    """
    if start == target:
        return Problem(
            "empty_span",
            "start_value and target_value must differ: progress is measured between them.",
            "target_value",
            "Must differ from start_value.",
        )
    rising = target > start
    if direction is not None and rising != (direction == "increase"):
        return Problem(
            "direction_mismatch",
            f"direction is {direction!r} but target_value is "
            f"{'above' if rising else 'below'} start_value.",
            "direction",
            "Does not match start_value and target_value.",
        )
    return None


# -- teams and periods -------------------------------------------------------------------


def team_cycle(
    team: Hashable, parent: Hashable | None, parent_of: Callable[[Any], Any]
) -> list | None:
    """The loop that making ``parent`` the parent of ``team`` would close, or None.

    ``parent_of`` gives the current parent of a team (None at the top). The walk stops at
    the top or at a loop already there that does not pass through ``team``.

    >>> team_cycle("a", "c", {"c": "b", "b": "a"}.get)
    ['a', 'c', 'b', 'a']
    >>> team_cycle("a", "b", {"b": None}.get) is None
    True
    """
    chain, current = [team], parent
    while current is not None:
        chain.append(current)
        if current == team:
            return chain
        current = parent_of(current)
        if current in chain[1:]:
            return None
    return None


def period_problem(start: dt.date | None, end: dt.date | None) -> Problem | None:
    """A period ends on or after the day it starts (``date_order``)."""
    return dates_problem(start, end, "end_date")


# -- the shared language (DOMAIN.md section 12) ------------------------------------------


def term_names_problem(name: str, aliases: Iterable[str]) -> Problem | None:
    """A term's aliases repeat neither its name nor each other (compared by ``term_key``).

    >>> term_names_problem("Customer", ["client", "buyer"]) is None
    True
    >>> term_names_problem("Customer", ["CUSTOMER"]).code
    'repeated_name'
    >>> term_names_problem("Customer", ["client", "Client "]).code
    'repeated_name'
    """
    seen = {term_key(name)}
    for alias in aliases:
        key = term_key(alias)
        if key in seen:
            return Problem(
                "repeated_name",
                f"The alias {alias!r} repeats the term's name or another of its aliases.",
                "aliases",
                "Repeats a name of the term.",
            )
        seen.add(key)
    return None


def term_taken_problem(name: str, holder: int | None) -> Problem | None:
    """No two terms share a name or an alias, ignoring case (``holder``: the term that
    already has ``name`` as its name or an alias, None when none has).

    >>> term_taken_problem("client", 4).code
    'duplicate_term'
    >>> term_taken_problem("client", None) is None
    True
    """
    if holder is None:
        return None
    return Problem(
        "duplicate_term",
        f"Term {holder} already has the name or alias {name!r} (ignoring case).",
        status=409,
    )


def definition_taken_problem(team_id: int | None, holder: int | None) -> Problem | None:
    """A term has at most one definition per team, and one company-wide (``team_id``
    None); ``holder`` is the definition already there, if any.

    >>> definition_taken_problem(None, 3).code
    'duplicate'
    >>> definition_taken_problem(5, None) is None
    True
    """
    if holder is None:
        return None
    whose = "the company" if team_id is None else f"team {team_id}"
    return Problem(
        "duplicate",
        f"The term already has a definition for {whose} (definition {holder}).",
        status=409,
    )
