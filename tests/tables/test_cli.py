"""``throughline import FILE.csv|FILE.xlsx --layout ...``: problems printed one cell a line."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook

from service.cli import main

TABLES = Path(__file__).parent.parent / "data" / "tables"


def _invoke(args, database_url):
    return CliRunner().invoke(main, args, env={"THROUGHLINE_DATABASE_URL": database_url})


def test_a_csv_file_imports_by_its_extension(app, client, database_url):
    result = _invoke(["import", str(TABLES / "okr.csv")], database_url)
    assert result.exit_code == 0, result.output
    assert "Imported." in result.output
    assert client.get("/api/v1/nodes").get_json()["total"] == 3


def test_problems_are_printed_by_row_and_column(app, client, database_url, tmp_path):
    sheet = tmp_path / "goals.csv"
    sheet.write_text("ref,kind,title,parents\nm,mission,M,\na,strategy,A,b\nb,strategy,B,a\n")
    result = _invoke(["import", str(sheet)], database_url)
    assert result.exit_code == 1
    assert "row 3, column parents: cycle: " in result.output
    assert "nothing was written" in result.output
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_an_xlsx_workbook_imports_with_a_tracker_layout(app, client, database_url, tmp_path):
    book = Workbook()
    book.active.append(["ID", "Title", "Status", "Parent issue"])
    book.active.append(["ENG-1", "Offline mode", "Done", None])
    book.active.append(["ENG-2", "Maps", "Todo", "ENG-1"])
    path = tmp_path / "linear.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    result = _invoke(["import", str(path), "--layout", "linear"], database_url)
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/nodes").get_json()["total"] == 2


def test_a_tracker_issue_type_can_be_remapped(app, client, database_url):
    jira = str(TABLES / "jira.csv")
    missing = _invoke(["import", jira, "--layout", "jira", "--dry-run"], database_url)
    assert missing.exit_code == 1
    assert "row 2, column Labels: unknown_reference: " in missing.output  # goal:G1 is not there
    assert _invoke(["import", str(TABLES / "okr.csv")], database_url).exit_code == 0

    result = _invoke(["import", jira, "--layout", "jira", "--kind", "Epic=goal"], database_url)

    assert result.exit_code == 0, result.output
    epic = client.get("/api/v1/nodes/by-ref/TRIP-1").get_json()
    assert epic["kind"] == "goal"


def test_a_mapping_to_no_kind_is_a_usage_error(app, database_url):
    jira = str(TABLES / "jira.csv")
    result = _invoke(["import", jira, "--layout", "jira", "--kind", "Epic=team"], database_url)
    assert result.exit_code == 2
