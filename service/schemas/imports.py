"""The bulk import document: teams, people, periods, nodes, links and key results by ref."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import ValidationError, fields, validate

from models import KINDS, LINK_TYPES, STATUSES
from models.alignment import VISIBILITIES
from models.okr import DIRECTIONS
from service.schemas.common import ResponseSchema, StrictSchema, ViolationSchema
from service.schemas.fields import Date, Fraction, Text, Value, strict_bool

MAX_ITEMS = 5_000_000


def _ref(**kwargs):
    return Text(min_length=1, max_length=200, **kwargs)


class ImportTeamSchema(StrictSchema):
    ref = _ref(required=True)
    name = Text(required=True, min_length=1, max_length=200)
    parent = _ref(allow_none=True, metadata={"description": "Ref of the team above."})


class ImportPersonSchema(StrictSchema):
    ref = _ref(required=True)
    name = Text(required=True, min_length=1, max_length=200)
    email = Text(max_length=320, allow_none=True, validate=[validate.Email()])
    teams = fields.List(_ref(), validate=validate.Length(max=100))


class ImportPeriodSchema(StrictSchema):
    ref = _ref(required=True)
    name = Text(required=True, min_length=1, max_length=200)
    start_date = Date(required=True)
    end_date = Date(required=True)


class ImportNodeSchema(StrictSchema):
    ref = _ref(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = Text(required=True, min_length=1, max_length=200)
    status = fields.String(validate=validate.OneOf(STATUSES))
    description = Text(max_length=20_000, allow_none=True)
    url = Text(max_length=2000, allow_none=True)
    team = _ref(allow_none=True)
    owner = _ref(allow_none=True)
    period = _ref(allow_none=True)
    start_date = Date(allow_none=True)
    due_date = Date(allow_none=True)
    standalone = strict_bool()
    standalone_reason = Text(max_length=2000, allow_none=True)
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    reported_progress = Fraction(allow_none=True)


class ImportLinkSchema(StrictSchema):
    type = fields.String(load_default="supports", validate=validate.OneOf(LINK_TYPES))
    source = _ref(required=True)
    target = _ref(required=True)
    weight = Fraction()
    rationale = Text(max_length=5000, allow_none=True)


class ImportKeyResultSchema(StrictSchema):
    ref = _ref(required=True)
    goal = _ref(required=True)
    title = Text(max_length=200, allow_none=True)
    metric = Text(required=True, min_length=1, max_length=200)
    unit = Text(max_length=50, allow_none=True)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    start_value = Value(required=True)
    target_value = Value(required=True)
    current_value = Value(allow_none=True)
    weight = fields.Float(allow_nan=False, validate=validate.Range(0, 1000))
    confidence = Fraction(allow_none=True)


def _many(schema):
    return fields.List(
        fields.Nested(schema), load_default=list, validate=validate.Length(max=MAX_ITEMS)
    )


class ImportDocumentSchema(StrictSchema):
    teams = _many(ImportTeamSchema)
    people = _many(ImportPersonSchema)
    periods = _many(ImportPeriodSchema)
    nodes = _many(ImportNodeSchema)
    links = _many(ImportLinkSchema)
    key_results = _many(ImportKeyResultSchema)


class ImportArgs(StrictSchema):
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Report what would change; write nothing."}
    )


class ChangeCountSchema(ResponseSchema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class ImportReportSchema(ResponseSchema):
    dry_run = fields.Boolean(required=True)
    valid = fields.Boolean(required=True)
    applied = fields.Boolean(required=True)
    counts = fields.Dict(
        keys=fields.String(), values=fields.Nested(ChangeCountSchema), required=True
    )
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
    revision = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Null when nothing was written."}
    )


# -- fast loading ------------------------------------------------------------------------
# marshmallow costs ~30 us a field: too slow for a million-field document. The import is
# checked by these plain rules instead, which mirror the schemas above field for field (a
# test keeps the two in step) and report errors the same way: {"nodes.12.kind": [...]}.

_MAX_ERRORS = 100


def _text(max_length: int, min_length: int = 0):
    def check(value):
        if not isinstance(value, str):
            return None, "Not a valid string."
        if not min_length <= len(value) <= max_length:
            return None, f"Length must be between {min_length} and {max_length}."
        if "\x00" in value:
            return None, "Must not contain NUL characters."
        return value, None

    return check


def _one_of(choices):
    def check(value):
        if value not in choices:
            return None, f"Must be one of: {', '.join(choices)}."
        return value, None

    return check


def _date(value):
    if not isinstance(value, str):
        return None, "Not a valid date."
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        return None, "Not a valid date."


def _number(low: float, high: float):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, "Not a valid number."
        if not low <= value <= high:  # also refuses NaN
            return None, f"Must be between {low} and {high}."
        return float(value), None

    return check


def _boolean(value):
    if not isinstance(value, bool):
        return None, "Not a valid boolean."
    return value, None


def _email(value):
    value, problem = _text(320)(value)
    if problem is None and not _EMAIL.match(value):
        return None, "Not a valid email address."
    return value, problem


def _refs(value):
    if not isinstance(value, list) or len(value) > 100:
        return None, "Not a valid list of at most 100 refs."
    for item in value:
        if _REF(item)[1]:
            return None, "Every item must be a ref."
    return value, None


_REF = _text(200, 1)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FRACTION = _number(0, 1)
_VALUE = _number(-1e300, 1e300)

# entity -> field -> (check, required, nullable)
RULES = {
    "teams": {
        "ref": (_REF, True, False),
        "name": (_text(200, 1), True, False),
        "parent": (_REF, False, True),
    },
    "people": {
        "ref": (_REF, True, False),
        "name": (_text(200, 1), True, False),
        "email": (_email, False, True),
        "teams": (_refs, False, False),
    },
    "periods": {
        "ref": (_REF, True, False),
        "name": (_text(200, 1), True, False),
        "start_date": (_date, True, False),
        "end_date": (_date, True, False),
    },
    "nodes": {
        "ref": (_REF, True, False),
        "kind": (_one_of(KINDS), True, False),
        "title": (_text(200, 1), True, False),
        "status": (_one_of(STATUSES), False, False),
        "description": (_text(20_000), False, True),
        "url": (_text(2000), False, True),
        "team": (_REF, False, True),
        "owner": (_REF, False, True),
        "period": (_REF, False, True),
        "start_date": (_date, False, True),
        "due_date": (_date, False, True),
        "standalone": (_boolean, False, False),
        "standalone_reason": (_text(2000), False, True),
        "visibility": (_one_of(VISIBILITIES), False, False),
        "reported_progress": (_FRACTION, False, True),
    },
    "links": {
        "type": (_one_of(LINK_TYPES), False, False),
        "source": (_REF, True, False),
        "target": (_REF, True, False),
        "weight": (_FRACTION, False, False),
        "rationale": (_text(5000), False, True),
    },
    "key_results": {
        "ref": (_REF, True, False),
        "goal": (_REF, True, False),
        "title": (_text(200), False, True),
        "metric": (_text(200, 1), True, False),
        "unit": (_text(50), False, True),
        "direction": (_one_of(DIRECTIONS), True, False),
        "start_value": (_VALUE, True, False),
        "target_value": (_VALUE, True, False),
        "current_value": (_VALUE, False, True),
        "weight": (_number(0, 1000), False, False),
        "confidence": (_FRACTION, False, True),
    },
}


def load_document(raw: Any) -> dict[str, list[dict]]:
    """Check an import document; raise ValidationError listing up to 100 bad fields."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        raise ValidationError({"_schema": ["The document must be a JSON object."]})
    for key in raw:
        if key not in RULES:
            errors[key] = ["Unknown field."]
    document = {}
    for entity, rules in RULES.items():
        items = raw.get(entity, [])
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            errors[entity] = [f"Must be a list of at most {MAX_ITEMS} items."]
            continue
        loaded = []
        for index, item in enumerate(items):
            if len(errors) >= _MAX_ERRORS:
                raise ValidationError(errors)
            if not isinstance(item, dict):
                errors[f"{entity}.{index}"] = ["Must be an object."]
                continue
            clean = {}
            for name, value in item.items():
                rule = rules.get(name)
                if rule is None:
                    errors[f"{entity}.{index}.{name}"] = ["Unknown field."]
                    continue
                check, _required, nullable = rule
                if value is None:
                    if not nullable:
                        errors[f"{entity}.{index}.{name}"] = ["Field may not be null."]
                    clean[name] = None
                    continue
                value, problem = check(value)
                if problem:
                    errors[f"{entity}.{index}.{name}"] = [problem]
                clean[name] = value
            for name, (_check, required, _nullable) in rules.items():
                if required and name not in item:
                    errors[f"{entity}.{index}.{name}"] = ["Missing data for required field."]
            if entity == "links":
                clean.setdefault("type", "supports")
            loaded.append(clean)
        document[entity] = loaded
    if errors:
        raise ValidationError(errors)
    return document
