"""Shapes of the shared-language findings (DOMAIN.md section 12)."""

from __future__ import annotations

from marshmallow import fields, validate

from service.graph.codes import SEVERITIES
from service.graph.language import LANGUAGE_FINDING_TYPES, MAX_FINDING_NODES
from service.schemas.common import Code, PageArgs, PageSchema, ResponseSchema
from service.schemas.fields import Integers, QueryId


class LanguageArgs(PageArgs):
    type = fields.String(validate=validate.OneOf(LANGUAGE_FINDING_TYPES))
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    team_id = QueryId(metadata={"description": "Findings whose team_ids hold this team."})


class LanguageFindingSchema(ResponseSchema):
    """A ``vocabulary`` finding (with ``term_id``) or an ``undefined_metric`` one (with
    ``metric``)."""

    type = Code(LANGUAGE_FINDING_TYPES, required=True)
    severity = Code(SEVERITIES, required=True)
    message = fields.String(required=True)
    term_id = fields.Integer(metadata={"description": "vocabulary: the term defined apart."})
    metric = fields.String(metadata={"description": "undefined_metric: the metric key."})
    team_ids = Integers(
        required=True,
        metadata={
            "description": "vocabulary: teams defining the term; undefined_metric: teams "
            "whose live goals use the metric. Ascending."
        },
    )
    node_ids = Integers(
        required=True,
        metadata={
            "description": "vocabulary: live nodes whose title or description uses the "
            "term as a whole word; undefined_metric: the live goals using the metric. "
            f"Ascending, at most {MAX_FINDING_NODES}, nodes hidden from the caller left out."
        },
    )


class LanguagePageSchema(PageSchema):
    items = fields.List(fields.Nested(LanguageFindingSchema), required=True)
