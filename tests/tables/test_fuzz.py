"""Whatever arrives as a table, the answer is a report or a problem: never a 500."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.tables.okr import COLUMNS

CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["mission", "goal", "work", "key_result", "M", "G", "W", "", "1e999", "-0", "2026-02-30"]
    ),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
)
HEADERS = st.lists(
    st.sampled_from([*COLUMNS, "Issue key", "Summary", "Labels", "x"]), min_size=1, max_size=8
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _csv(header, rows, delimiter) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(
    header=HEADERS,
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    layout=st.sampled_from(["okr", "jira", "linear"]),
)
def test_generated_sheets_answer_a_report_or_a_problem(client, header, rows, delimiter, layout):
    body = _csv(header, rows, delimiter)
    response = client.post(
        "/api/v1/import/table",
        data=body,
        content_type="text/csv",
        query_string={"layout": layout, "dry_run": "true"},
    )
    assert response.status_code in (200, 400, 422), response.get_data(as_text=True)[:500]
    if response.status_code != 200:
        assert response.content_type == "application/problem+json"


@FUZZ
@given(body=st.binary(max_size=300), xlsx=st.booleans())
def test_arbitrary_bytes_answer_a_problem(client, body, xlsx):
    mimetype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if xlsx else "text/csv"
    )
    response = client.post(
        "/api/v1/import/table?layout=okr&dry_run=true", data=body, content_type=mimetype
    )
    assert response.status_code in (200, 400, 422)
