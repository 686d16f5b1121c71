"""Spreadsheet import over the API: OKR sheets, Jira and Linear exports, problems per cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import client_as, make_token

TABLES = Path(__file__).parent.parent / "data" / "tables"
CSV = "text/csv"


def post(client, body: bytes | str, layout: str = "okr", mimetype: str = CSV, **query):
    if isinstance(body, str):
        body = body.encode()
    params = {"layout": layout, **query}
    return client.post(
        "/api/v1/import/table", data=body, content_type=mimetype, query_string=params
    )


def nodes_by_ref(client) -> dict:
    items = client.get("/api/v1/nodes?limit=1000").get_json()["items"]
    return {n["ref"]: n for n in items}


def orphans(client) -> dict:
    """Orphans by ref, with their reasons."""
    refs = {n["id"]: ref for ref, n in nodes_by_ref(client).items()}
    items = client.get("/api/v1/analysis/orphans").get_json()["items"]
    return {refs[item["node"]["id"]]: item["reason"] for item in items}


def test_the_okr_example_imports_a_company(client):
    response = post(client, (TABLES / "okr.csv").read_bytes())
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["applied"] and report["valid"] and report["problems"] == []
    assert report["counts"]["nodes"]["created"] == 3
    assert report["counts"]["key_results"]["created"] == 1
    assert report["counts"]["teams"]["created"] == 1
    assert report["counts"]["people"]["created"] == 1
    nodes = nodes_by_ref(client)
    assert nodes["W1"]["due_date"] == "2026-05-15"
    trace = client.get(f"/api/v1/nodes/{nodes['W1']['id']}/trace/up").get_json()
    assert trace["aligned"] is True
    krs = client.get(f"/api/v1/nodes/{nodes['G1']['id']}/key-results").get_json()["items"]
    assert [(kr["metric"], kr["target_value"]) for kr in krs] == [("growth.weekly_planners", 20000)]


def test_importing_the_same_sheet_twice_changes_nothing(client):
    body = (TABLES / "okr.csv").read_bytes()
    assert post(client, body).status_code == 200
    again = post(client, body).get_json()
    assert again["revision"] is None
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again["counts"].values())


def test_an_excel_sheet_with_bom_semicolons_and_blank_rows_imports(client):
    body = (TABLES / "okr-excel.csv").read_bytes()
    response = post(client, body, date_format="%d/%m/%Y")
    assert response.status_code == 200, response.get_json()
    nodes = nodes_by_ref(client)
    assert nodes["M1"]["title"] == "Help every family travel with ease"
    assert nodes["W1"]["kind"] == "work" and nodes["W1"]["due_date"] == "2026-05-15"
    links = client.get(f"/api/v1/nodes/{nodes['W1']['id']}/trace/up").get_json()["edges"]
    assert sorted(target for source, target in links if source == nodes["W1"]["id"]) == sorted(
        [nodes["G1"]["id"], nodes["V1"]["id"]]
    )
    krs = client.get(f"/api/v1/nodes/{nodes['G1']['id']}/key-results").get_json()["items"]
    assert krs[0]["weight"] == 0.5 and krs[0]["direction"] == "increase"


def test_every_problem_of_the_file_comes_back_with_its_cell(client):
    body = (
        "ref,kind,title,parents,due_date\n"
        "m,mission,Mission,,\n"
        "v,vision,Vision,m,\n"
        "a,strategy,A,b,\n"
        "b,strategy,B,a,\n"
        "w,wrok,Work,v,\n"
        "x,work,X,nowhere,2026-13-01\n"
        "g,goal,Goal,w,\n"
        "v,vision,Again,m,\n"
    )
    response = post(client, body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "import_invalid"
    found = {(p["row"], p["column"], p["code"]) for p in problem["problems"]}
    assert (6, "kind", "invalid_value") in found  # "wrok"
    assert (7, "due_date", "invalid_value") in found
    assert (7, "parents", "unknown_reference") in found
    assert (4, "parents", "cycle") in found or (5, "parents", "cycle") in found
    assert (9, "ref", "duplicate_ref") in found
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_a_level_break_points_at_the_parents_cell(client):
    body = "ref,kind,title,parents\nm,mission,M,\ng,goal,G,m\nw,work,W,g\ns,strategy,S,w\n"
    problems = post(client, body).get_json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [(5, "parents", "level")]


def test_a_dry_run_lists_problems_and_writes_nothing(client):
    response = post(client, "ref,kind,title\nm,mission,M\nw,work,\n", dry_run="true")
    assert response.status_code == 200
    report = response.get_json()
    assert report["dry_run"] and not report["valid"] and not report["applied"]
    assert [(p["row"], p["column"]) for p in report["problems"]] == [(3, "title")]
    assert client.get("/api/v1/nodes").get_json()["total"] == 0


def test_a_missing_required_column_is_one_problem_naming_it(client):
    problems = post(client, "ref,title\nm,M\n").get_json()["problems"]
    assert problems == [
        {
            "row": 1,
            "column": "kind",
            "code": "missing_column",
            "detail": "The sheet needs a column 'kind'.",
        }
    ]


def test_an_unknown_column_is_ignored_with_a_warning(client):
    report = post(client, "ref,kind,title,colour\nm,mission,M,blue\n").get_json()
    assert report["applied"]
    assert [(w["row"], w["column"], w["code"]) for w in report["warnings"]] == [
        (1, "colour", "unknown_column")
    ]


def test_ragged_rows_are_problems(client):
    response = post(client, "ref,kind,title\nm,mission,M,extra,cells\n")
    assert response.status_code == 422
    assert [(p["row"], p["code"]) for p in response.get_json()["problems"]] == [
        (2, "invalid_value")
    ]


def test_an_unknown_period_is_an_unknown_reference(client):
    problems = post(client, "ref,kind,title,period\nm,mission,M,2031-Q1\n").get_json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (2, "period", "unknown_reference")
    ]


def test_stored_teams_and_people_are_found_by_name_and_email(client):
    stored = {
        "teams": [{"ref": "t-growth", "name": "Growth"}],
        "people": [{"ref": "p-ana", "name": "Ana", "email": "Ana@Example.com"}],
    }
    assert client.post("/api/v1/import", json=stored).status_code == 200
    report = post(
        client, "ref,kind,title,team,owner\nm,mission,M,growth,ana@example.com\n"
    ).get_json()
    assert report["counts"]["teams"]["created"] == 0 and report["counts"]["people"]["created"] == 0
    node = nodes_by_ref(client)["m"]
    assert node["team_id"] is not None and node["owner_id"] is not None


def test_teams_people_and_periods_made_through_the_api_are_found(client):
    team = client.post("/api/v1/teams", json={"name": "Growth"}).get_json()
    person = client.post("/api/v1/people", json={"name": "Ana", "email": "ana@example.com"})
    period = client.post(
        "/api/v1/periods",
        json={"name": "Q3 2026", "start_date": "2026-07-01", "end_date": "2026-09-30"},
    ).get_json()
    body = "ref,kind,title,team,owner,period\nm,mission,M,growth,ANA@example.com,q3 2026\n"
    report = post(client, body).get_json()
    assert report["valid"], report["problems"]
    assert report["counts"]["teams"]["created"] == 0 and report["counts"]["people"]["created"] == 0
    node = nodes_by_ref(client)["m"]
    assert (node["team_id"], node["owner_id"], node["period_id"]) == (
        team["id"],
        person.get_json()["id"],
        period["id"],
    )


def test_case_variants_in_one_sheet_make_one_team_and_one_person(client):
    body = (
        "ref,kind,title,team,owner\n"
        "a,work,A,Growth,Ana@Example.com\n"
        "b,work,B,growth,ana@example.com\n"
        "c,work,C,GROWTH,ANA@example.com\n"
    )
    counts = post(client, body).get_json()["counts"]
    assert counts["teams"]["created"] == 1 and counts["people"]["created"] == 1


def test_a_second_import_keeps_what_the_sheet_does_not_say(client):
    post(client, "ref,kind,title,parents\nM1,mission,M,\nG1,goal,G,M1\n")
    goal = nodes_by_ref(client)["G1"]
    changed = client.patch(
        f"/api/v1/nodes/{goal['id']}",
        json={"visibility": "private", "description": "Ours", "status": "done"},
        headers={"If-Match": client.get(f"/api/v1/nodes/{goal['id']}").headers["ETag"]},
    )
    assert changed.status_code == 200

    again = post(client, "ref,kind,title,parents\nM1,mission,M,\nG1,goal,G,M1\n").get_json()

    assert again["counts"]["nodes"]["updated"] == 0
    after = client.get(f"/api/v1/nodes/{goal['id']}").get_json()
    assert (after["visibility"], after["description"], after["status"]) == (
        "private",
        "Ours",
        "done",
    )


def test_a_blank_cell_in_a_column_the_sheet_has_clears_the_value(client):
    post(client, "ref,kind,title,description\nM1,mission,M,Why we exist\n")
    post(client, "ref,kind,title,description\nM1,mission,M,\n")
    assert nodes_by_ref(client)["M1"]["description"] is None


def test_a_check_in_survives_a_reimport_of_a_sheet_without_current_values(client):
    body = (TABLES / "okr.csv").read_bytes()
    post(client, body)
    goal = nodes_by_ref(client)["G1"]
    kr = client.get(f"/api/v1/nodes/{goal['id']}/key-results").get_json()["items"][0]
    assert (
        client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 15000}).status_code
        == 201
    )

    post(client, body)

    assert client.get(f"/api/v1/key-results/{kr['id']}").get_json()["current_value"] == 15000


def test_a_tracker_reimport_keeps_owners_and_visibility_set_here(client):
    export = "Summary,Issue key,Issue Type,Status\nW,TRIP-1,Story,To Do\n"
    post(client, export, layout="jira")
    node = nodes_by_ref(client)["TRIP-1"]
    etag = client.get(f"/api/v1/nodes/{node['id']}").headers["ETag"]
    client.patch(
        f"/api/v1/nodes/{node['id']}", json={"visibility": "private"}, headers={"If-Match": etag}
    )

    post(client, export, layout="jira")

    assert client.get(f"/api/v1/nodes/{node['id']}").get_json()["visibility"] == "private"


def test_a_jira_export_imports_with_parents_labels_and_dates(client):
    post(client, "ref,kind,title,parents\nM1,mission,M,\nV1,vision,V,M1\nG1,goal,G,V1\n")
    people = {"people": [{"ref": "p-ana", "name": "Ana Perez"}]}
    assert client.post("/api/v1/import", json=people).status_code == 200
    response = post(client, (TABLES / "jira.csv").read_bytes(), layout="jira")
    assert response.status_code == 200, response.get_json()
    nodes = nodes_by_ref(client)
    assert nodes["TRIP-1"]["kind"] == "work" and nodes["TRIP-1"]["due_date"] == "2026-06-30"
    assert nodes["TRIP-2"]["status"] == "done" and nodes["TRIP-2"]["owner_id"] is not None
    found = orphans(client)
    assert found == {"TRIP-4": "unlinked"}  # no parent, no goal label: unlinked


def test_a_jira_cloud_export_with_its_real_header(client):
    post(client, "ref,kind,title,parents\nM1,mission,M,\nV1,vision,V,M1\nG1,goal,G,V1\n")
    people = {"people": [{"ref": "p-ana", "name": "Ana Perez"}]}
    assert client.post("/api/v1/import", json=people).status_code == 200
    response = post(
        client, (TABLES / "jira-cloud.csv").read_bytes(), layout="jira", kind=["Epic=goal"]
    )
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    nodes = nodes_by_ref(client)
    assert nodes["TRIP-10"]["kind"] == "strategy"  # Initiative
    assert nodes["TRIP-11"]["kind"] == "goal"  # Epic, remapped
    assert nodes["TRIP-14"]["status"] == "cancelled"  # Won't Do
    assert nodes["TRIP-12"]["owner_id"] is None  # Bo Chen is nobody here
    unmatched = {(w["row"], w["code"]) for w in report["warnings"]}
    assert unmatched == {(4, "unmatched_assignee"), (5, "unmatched_assignee")}
    assert orphans(client) == {"TRIP-15": "unlinked"}


def test_a_linear_export_imports(client):
    post(client, "ref,kind,title,parents\nM1,mission,M,\nV1,vision,V,M1\nG1,goal,G,V1\n")
    response = post(client, (TABLES / "linear.csv").read_bytes(), layout="linear")
    assert response.status_code == 200, response.get_json()
    nodes = nodes_by_ref(client)
    assert nodes["ENG-2"]["status"] == "done" and nodes["ENG-4"]["status"] == "cancelled"
    assert nodes["ENG-1"]["due_date"] == "2026-06-30"
    assert orphans(client) == {}  # ENG-4 is cancelled, so no orphan


@pytest.mark.parametrize(
    ("body", "mimetype", "status", "code"),
    [
        (b"\x00\x01\x02binary junk", CSV, 400, "unreadable_table"),
        (
            b"PK\x03\x04not a workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            400,
            "unreadable_table",
        ),
        (b"ref,kind,title\n", "application/json", 415, "unsupported_media_type"),
    ],
    ids=["binary", "bad-xlsx", "json-type"],
)
def test_what_is_no_table_answers_a_problem(client, body, mimetype, status, code):
    response = post(client, body, mimetype=mimetype)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.get_json()["code"] == code


def test_a_file_over_the_import_limit_is_413(make_app, app):
    small = make_app(max_import_bytes=1024)
    client = client_as(small, make_token(small))
    response = post(client, b"ref,kind,title\n" + b"w,work,x\n" * 200)
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [
        {"layout": "excel"},
        {"layout": "okr", "date_format": "dd/mm"},
        {"layout": "jira", "kind": "Epic=team"},
    ],
)
def test_bad_arguments_are_422(client, query):
    response = client.post(
        "/api/v1/import/table", data=b"ref\n", content_type=CSV, query_string=query
    )
    assert response.status_code == 422


def test_only_admins_import_tables(app):
    editor = client_as(app, make_token(app, role="editor"))
    assert post(editor, "ref,kind,title\nm,mission,M\n").status_code == 403


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(rows, formula_cell=None) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    if formula_cell:
        book.active[formula_cell] = "=B2*2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_sheet_imports_like_its_csv(client):
    import datetime as dt

    rows = [["ref", "kind", "title", "parents", "due_date"], ["m", "mission", "M", None, None]]
    rows.append(["w", "work", "W", "m", dt.datetime(2026, 5, 15)])
    response = post(client, _workbook(rows), mimetype=XLSX)
    assert response.status_code == 200, response.get_json()
    nodes = nodes_by_ref(client)
    assert set(nodes) == {"m", "w"} and nodes["w"]["due_date"] == "2026-05-15"


def test_a_formula_cell_without_its_value_is_a_problem(client):
    rows = [["ref", "kind", "title"], ["m", "mission", None]]
    response = post(client, _workbook(rows, formula_cell="C2"), mimetype=XLSX)
    first, *_rest = response.get_json()["problems"]
    assert (first["row"], first["column"], first["code"]) == (2, "title", "invalid_value")
    assert "formula" in first["detail"]


@pytest.mark.parametrize("cell", ["2026-3-12", "31/02/2026", "soon"])
def test_a_date_the_import_cannot_read_is_a_cell_problem(client, cell):
    problems = post(client, f"ref,kind,title,due_date\nm,mission,M,{cell}\n").get_json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (2, "due_date", "invalid_value")
    ]


def test_a_compact_iso_date_is_a_date(client):
    assert post(client, "ref,kind,title,due_date\nm,mission,M,20260312\n").status_code == 200
    assert nodes_by_ref(client)["m"]["due_date"] == "2026-03-12"


def test_a_comma_that_may_separate_thousands_is_refused_not_guessed(client):
    body = (
        "ref,kind,title,parents,metric,direction,start_value,target_value\n"
        "m,mission,M,,,,,\ng,goal,G,m,,,,\n"
        'k,key_result,K,g,x.y,increase,0,"20,000"\n'
    )
    problems = post(client, body).get_json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (4, "target_value", "invalid_value")
    ]


def test_a_node_listed_as_its_own_parent_points_at_parents(client):
    problems = post(client, "ref,kind,title,parents\nm,mission,M,\ng,goal,G,m;g\n").get_json()[
        "problems"
    ]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [(3, "parents", "self_link")]


def test_a_kind_change_that_breaks_stored_links_points_at_kind(client):
    post(client, "ref,kind,title,parents\nm,mission,M,\ns,strategy,S,m\ng,goal,G,s\n")
    problems = post(client, "ref,kind,title\ns,work,S\n").get_json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "kind")]


def test_jira_status_categories_resolutions_and_epic_links(client):
    export = (
        "Summary,Issue key,Issue id,Issue Type,Status,Resolution,Status Category,"
        "Custom field (Epic Link)\n"
        "E,T-1,1,Epic,Released,,Done,\n"
        "S,T-2,2,Story,Closed,Won't Do,Done,T-1\n"
        "D,T-3,3,Story,Closed,Duplicate,Done,T-1\n"
        f"{'x' * 250},T-4,4,Story,In Progress,,In Progress,T-1\n"
    )
    report = post(client, export, layout="jira").get_json()
    assert report["valid"], report["problems"]
    nodes = nodes_by_ref(client)
    assert [nodes[f"T-{i}"]["status"] for i in (1, 2, 3, 4)] == [
        "done",
        "cancelled",
        "cancelled",
        "active",
    ]
    assert len(nodes["T-4"]["title"]) == 200
    assert [(w["row"], w["code"]) for w in report["warnings"]] == [(5, "title_shortened")]
    assert set(orphans(client)) == {"T-4"}  # under T-1, done and itself unlinked


def test_a_parent_id_outside_the_file_is_a_warning(client):
    export = "Summary,Issue key,Issue id,Issue Type,Status,Parent\nS,T-5,5,Story,To Do,10001\n"
    report = post(client, export, layout="jira").get_json()
    assert report["valid"]
    assert [(w["row"], w["column"], w["code"]) for w in report["warnings"]] == [
        (2, "Parent", "unknown_parent")
    ]


def test_a_csv_export_imports_back_and_exports_again_byte_for_byte(app, client, database_url):
    from tests.conftest import _empty

    post(client, (TABLES / "okr.csv").read_bytes())
    body = (
        "ref,kind,title,parents,status,due_date,description,visibility\n"
        "S1,strategy,Trips for families,M1,active,,Where we go next,public\n"
        "G2,goal,Fewer refunds,S1;M1,draft,2026-09-30,,team\n"
        "W2,work,Refund flow,G2,done,2026-08-01,,public\n"
    )
    assert post(client, body).status_code == 200
    first = client.get("/api/v1/export?format=csv")
    assert first.status_code == 200 and first.mimetype == "text/csv"
    text = first.get_data(as_text=True)
    assert len(text.splitlines()) == 1 + 7  # the header, six nodes and one key result
    assert "S1;M1" in text and "growth.weekly_planners" in text and ",team," in text

    _empty(database_url)
    fresh = client_as(app, make_token(app))
    again = post(fresh, first.get_data())
    assert again.status_code == 200, again.get_json()

    second = fresh.get("/api/v1/export?format=csv")
    assert second.get_data() == first.get_data()


def test_plain_bytes_are_read_as_csv_or_as_a_workbook_by_their_signature(client):
    sheet = post(client, (TABLES / "okr.csv").read_bytes(), mimetype="application/octet-stream")
    assert sheet.status_code == 200, sheet.get_json()
    rows = [["ref", "kind", "title"], ["X1", "work", "From a workbook"]]
    book = post(client, _workbook(rows), mimetype="application/octet-stream")
    assert book.status_code == 200, book.get_json()
    assert "X1" in nodes_by_ref(client)


def test_a_linear_export_with_its_real_header(client):
    post(client, (TABLES / "okr.csv").read_bytes())
    response = post(client, (TABLES / "linear-export.csv").read_bytes(), layout="linear")
    assert response.status_code == 200, response.get_json()
    nodes = nodes_by_ref(client)
    statuses = [nodes[f"ENG-{i}"]["status"] for i in (10, 11, 12, 13)]
    assert statuses == ["active", "done", "cancelled", "active"]
    assert nodes["ENG-10"]["owner_id"] is not None and nodes["ENG-10"]["due_date"] == "2026-06-30"
    assert orphans(client) == {"ENG-13": "unlinked"}


def test_the_serves_column_links_to_needs(client):
    needs = {
        "nodes": [{"ref": "N1", "kind": "need", "title": "Safety", "need_type": "psychological"}]
    }
    assert client.post("/api/v1/import", json=needs).status_code == 200
    body = "ref,kind,title,parents,serves\nM1,mission,M,,\nV1,vision,V,M1,N1\nW1,work,W,V1,N1\n"
    response = post(client, body)
    assert response.status_code == 422
    problems = response.get_json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [(4, "serves", "serves_kind")]

    assert post(client, body.replace("W1,work,W,V1,N1", "W1,work,W,V1,")).status_code == 200
    market = client.get("/api/v1/analysis/market").get_json()
    assert [n["node"]["ref"] for n in market["needs"]] == ["N1"]
    assert market["needs"][0]["work"] == 1


def test_need_columns_import_and_export_back(client):
    body = "ref,kind,title,segment,need_type\nN1,need,Safety,Families,Psychological\n"

    assert post(client, body).status_code == 200

    need = nodes_by_ref(client)["N1"]
    assert (need["segment"], need["need_type"]) == ("Families", "psychological")
    assert b",Families,psychological," in client.get("/api/v1/export?format=csv").get_data()


def test_clarity_budget_and_spent_columns_import_and_export_back(app, client, database_url):
    from tests.conftest import _empty

    body = (
        "ref,kind,title,parents,user_outcome,business_outcome,target_group,measure,budget,spent\n"
        "M1,mission,M,,,,,,,\n"
        'V1,vision,Safe trips,M1,Families arrive safely,Renewals rise,"Parents, carers",'
        "Incidents,,\n"
        "W1,work,Crash alerts,V1,,,,,1200.5,1300\n"
    )
    assert post(client, body).status_code == 200
    nodes = nodes_by_ref(client)
    assert nodes["V1"]["target_group"] == "Parents, carers"
    assert nodes["V1"]["measure"] == "Incidents"
    assert (nodes["W1"]["budget"], nodes["W1"]["spent"]) == (1200.5, 1300)
    exported = client.get("/api/v1/export?format=csv").get_data()
    assert b"Families arrive safely" in exported and b"1200.5" in exported

    _empty(database_url)
    fresh = client_as(app, make_token(app))
    assert post(fresh, exported).status_code == 200
    assert fresh.get("/api/v1/export?format=csv").get_data() == exported


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("W1,work,W,-5,", "budget", "invalid_value"),
        ("W1,work,W,,lots", "spent", "invalid_value"),
        ("N1,need,N,5,,functional", "budget", "not_for_needs"),
        ("N1,need,N,,,", "need_type", "need_type_required"),
        ("G1,goal,G,,,functional", "need_type", "need_fields"),
    ],
)
def test_a_bad_amount_or_need_cell_is_a_problem_at_its_cell(client, row, column, code):
    response = post(client, f"ref,kind,title,budget,spent,need_type\n{row}\n")

    assert response.status_code == 422
    problems = response.get_json()["problems"]
    assert (problems[0]["row"], problems[0]["column"], problems[0]["code"]) == (2, column, code)
