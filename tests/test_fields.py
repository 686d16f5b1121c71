"""The one-step dumps of ids, node summaries and traces equal marshmallow's own, value for value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields

from service.schemas.analysis import CommonGroundSchema, ImpactSchema, TraceUpSchema
from service.schemas.fields import IntegerLists, Integers, OneStepSchema, Records
from service.schemas.nodes import NodeSummarySchema

ids = st.integers(min_value=1, max_value=2**53 - 1)
maybe_ids = st.none() | ids
summaries = st.fixed_dictionaries(
    {"id": ids, "kind": st.sampled_from(["mission", "goal", "work"])},
    optional={
        "title": st.text(max_size=20),
        "ref": st.none() | st.text(max_size=10),
        "url": st.none() | st.just("https://tracker.example/T-1"),
        "status": st.sampled_from(["draft", "active", "done"]),
        "team_id": maybe_ids,
        "owner_id": maybe_ids,
        "standalone": st.booleans() | st.sampled_from([0, 1, "false"]),  # dumped as given
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


id_lists = st.lists(ids, max_size=6)
traces = st.fixed_dictionaries(
    {},
    optional={
        "node": st.none() | summaries,
        "aligned": st.booleans(),
        "reason": st.none() | st.sampled_from(["no_parent", "dead_end"]),
        "nodes": st.lists(summaries, max_size=5),
        "edges": st.lists(st.lists(ids, min_size=2, max_size=2), max_size=4),
        "paths": st.lists(id_lists, max_size=3),
        "truncated": st.booleans(),
        "touches": id_lists,
        "would_orphan": id_lists,
        "lowest_common_ancestors": st.lists(summaries, max_size=3),
        "elsewhere": st.integers(),  # not a field of any: dropped
    },
)


@settings(max_examples=300, deadline=None)
@given(data=traces)
@pytest.mark.parametrize("schema", [TraceUpSchema, CommonGroundSchema, ImpactSchema])
def test_one_step_schemas_dump_as_marshmallow_does(schema, data):
    instance = schema()
    assert instance._plan() is not None  # the one-step path is the one under test

    assert instance.dump(data) == Schema.dump(instance, data)


def test_one_step_schemas_leave_other_fields_and_objects_to_marshmallow():
    class Dated(OneStepSchema):
        id = fields.Integer()
        at = fields.Date()

    class Item:
        id = 7
        at = None

    assert Dated()._plan() is None
    assert Dated().dump({"id": "7", "at": None}) == {"id": 7, "at": None}
    assert TraceUpSchema().dump(Item()) == {}
    as_object = {"node": Item(), "aligned": True}
    assert TraceUpSchema().dump(as_object) == Schema.dump(TraceUpSchema(), as_object)
    assert TraceUpSchema(many=True).dump([{"aligned": 1}]) == [{"aligned": True}]


@pytest.mark.parametrize("value", [0, 1, 0.0, "true", None])
def test_a_strict_boolean_takes_only_true_and_false(value):
    from marshmallow import ValidationError

    from service.schemas.fields import strict_bool

    field = strict_bool()
    with pytest.raises(ValidationError):
        field.deserialize(value)
    assert field.deserialize(True) is True and field.deserialize(False) is False
