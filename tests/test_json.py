"""Answers are written as JSON the standard library reads back to the same value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import create_app
from service.config import Config

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)  # past 64 bits too
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def app():
    app = create_app(Config(database_url="sqlite://", migrate_on_start=False))
    yield app
    app.extensions["database"].dispose()


@settings(max_examples=300, deadline=None)
@given(value=values)
def test_answers_read_back_as_the_value_written(app, value):
    with app.app_context():
        written = app.json.response(value).get_data()

    assert written.endswith(b"\n")
    assert json.loads(written) == value


def test_keys_are_sorted(app):
    assert app.json.dumps({"b": 1, "a": {"d": 2, "c": 3}}) == '{"a":{"c":3,"d":2},"b":1}'
