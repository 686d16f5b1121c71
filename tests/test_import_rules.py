"""The fast import checks mirror the documented import schemas field for field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from service.schemas.imports import RULES, ImportDocumentSchema, load_document


@pytest.mark.parametrize("entity", sorted(RULES))
def test_rules_and_schema_name_the_same_fields_with_the_same_requirements(entity):
    schema = ImportDocumentSchema().fields[entity].inner.schema

    documented = {name: field.required for name, field in schema.fields.items()}
    checked = {name: required for name, (_check, required, _nullable) in RULES[entity].items()}

    assert checked == documented


def test_the_document_has_exactly_the_entities_the_rules_check():
    assert set(ImportDocumentSchema().fields) == set(RULES)


# -- the fast checks decide as the schemas' own fields do ------------------------------------

_FIELDS = [
    (entity, name, field)
    for entity in sorted(RULES)
    for name, field in ImportDocumentSchema().fields[entity].inner.schema.fields.items()
]

# Values near every field's edges: valid-looking and not, of every JSON type.
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.sampled_from(
        [
            "",
            "x",
            "a" * 200,
            "a" * 201,
            "a\x00b",
            "work",
            "goal",
            "active",
            "team",
            "increase",
            "supports",
            "conflicts_with",
            "2026-10-01",
            "2026-1-5",
            "20261001",
            "2026-02-30",
            "ada@example.com",
            "not an email",
            "https://tracker.example/X-1",
            "http://localhost",
            "ftp://",
            "mailto:x@y.z",
            "m.x",
            "Metric With Spaces",
            "0.5",
            "1",
        ]
    )
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@pytest.mark.parametrize(("entity", "name", "field"), _FIELDS, ids=lambda v: str(v)[:20])
@settings(max_examples=50, deadline=None)
@given(value=_values)
def test_each_fast_check_decides_as_its_field(entity, name, field, value):
    if value is None:  # the loader decides on null from allow_none, as marshmallow does
        return
    check = RULES[entity][name][0]

    loaded, problem = check(value)

    try:
        expected = field.deserialize(value)
    except ValidationError as error:
        assert problem is not None, (value, error.messages)
    else:
        assert problem is None, (value, problem)
        assert loaded == expected


def _flat(messages, prefix=""):
    keys = set()
    for key, value in messages.items():
        path = f"{prefix}{key}" if key != "_schema" or not prefix else prefix.rstrip(".")
        if isinstance(value, dict):
            keys |= _flat(value, f"{path}.")
        else:
            keys.add(".".join(path.split(".")[:3]))  # entity.index.field: a list's item too
    return keys


def _item(entity):
    fields_ = ImportDocumentSchema().fields[entity].inner.schema.fields
    return st.dictionaries(st.sampled_from([*sorted(fields_), "extra"]), _values, max_size=6)


_documents = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            entity: st.lists(_item(entity), max_size=3) | _values for entity in sorted(RULES)
        },
    ),
    st.dictionaries(st.sampled_from([*sorted(RULES), "extra"]), _values, max_size=2),
    _values,
)


@settings(max_examples=300, deadline=None)
@given(document=_documents)
def test_the_fast_loader_accepts_and_refuses_what_the_schema_does(document):
    try:
        expected = ImportDocumentSchema().load(document)
    except ValidationError as error:
        with pytest.raises(ValidationError) as refused:
            load_document(document)
        assert set(refused.value.messages) == _flat(error.messages)
    else:
        assert load_document(document) == expected
