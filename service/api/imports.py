"""``/api/v1/import``: load a whole company (or a change to it) in one document."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from service.api.base import Blueprint, changes, json_body
from service.auth.policy import require_admin
from service.domain.imports import import_document
from service.errors import DomainError
from service.schemas.imports import (
    ImportArgs,
    ImportDocumentSchema,
    ImportReportSchema,
    load_document,
)
from service.schemas.table_imports import TableImportArgs, TableImportReportSchema, kind_map
from service.tables.imports import import_table
from service.tables.read import TABLE_MEDIA, XLSX_MIMETYPE, TableError
from service.tables.translation import Options

blp = Blueprint(
    "import", __name__, url_prefix="/api/v1", description="Bulk import by ref (admins only)."
)


@blp.route("/import")
class Import(MethodView):
    @blp.operation("importDocument")
    @blp.arguments(ImportArgs, location="query")
    @blp.doc(
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": ImportDocumentSchema}},
        }
    )
    @blp.response(200, ImportReportSchema)
    @blp.errors(400, 413, 415, 422)
    def post(self, args):
        """Import teams, people, periods, nodes, links and key results, all or nothing."""
        body = json_body()
        try:
            document = load_document(body if request.content_length else None)
        except ValidationError as error:
            abort(422, errors=error.messages)
        report = import_document(changes(), document, dry_run=args["dry_run"])
        if not report["valid"] and not args["dry_run"]:
            raise DomainError(
                "import_invalid",
                f"The document breaks {len(report['violations'])} rule(s); nothing was written.",
                violations=report["violations"],
            )
        return report


@blp.route("/import/table")
class TableImport(MethodView):
    @blp.operation("importTable")
    @blp.arguments(TableImportArgs, location="query")
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in TABLE_MEDIA
            },
        }
    )
    @blp.response(200, TableImportReportSchema)
    @blp.errors(400, 413, 415, 422)
    def post(self, args):
        """Import an OKR sheet or a Jira or Linear export (CSV or xlsx), all or nothing."""
        require_admin(changes().principal, "import")  # before reading a large body
        options = Options(date_format=args["date_format"], kinds=kind_map(args["kind"]))
        try:
            report = import_table(
                changes(),
                request.get_data(cache=False),
                args["layout"],
                xlsx=request.mimetype == XLSX_MIMETYPE,
                options=options,
                dry_run=args["dry_run"],
            )
        except TableError as error:
            raise DomainError(error.code, error.detail, status=400) from None
        if not report["valid"] and not args["dry_run"]:
            raise DomainError(
                "import_invalid",
                f"The file has {report['problems_total']} problem(s); nothing was written.",
                problems=report["problems"],
                warnings=report["warnings"],
            )
        return report
