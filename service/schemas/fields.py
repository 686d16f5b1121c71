"""Field types shared by every schema: bounded text, database-safe ids and numbers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, partial
from typing import Any

from marshmallow import Schema, ValidationError, fields, missing, validate

from service.domain.errors import MAX_ID


class Text(fields.String):
    """A string of bounded length with no NUL character (PostgreSQL refuses those)."""

    def __init__(self, *, max_length: int = 10_000, min_length: int = 0, **kwargs):
        validators = list(kwargs.pop("validate", None) or [])
        validators.append(validate.Length(min=min_length, max=max_length))
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        return text


class WholeNumber(fields.Integer):
    """A JSON integer: ``7`` and ``7.0`` (JSON Schema calls both integers), never ``7.5``,
    ``"7"`` or ``true``."""

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is True or value is False or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return value


class Number(fields.Float):
    """A finite JSON number (an integer or a fraction), never a string or boolean."""

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, **kwargs)

    def _validated(self, value):
        if value is True or value is False or not isinstance(value, (int, float)):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads as a field type
    """An entity id in a JSON body (``7`` or ``7.0``; 2.5 and "7" are refused)."""
    return WholeNumber(validate=validate.Range(1, MAX_ID), **kwargs)


def QueryId(**kwargs) -> fields.Integer:  # noqa: N802
    """An entity id in a query string (the string "7" is fine there)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


def Fraction(**kwargs) -> fields.Float:  # noqa: N802
    """A number in [0, 1]."""
    return Number(validate=validate.Range(0, 1), **kwargs)


def Value(**kwargs) -> fields.Float:  # noqa: N802
    """A finite JSON number."""
    return Number(validate=validate.Range(-1e300, 1e300), **kwargs)


MAX_AMOUNT = 1e15
"""The largest budget or amount spent: a thousand trillion, in any currency."""


def Amount(**kwargs) -> fields.Float:  # noqa: N802
    """A budget or an amount spent: a finite number from 0 to ``MAX_AMOUNT``."""
    return Number(validate=validate.Range(0, MAX_AMOUNT), **kwargs)


def Weight(**kwargs) -> fields.Float:  # noqa: N802
    """A key result's weight in its goal's progress."""
    return Number(validate=validate.Range(0, 1000), **kwargs)


def Email(**kwargs) -> fields.String:  # noqa: N802
    """An email address (documented as ``format: email``; an empty string is not one)."""
    metadata = {"format": "email", **kwargs.pop("metadata", {})}
    return Text(max_length=320, validate=[validate.Email()], metadata=metadata, **kwargs)


# The schemes marshmallow's URL validator takes, any case (JSON Schema has no inline flags).
_URL_SCHEMES = "^([hH][tT][tT][pP][sS]?|[fF][tT][pP][sS]?)://"


def Url(**kwargs) -> fields.String:  # noqa: N802
    """An absolute http(s) or ftp(s) URL (documented as ``format: uri`` with its schemes)."""
    metadata = {"format": "uri", "pattern": _URL_SCHEMES, **kwargs.pop("metadata", {})}
    return Text(
        max_length=2000,
        validate=[validate.URL(relative=False, require_tld=False)],
        metadata=metadata,
        **kwargs,
    )


class StrictBoolean(fields.Boolean):
    """A JSON boolean, not a string or number that looks like one (``0 in {False}`` holds in
    Python, so marshmallow's own sets would let 0 and 1 through)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is not True and value is not False:
            raise self.make_error("invalid", input=value)
        return value


def strict_bool(**kwargs) -> fields.Boolean:
    """A JSON boolean, not a string or number that looks like one."""
    return StrictBoolean(**kwargs)


def Date(**kwargs) -> fields.Date:  # noqa: N802
    return fields.Date(**kwargs)


class Integers(fields.List):
    """A list of integers, dumped in one step.

    Traces and impacts carry hundreds or thousands of ids; a field call per id would cost
    more than finding them.
    """

    def __init__(self, **kwargs):
        super().__init__(fields.Integer(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else [int(item) for item in value]


class IntegerLists(fields.List):
    """A list of lists of integers (paths, edges), dumped in one step."""

    def __init__(self, **kwargs):
        super().__init__(Integers(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else [[int(item) for item in inner] for inner in value]


def _as_given(value):
    return value


# How marshmallow dumps each plain field (a Boolean as it is given).
_PLAIN = {fields.Integer: int, fields.Float: float, fields.String: str, fields.Boolean: _as_given}


def _plain_plan(schema: Schema) -> list[tuple[str, type]] | None:
    """``(name, convert)`` for each field of ``schema`` if all are plain, else None.

    Plain: integers, numbers, strings and booleans, dumped under their own name with no
    default, and no dump hooks on the schema.
    """
    if _has_dump_hooks(schema):
        return None
    plan = []
    for name, field in schema.dump_fields.items():
        convert = _PLAIN.get(type(field))
        if convert is None or not _as_is(name, field):
            return None
        plan.append((name, convert))
    return plan


def _has_dump_hooks(schema: Schema) -> bool:
    return any(schema._hooks.get(tag) for tag in ("pre_dump", "post_dump"))


def _as_is(name: str, field: fields.Field) -> bool:
    """The field dumps its attribute of the same name, and nothing when it is absent."""
    return (
        field.attribute in (None, name)
        and field.data_key in (None, name)
        and field.dump_default is missing
    )


def _record(plan: list[tuple[str, type]], item: Mapping) -> dict:
    return {
        name: None if item[name] is None else convert(item[name])
        for name, convert in plan
        if name in item
    }


class Records(fields.List):
    """A list of ``schema`` records, dumped in one step; documented as ``List(Nested(schema))``.

    For schemas whose fields are all plain integers, numbers, strings and booleans (node
    summaries): a trace carries dozens of them, and a field call per value would cost more
    than the trace. The result equals marshmallow's own dump (a test holds it to that).
    """

    def __init__(self, schema, **kwargs):
        super().__init__(fields.Nested(schema), **kwargs)
        self._plan: list[tuple[str, type]] | None = None

    def _fields(self) -> list[tuple[str, type]]:
        if self._plan is None:
            plan = _plain_plan(self.inner.schema)
            if plan is None:
                raise TypeError(f"Records takes plain fields only: {self.inner.schema!r}")
            self._plan = plan
        return self._plan

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        plan = self._fields()
        return [_record(plan, item) for item in value]


_ONE_STEP = (Integers, IntegerLists, Records)


class OneStepSchema(Schema):
    """A response schema that dumps a mapping in one step when its fields allow it.

    Each field must be plain (see ``_plain_plan``), one of the one-step list fields above,
    or a single ``Nested`` record of plain fields; otherwise, and for anything but one
    mapping, marshmallow dumps as usual. A trace is answered hundreds of times a second,
    and marshmallow's field-by-field dump cost as much as finding the trace. The result
    equals marshmallow's own dump (a test holds it to that).
    """

    def dump(self, obj, *, many=None):
        if (self.many if many is None else many) or not isinstance(obj, Mapping):
            return super().dump(obj, many=many)
        plan = self._one_step
        if plan is None:
            return super().dump(obj, many=many)
        out = {}
        for name, dump in plan:
            if name in obj:
                value = obj[name]
                out[name] = None if value is None else dump(value, name, obj)
        return out

    @cached_property
    def _one_step(self) -> list[tuple[str, Any]] | None:
        return self._plan()

    def _plan(self) -> list[tuple[str, Any]] | None:
        if _has_dump_hooks(self):
            return None
        plan = []
        for name, field in self.dump_fields.items():
            if not _as_is(name, field):
                return None
            if isinstance(field, _ONE_STEP) or type(field) in _PLAIN:
                plan.append((name, field._serialize))
            elif type(field) is fields.Nested and not field.many:
                record = _plain_plan(field.schema)
                if record is None:
                    return None
                plan.append((name, partial(_nested, record, field)))
            else:
                return None
        return plan


def _nested(record: list[tuple[str, type]], field: fields.Nested, value, name, obj) -> dict:
    if isinstance(value, Mapping):
        return _record(record, value)
    return field._serialize(value, name, obj)  # an object: marshmallow reads its attributes
