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
