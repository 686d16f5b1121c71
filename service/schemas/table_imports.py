"""The spreadsheet import's arguments and report."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from models import KINDS
from service.schemas.common import (
    CellProblemSchema,
    CellWarningSchema,
    Code,
    ResponseSchema,
    StrictSchema,
)
from service.schemas.fields import Text
from service.schemas.imports import ChangeCountSchema

LAYOUTS = ("okr", "jira", "linear")


class TableImportArgs(StrictSchema):
    layout = fields.String(
        required=True,
        validate=validate.OneOf(LAYOUTS),
        metadata={"description": "okr (our own sheet), jira or linear (a tracker's CSV export)."},
    )
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Report what would change; write nothing."}
    )
    date_format = Text(
        max_length=50,
        load_default=None,
        metadata={"description": "How dates are written when not ISO 8601, e.g. %d/%m/%Y."},
    )
    kind = fields.List(
        Text(max_length=200),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "Tracker issue types mapped to node kinds, e.g. Epic=goal."},
    )

    @validates("date_format")
    def _date_format(self, value, **_kwargs):
        if value is not None and not any(year in value for year in ("%Y", "%y")):
            raise ValidationError("A date format names the year (%Y or %y), e.g. %d/%m/%Y.")

    @validates("kind")
    def _kind(self, value, **_kwargs):
        for mapping in value:
            issue_type, _, kind = mapping.partition("=")
            if not issue_type.strip() or kind.strip().lower() not in KINDS:
                raise ValidationError(f"Write Type=kind with a kind among {', '.join(KINDS)}.")


class TableImportReportSchema(ResponseSchema):
    layout = Code(LAYOUTS, required=True)
    rows = fields.Integer(
        required=True, metadata={"description": "Rows read, blank ones left out."}
    )
    dry_run = fields.Boolean(required=True)
    valid = fields.Boolean(required=True)
    applied = fields.Boolean(required=True)
    counts = fields.Dict(
        keys=fields.String(), values=fields.Nested(ChangeCountSchema), required=True
    )
    problems = fields.List(
        fields.Nested(CellProblemSchema),
        required=True,
        metadata={"description": "The first 1,000 problems, by row and column."},
    )
    problems_total = fields.Integer(required=True, metadata={"description": "All problems."})
    warnings = fields.List(fields.Nested(CellWarningSchema), required=True)
    revision = fields.Integer(allow_none=True, required=True)


def kind_map(mappings: list[str]) -> dict[str, str]:
    """``["Epic=Goal"]`` as ``{"epic": "goal"}``: issue types and kinds ignore case."""
    pairs = (mapping.partition("=") for mapping in mappings)
    return {issue.strip().lower(): kind.strip().lower() for issue, _, kind in pairs}
