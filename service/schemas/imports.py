"""The bulk import document: teams, people, periods, nodes, links and key results by ref."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from service.collector import paused
from service.schemas.common import ResponseSchema, StrictSchema, ViolationSchema
from service.schemas.fastcheck import compile_check
from service.schemas.fields import Text
from service.schemas.links import LinkCreateSchema
from service.schemas.nodes import NodeCreateSchema
from service.schemas.okr import KeyResultCreateSchema
from service.schemas.org import PeriodCreateSchema, PersonCreateSchema, TeamCreateSchema

MAX_ITEMS = 5_000_000


def _ref(**kwargs):
    return Text(min_length=1, max_length=200, **kwargs)


def _as_in(schema: type[Schema], name: str, **changes: Any) -> fields.Field:
    """The API's own field ``name`` of ``schema`` (so the import cannot drift from it)."""
    field = copy.deepcopy(schema._declared_fields[name])
    for key, value in changes.items():
        setattr(field, key, value)
    return field


class ImportTeamSchema(StrictSchema):
    ref = _ref(required=True)
    name = _as_in(TeamCreateSchema, "name")
    parent = _ref(allow_none=True, metadata={"description": "Ref of the team above."})


class ImportPersonSchema(StrictSchema):
    ref = _ref(required=True)
    name = _as_in(PersonCreateSchema, "name")
    email = _as_in(PersonCreateSchema, "email")
    teams = fields.List(_ref(), validate=validate.Length(max=100))


class ImportPeriodSchema(StrictSchema):
    ref = _ref(required=True)
    name = _as_in(PeriodCreateSchema, "name")
    start_date = _as_in(PeriodCreateSchema, "start_date")
    end_date = _as_in(PeriodCreateSchema, "end_date")


_NODE = (
    "kind",
    "title",
    "status",
    "description",
    "url",
    "start_date",
    "due_date",
    "standalone",
    "standalone_reason",
    "visibility",
    "reported_progress",
    "segment",
    "need_type",
    "user_outcome",
    "business_outcome",
    "target_group",
    "measure",
    "budget",
    "spent",
)
_KEY_RESULT = (
    "title",
    "metric",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "weight",
    "confidence",
)


def _fields_of(schema: type[Schema], names: tuple[str, ...]) -> dict[str, fields.Field]:
    return {name: _as_in(schema, name) for name in names}


ImportNodeSchema = StrictSchema.from_dict(
    {
        "ref": _ref(required=True),
        **_fields_of(NodeCreateSchema, _NODE),
        "team": _ref(allow_none=True),
        "owner": _ref(allow_none=True),
        "period": _ref(allow_none=True),
        "done_at": fields.AwareDateTime(
            default_timezone=dt.UTC,
            allow_none=True,
            metadata={
                "description": "When a done node was done (UTC when no offset is given); "
                "left out, the service keeps or sets it as the API does."
            },
        ),
    },
    name="ImportNodeSchema",
)


class ImportLinkSchema(StrictSchema):
    type = _as_in(LinkCreateSchema, "type")
    source = _ref(required=True)
    target = _ref(required=True)
    weight = _as_in(LinkCreateSchema, "weight")
    rationale = _as_in(LinkCreateSchema, "rationale")


ImportKeyResultSchema = StrictSchema.from_dict(
    {
        "ref": _ref(required=True),
        "goal": _ref(required=True),
        **_fields_of(KeyResultCreateSchema, _KEY_RESULT),
    },
    name="ImportKeyResultSchema",
)


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
# A schema's load costs tens of microseconds an item: too slow for a document of a whole
# company. The import is checked field by field instead, by checks compiled from the very
# fields of the schemas above (``fastcheck``), so the two cannot drift apart; a property
# test over generated documents holds them equal. Errors are reported flat:
# {"nodes.12.kind": [...]}.

_MAX_ERRORS = 100


def _rules(schema: Schema) -> dict[str, tuple]:
    return {
        name: (compile_check(field), field.required, field.allow_none)
        for name, field in schema.fields.items()
    }


# entity -> field -> (check, required, nullable), from ImportDocumentSchema's item schemas
RULES = {name: _rules(field.inner.schema) for name, field in ImportDocumentSchema().fields.items()}


@paused()  # millions of small containers, no cycles: see service.collector
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
            for name, (_rule, required, _nullable) in rules.items():
                if required and name not in item:
                    errors[f"{entity}.{index}.{name}"] = ["Missing data for required field."]
            if entity == "links":
                clean.setdefault("type", "supports")  # the schema's load_default
            loaded.append(clean)
        document[entity] = loaded
    if errors:
        raise ValidationError(errors)
    return document
