"""Field types shared by every schema: bounded text, database-safe ids and numbers."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

# Ids are integers that fit every database's BIGINT and every client's JSON number.
MAX_ID = 2**53 - 1


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


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads as a field type
    """An entity id in a JSON body (strict: 2.5 and "7" are refused)."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def QueryId(**kwargs) -> fields.Integer:  # noqa: N802
    """An entity id in a query string (the string "7" is fine there)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


def Fraction(**kwargs) -> fields.Float:  # noqa: N802
    """A number in [0, 1]."""
    return fields.Float(allow_nan=False, validate=validate.Range(0, 1), **kwargs)


def Value(**kwargs) -> fields.Float:  # noqa: N802
    """A finite JSON number."""
    return fields.Float(allow_nan=False, validate=validate.Range(-1e300, 1e300), **kwargs)


def strict_bool(**kwargs) -> fields.Boolean:
    """A JSON boolean, not a string or number that looks like one."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


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


_PLAIN = {fields.Integer: int, fields.Float: float, fields.String: str, fields.Boolean: bool}


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
            plan = []
            for name, field in self.inner.schema.dump_fields.items():
                convert = _PLAIN.get(type(field))
                if convert is None or field.attribute or field.data_key:
                    raise TypeError(f"{name}: Records takes plain fields only, not {field!r}")
                plan.append((name, convert))
            self._plan = plan
        return self._plan

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        plan = self._fields()
        return [
            {
                name: None if item[name] is None else convert(item[name])
                for name, convert in plan
                if name in item
            }
            for item in value
        ]
