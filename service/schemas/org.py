"""Shapes of teams, people and periods."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.schemas.common import ChangeSchema, PageArgs, StrictSchema, page_of
from service.schemas.fields import Date, Email, Id, QueryId, Text


class TeamFieldsSchema(StrictSchema):
    name = Text(min_length=1, max_length=200)
    parent_id = Id(allow_none=True, metadata={"description": "The team above this one."})


class TeamCreateSchema(TeamFieldsSchema):
    name = Text(required=True, min_length=1, max_length=200)


class TeamUpdateSchema(ChangeSchema, TeamFieldsSchema):
    pass


class TeamSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TeamQueryArgs(PageArgs):
    parent_id = QueryId()
    q = Text(max_length=200, metadata={"description": "Case-insensitive text in the name."})


class PersonFieldsSchema(StrictSchema):
    name = Text(min_length=1, max_length=200)
    email = Email(allow_none=True)
    team_ids = fields.List(Id(), validate=validate.Length(max=100))


class PersonCreateSchema(PersonFieldsSchema):
    name = Text(required=True, min_length=1, max_length=200)


class PersonUpdateSchema(ChangeSchema, PersonFieldsSchema):
    pass


class PersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
    team_ids = fields.List(fields.Integer())
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PersonQueryArgs(PageArgs):
    team_id = QueryId()
    q = Text(max_length=200, metadata={"description": "Case-insensitive text in the name."})


class PeriodFieldsSchema(StrictSchema):
    name = Text(min_length=1, max_length=200)
    start_date = Date()
    end_date = Date()


class PeriodCreateSchema(PeriodFieldsSchema):
    name = Text(required=True, min_length=1, max_length=200)
    start_date = Date(required=True)
    end_date = Date(required=True)


class PeriodUpdateSchema(ChangeSchema, PeriodFieldsSchema):
    pass


class PeriodSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PeriodQueryArgs(PageArgs):
    q = Text(max_length=200, metadata={"description": "Case-insensitive text in the name."})
    active_on = fields.Date(metadata={"description": "Periods that include this date."})


TeamPageSchema = page_of(TeamSchema, "TeamPage")
PersonPageSchema = page_of(PersonSchema, "PersonPage")
PeriodPageSchema = page_of(PeriodSchema, "PeriodPage")
