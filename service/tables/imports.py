"""Spreadsheet import: an OKR sheet, a Jira or a Linear export, planned as the JSON import.

A layout turns the rows into the JSON import's document; the JSON import's own checks and
rules decide what is valid (one set of rules for every path that writes), and each of its
answers is traced back to its cell. Every problem of the file comes back in one answer:
values the import cannot read are set aside so the rules still run over the rest.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Period, Person, Team
from service.auth.policy import require_admin
from service.collector import paused
from service.domain.changes import Changes
from service.domain.imports import import_document
from service.schemas.imports import ImportDocumentSchema, load_document
from service.tables import okr, trackers
from service.tables.locate import Locator
from service.tables.read import read_table
from service.tables.translation import ENTITIES, Directory, Options, Translation

__all__ = ["LAYOUTS", "MAX_PROBLEMS", "import_table"]

LAYOUTS = {
    "okr": okr.translate,
    "jira": lambda table, directory, options: trackers.translate(
        trackers.JIRA, table, directory, options
    ),
    "linear": lambda table, directory, options: trackers.translate(
        trackers.LINEAR, table, directory, options
    ),
}
MAX_PROBLEMS = 1000


@paused()  # millions of small containers, no cycles: see service.collector
def import_table(
    changes: Changes,
    body: bytes,
    layout: str,
    *,
    xlsx: bool = False,
    options: Options | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Check a table against the stored data and apply it in one transaction.

    Raises :class:`service.tables.read.TableError` when the body is no table at all.
    """
    require_admin(changes.principal, "import")
    table = read_table(body, xlsx)
    translation = LAYOUTS[layout](table, directory(changes.session), options or Options())
    for number, cells in table.ragged:
        translation.cell_problem(
            number,
            None,
            "invalid_value",
            f"The row has {cells} cells; the header has {len(table.header)}.",
        )
    locator = Locator(translation)
    document, problems = _loadable(translation, locator)
    problems = translation.problems + problems
    report = import_document(changes, document, dry_run=dry_run or bool(problems), keep_absent=True)
    problems += [locator.violation(v) for v in report.pop("violations")]
    problems.sort(key=lambda p: (p["row"], p["column"] or "", p["code"]))
    report.update(
        dry_run=dry_run,
        valid=not problems,
        problems=problems[:MAX_PROBLEMS],
        problems_total=len(problems),
        warnings=translation.warnings[:MAX_PROBLEMS],
        layout=layout,
        rows=len(table.rows),
    )
    return report


def directory(session: Session) -> Directory:
    """What a sheet's names and emails may refer to among the stored teams, people, periods.

    A stored one without a ref is named ``#<id>``, as the import names it.
    """
    found = Directory()
    for id_, ref, name in session.execute(select(Team.id, Team.ref, Team.name)):
        if ref:
            found.team_refs.add(ref)
        found.team_by_name.setdefault(name.lower(), ref or f"#{id_}")
    for id_, ref, name, email in session.execute(
        select(Person.id, Person.ref, Person.name, Person.email)
    ):
        if ref:
            found.person_refs.add(ref)
        found.person_by_name.setdefault(name.lower(), ref or f"#{id_}")
        if email:
            found.person_by_email.setdefault(email.lower(), ref or f"#{id_}")
    for id_, ref, name in session.execute(select(Period.id, Period.ref, Period.name)):
        if ref:
            found.period_refs.add(ref)
        found.period_by_name.setdefault(name.lower(), ref or f"#{id_}")
    return found


def _loadable(translation: Translation, locator: Locator):
    """The document as the import reads it, and a problem for each value it cannot read.

    A value the import cannot read is set aside and the rest of its item kept, so the
    rules still run over it; an item missing a value it cannot do without is set aside
    whole, with the links and key results of a node set aside (its problem is told).
    """
    # The items as translated; one is copied (without a field) only when it is set aside.
    raw = {name: list(translation.document[name]) for name in ENTITIES}
    problems: list[dict[str, Any]] = []
    dropped: dict[str, set[int]] = {name: set() for name in ENTITIES}
    while len(problems) < MAX_PROBLEMS:
        kept = {
            n: [i for i in range(len(raw[n])) if i not in dropped[n]]
            if dropped[n]
            else range(len(raw[n]))
            for n in ENTITIES
        }
        try:
            document = load_document(
                {n: [raw[n][i] for i in kept[n]] if dropped[n] else raw[n] for n in ENTITIES}
            )
        except ValidationError as error:
            for key, messages in error.messages.items():
                entity, _, rest = key.partition(".")
                index, _, name = rest.partition(".")
                if entity not in kept or not index.isdigit():
                    problems.append(locator.field_error(key, messages))
                    return _nothing(), problems
                original = kept[entity][int(index)]
                problems.append(locator.field_error(f"{entity}.{original}.{name}", messages))
                if name and not _required(entity, name):
                    item = raw[entity][original]
                    raw[entity][original] = {k: v for k, v in item.items() if k != name}
                else:
                    dropped[entity].add(original)
            continue
        return _without_dangling(document, translation, dropped), problems
    return _nothing(), problems


def _nothing() -> dict[str, list]:
    return {name: [] for name in ENTITIES}


def _required(entity: str, name: str) -> bool:
    field = ImportDocumentSchema().fields[entity].inner.schema.fields.get(name)
    return field is None or field.required


def _without_dangling(document, translation: Translation, dropped):
    """Leave out links and key results whose node was set aside: its problem is told."""
    gone = {translation.document["nodes"][i].get("ref") for i in dropped["nodes"]}
    if not gone:
        return document
    document["links"] = [
        link
        for link in document["links"]
        if link["source"] not in gone and link["target"] not in gone
    ]
    document["key_results"] = [kr for kr in document["key_results"] if kr["goal"] not in gone]
    return document
