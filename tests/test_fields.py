"""The one-step dumps of ids and node summaries equal marshmallow's own, value for value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields

from service.schemas.fields import IntegerLists, Integers, Records
from service.schemas.nodes import NodeSummarySchema

ids = st.integers(min_value=1, max_value=2**53 - 1)
maybe_ids = st.none() | ids
summaries = st.fixed_dictionaries(
    {"id": ids, "kind": st.sampled_from(["mission", "goal", "work"])},
    optional={
        "title": st.text(max_size=20),
        "status": st.sampled_from(["draft", "active", "done"]),
        "team_id": maybe_ids,
        "owner_id": maybe_ids,
        "standalone": st.booleans(),
        "progress": st.none() | st.floats(0, 1) | st.sampled_from([0, 1]),
        "redacted": st.booleans(),
        "visibility": st.sampled_from(["public", "team"]),  # not a summary field: dropped
    },
)


class Fast(Schema):
    nodes = Records(NodeSummarySchema)
    path = Integers(allow_none=True)
    paths = IntegerLists()


class Reference(Schema):
    nodes = fields.List(fields.Nested(NodeSummarySchema))
    path = fields.List(fields.Integer(), allow_none=True)
    paths = fields.List(fields.List(fields.Integer()))


@settings(max_examples=200, deadline=None)
@given(
    nodes=st.lists(summaries, max_size=8),
    path=st.none() | st.lists(ids, max_size=6),
    paths=st.lists(st.lists(ids, max_size=5), max_size=4),
)
def test_one_step_dumps_equal_marshmallows(nodes, path, paths):
    data = {"nodes": nodes, "path": path, "paths": paths}

    fast, reference = Fast().dump(data), Reference().dump(data)

    assert fast == reference
    assert json.dumps(fast, sort_keys=True) == json.dumps(reference, sort_keys=True)


def test_records_refuse_schemas_with_more_than_plain_fields():
    class Nested(Schema):
        when = fields.DateTime()

    with pytest.raises(TypeError, match="plain fields only"):
        Records(Nested)._serialize([{"when": None}], "x", {})
