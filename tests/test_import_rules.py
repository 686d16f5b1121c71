"""The fast import checks mirror the documented import schemas field for field."""

from __future__ import annotations

import pytest

from service.schemas.imports import RULES, ImportDocumentSchema


@pytest.mark.parametrize("entity", sorted(RULES))
def test_rules_and_schema_name_the_same_fields_with_the_same_requirements(entity):
    schema = ImportDocumentSchema().fields[entity].inner.schema

    documented = {name: field.required for name, field in schema.fields.items()}
    checked = {name: required for name, (_check, required, _nullable) in RULES[entity].items()}

    assert checked == documented


def test_the_document_has_exactly_the_entities_the_rules_check():
    assert set(ImportDocumentSchema().fields) == set(RULES)
