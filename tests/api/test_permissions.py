"""Every operation of the OpenAPI document, as each kind of caller, gets the status it must.

Callers: anonymous, viewer, editor on their own node, editor on another team's node, admin.
Each operation has a request builder; an operation without one fails the coverage test.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from service.openapi import spec_dict
from tests import factories as f
from tests.conftest import client_as, make_token

ROLES = ("anonymous", "viewer", "editor_own", "editor_other", "admin")
_refs = itertools.count(1)


class Scenario:
    """A small company where the editor owns some nodes and another team owns others."""

    def __init__(self, app, admin):
        self.app = app
        self.admin = admin
        self.team_a, self.team_b = f.team(admin, "A"), f.team(admin, "B")
        self.editor = f.person(admin, "Editor", team_ids=[self.team_a["id"]])
        self.other = f.person(admin, "Other", team_ids=[self.team_b["id"]])
        self.period = f.period(admin)
        mission, vision = f.chain(admin, "mission", "vision")
        self.strategy = f.node(admin, "strategy", owner_id=self.editor["id"])
        f.link(admin, self.strategy, vision)
        self.goal = {"own": self.own("goal"), "other": self.theirs("goal")}
        self.work = {"own": self.own("work"), "other": self.theirs("work")}
        self.link = {
            side: f.link(admin, self.work[side], self.goal[side]) for side in ("own", "other")
        }
        for side in ("own", "other"):
            f.link(admin, self.goal[side], self.strategy)
        self.kr = {side: self.key_result(self.goal[side]) for side in ("own", "other")}
        self.tokens = {
            "anonymous": None,
            "viewer": make_token(app, "viewer"),
            "editor_own": make_token(app, "editor", self.editor["id"]),
            "editor_other": make_token(app, "editor", self.editor["id"]),
            "admin": make_token(app, "admin"),
        }

    def own(self, kind, **fields):
        return f.node(
            self.admin,
            kind,
            owner_id=self.editor["id"],
            team_id=self.team_a["id"],
            ref=f"own-{next(_refs)}",
            **fields,
        )

    def theirs(self, kind, **fields):
        return f.node(
            self.admin,
            kind,
            owner_id=self.other["id"],
            team_id=self.team_b["id"],
            ref=f"theirs-{next(_refs)}",
            **fields,
        )

    def key_result(self, goal):
        return f.create(
            self.admin,
            f"nodes/{goal['id']}/key-results",
            metric="m.x",
            direction="increase",
            start_value=0,
            target_value=10,
        )

    def side(self, role):
        return "other" if role == "editor_other" else "own"

    def fresh(self, role, kind="work"):
        return self.theirs(kind) if self.side(role) == "other" else self.own(kind)


def _node(s, r):
    return s.goal[s.side(r)]["id"]


def _team(s, r):
    return (s.team_b if s.side(r) == "other" else s.team_a)["id"]


KR_BODY = {"metric": "m.y", "direction": "increase", "start_value": 0, "target_value": 5}

# (method, path template) -> builder(scenario, role) -> (url, json body or None)
REQUESTS = {
    ("get", "/api/v1/nodes"): lambda s, r: ("/api/v1/nodes", None),
    ("post", "/api/v1/nodes"): lambda s, r: (
        "/api/v1/nodes",
        {"kind": "work", "title": "new", "team_id": _team(s, r)},
    ),
    ("get", "/api/v1/nodes/{node_id}"): lambda s, r: (f"/api/v1/nodes/{_node(s, r)}", None),
    ("patch", "/api/v1/nodes/{node_id}"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}",
        {"title": "renamed"},
    ),
    ("delete", "/api/v1/nodes/{node_id}"): lambda s, r: (f"/api/v1/nodes/{s.fresh(r)['id']}", None),
    ("get", "/api/v1/nodes/by-ref/{ref}"): lambda s, r: (
        f"/api/v1/nodes/by-ref/{s.goal[s.side(r)]['ref']}",
        None,
    ),
    ("put", "/api/v1/nodes/by-ref/{ref}"): lambda s, r: (
        f"/api/v1/nodes/by-ref/{s.work[s.side(r)]['ref']}",
        {"kind": "work", "title": "synced", "team_id": _team(s, r)},
    ),
    ("get", "/api/v1/links"): lambda s, r: ("/api/v1/links", None),
    ("post", "/api/v1/links"): lambda s, r: (
        "/api/v1/links",
        {"source_id": s.fresh(r)["id"], "target_id": s.goal["other"]["id"]},
    ),
    ("get", "/api/v1/links/{link_id}"): lambda s, r: (
        f"/api/v1/links/{s.link[s.side(r)]['id']}",
        None,
    ),
    ("patch", "/api/v1/links/{link_id}"): lambda s, r: (
        f"/api/v1/links/{s.link[s.side(r)]['id']}",
        {"weight": 0.5},
    ),
    ("delete", "/api/v1/links/{link_id}"): lambda s, r: (
        f"/api/v1/links/{f.link(s.admin, s.fresh(r), s.goal['own'])['id']}",
        None,
    ),
    ("post", "/api/v1/links/{link_id}/review"): lambda s, r: (
        f"/api/v1/links/{s.link[s.side(r)]['id']}/review",
        {"restatement": "still true"},
    ),
    ("get", "/api/v1/teams"): lambda s, r: ("/api/v1/teams", None),
    ("post", "/api/v1/teams"): lambda s, r: ("/api/v1/teams", {"name": "T"}),
    ("get", "/api/v1/teams/{team_id}"): lambda s, r: (f"/api/v1/teams/{_team(s, r)}", None),
    ("patch", "/api/v1/teams/{team_id}"): lambda s, r: (
        f"/api/v1/teams/{_team(s, r)}",
        {"name": "T2"},
    ),
    ("delete", "/api/v1/teams/{team_id}"): lambda s, r: (
        f"/api/v1/teams/{f.team(s.admin)['id']}",
        None,
    ),
    ("get", "/api/v1/people"): lambda s, r: ("/api/v1/people", None),
    ("post", "/api/v1/people"): lambda s, r: ("/api/v1/people", {"name": "P"}),
    ("get", "/api/v1/people/{person_id}"): lambda s, r: (f"/api/v1/people/{s.editor['id']}", None),
    ("patch", "/api/v1/people/{person_id}"): lambda s, r: (
        f"/api/v1/people/{s.editor['id']}",
        {"name": "Ed"},
    ),
    ("delete", "/api/v1/people/{person_id}"): lambda s, r: (
        f"/api/v1/people/{f.person(s.admin)['id']}",
        None,
    ),
    ("get", "/api/v1/periods"): lambda s, r: ("/api/v1/periods", None),
    ("post", "/api/v1/periods"): lambda s, r: (
        "/api/v1/periods",
        {"name": "Q", "start_date": "2027-01-01", "end_date": "2027-03-31"},
    ),
    ("get", "/api/v1/periods/{period_id}"): lambda s, r: (
        f"/api/v1/periods/{s.period['id']}",
        None,
    ),
    ("patch", "/api/v1/periods/{period_id}"): lambda s, r: (
        f"/api/v1/periods/{s.period['id']}",
        {"name": "Q4"},
    ),
    ("delete", "/api/v1/periods/{period_id}"): lambda s, r: (
        f"/api/v1/periods/{f.period(s.admin)['id']}",
        None,
    ),
    ("get", "/api/v1/nodes/{node_id}/trace/up"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/trace/up",
        None,
    ),
    ("get", "/api/v1/nodes/{node_id}/trace/down"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/trace/down",
        None,
    ),
    ("get", "/api/v1/nodes/{node_id}/impact"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/impact",
        None,
    ),
    ("get", "/api/v1/trace/common"): lambda s, r: (
        f"/api/v1/trace/common?a={s.goal['own']['id']}&b={s.goal['other']['id']}",
        None,
    ),
    ("get", "/api/v1/people/{person_id}/alignment"): lambda s, r: (
        f"/api/v1/people/{s.editor['id']}/alignment",
        None,
    ),
    ("get", "/api/v1/teams/{team_id}/alignment"): lambda s, r: (
        f"/api/v1/teams/{_team(s, r)}/alignment",
        None,
    ),
    ("get", "/api/v1/teams/{team_id}/ground"): lambda s, r: (
        f"/api/v1/teams/{_team(s, r)}/ground",
        None,
    ),
    ("get", "/api/v1/nodes/{node_id}/dependencies"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/dependencies",
        None,
    ),
    ("get", "/api/v1/analysis/market"): lambda s, r: ("/api/v1/analysis/market", None),
    ("get", "/api/v1/analysis/team-graph"): lambda s, r: ("/api/v1/analysis/team-graph", None),
    ("get", "/api/v1/analysis/silos"): lambda s, r: ("/api/v1/analysis/silos", None),
    ("get", "/api/v1/analysis/orphans"): lambda s, r: ("/api/v1/analysis/orphans", None),
    ("get", "/api/v1/analysis/unsupported"): lambda s, r: ("/api/v1/analysis/unsupported", None),
    ("get", "/api/v1/analysis/conflicts"): lambda s, r: ("/api/v1/analysis/conflicts", None),
    ("get", "/api/v1/analysis/health"): lambda s, r: ("/api/v1/analysis/health", None),
    ("get", "/api/v1/analysis/language"): lambda s, r: ("/api/v1/analysis/language", None),
    ("get", "/api/v1/terms"): lambda s, r: ("/api/v1/terms", None),
    ("post", "/api/v1/terms"): lambda s, r: ("/api/v1/terms", {"name": f"term {next(_refs)}"}),
    ("get", "/api/v1/terms/{term_id}"): lambda s, r: (f"/api/v1/terms/{_term(s, r)[0]}", None),
    ("patch", "/api/v1/terms/{term_id}"): lambda s, r: (
        f"/api/v1/terms/{_term(s, r)[0]}",
        {"aliases": [f"alias {next(_refs)}"]},
    ),
    ("delete", "/api/v1/terms/{term_id}"): lambda s, r: (f"/api/v1/terms/{_term(s, r)[0]}", None),
    ("post", "/api/v1/terms/{term_id}/definitions"): lambda s, r: (
        f"/api/v1/terms/{_term(s, r, defined=False)[0]}/definitions",
        {"team_id": _team(s, r), "text": "What we mean."},
    ),
    ("patch", "/api/v1/terms/{term_id}/definitions/{definition_id}"): lambda s, r: (
        "/api/v1/terms/{}/definitions/{}".format(*_term(s, r)),
        {"text": "What we mean now."},
    ),
    ("delete", "/api/v1/terms/{term_id}/definitions/{definition_id}"): lambda s, r: (
        "/api/v1/terms/{}/definitions/{}".format(*_term(s, r)),
        None,
    ),
    ("get", "/api/v1/analysis/clarity"): lambda s, r: ("/api/v1/analysis/clarity", None),
    ("get", "/api/v1/analysis/overruns"): lambda s, r: ("/api/v1/analysis/overruns", None),
    ("get", "/api/v1/nodes/{node_id}/restatements"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/restatements",
        None,
    ),
    ("post", "/api/v1/nodes/{node_id}/restatements"): lambda s, r: (
        f"/api/v1/nodes/{s.fresh(r)['id']}/restatements",
        {"text": "What I heard"},
    ),
    ("delete", "/api/v1/nodes/{node_id}/restatements/{restatement_id}"): lambda s, r: (
        "/api/v1/nodes/{}/restatements/{}".format(*_editors_restatement(s, r)),
        None,
    ),
    ("get", "/api/v1/analysis/stale"): lambda s, r: ("/api/v1/analysis/stale", None),
    ("get", "/api/v1/analysis/suspect-links"): lambda s, r: (
        "/api/v1/analysis/suspect-links",
        None,
    ),
    ("get", "/api/v1/nodes/{node_id}/key-results"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/key-results",
        None,
    ),
    ("post", "/api/v1/nodes/{node_id}/key-results"): lambda s, r: (
        f"/api/v1/nodes/{_node(s, r)}/key-results",
        KR_BODY,
    ),
    ("get", "/api/v1/key-results/{kr_id}"): lambda s, r: (
        f"/api/v1/key-results/{s.kr[s.side(r)]['id']}",
        None,
    ),
    ("patch", "/api/v1/key-results/{kr_id}"): lambda s, r: (
        f"/api/v1/key-results/{s.kr[s.side(r)]['id']}",
        {"target_value": 20},
    ),
    ("delete", "/api/v1/key-results/{kr_id}"): lambda s, r: (
        f"/api/v1/key-results/{s.key_result(s.goal[s.side(r)])['id']}",
        None,
    ),
    ("get", "/api/v1/key-results/{kr_id}/check-ins"): lambda s, r: (
        f"/api/v1/key-results/{s.kr[s.side(r)]['id']}/check-ins",
        None,
    ),
    ("post", "/api/v1/key-results/{kr_id}/check-ins"): lambda s, r: (
        f"/api/v1/key-results/{s.kr[s.side(r)]['id']}/check-ins",
        {"value": 3},
    ),
    ("get", "/api/v1/audit"): lambda s, r: ("/api/v1/audit", None),
    ("post", "/api/v1/import"): lambda s, r: (
        "/api/v1/import",
        {"nodes": [{"ref": f"imp-{next(_refs)}", "kind": "work", "title": "i"}]},
    ),
    ("post", "/api/v1/import/table"): lambda s, r: (
        "/api/v1/import/table?layout=okr",
        (f"ref,kind,title\nimp-{next(_refs)},work,i\n".encode(), "text/csv"),
    ),
    ("get", "/api/v1/export"): lambda s, r: (f"/api/v1/export?root={_node(s, r)}", None),
    ("get", "/api/v1/tokens"): lambda s, r: ("/api/v1/tokens", None),
    ("post", "/api/v1/tokens"): lambda s, r: ("/api/v1/tokens", {"role": "viewer"}),
    ("delete", "/api/v1/tokens/{token_id}"): lambda s, r: (
        f"/api/v1/tokens/{_any_token_id(s)}",
        None,
    ),
}

ADMIN_ONLY = (
    "/api/v1/teams",
    "/api/v1/people",
    "/api/v1/periods",
    "/api/v1/tokens",
    "/api/v1/import",
)
# Writes an editor may make on their own nodes.
EDITOR_WRITES = {
    ("post", "/api/v1/nodes"),
    ("patch", "/api/v1/nodes/{node_id}"),
    ("delete", "/api/v1/nodes/{node_id}"),
    ("put", "/api/v1/nodes/by-ref/{ref}"),
    ("post", "/api/v1/links"),
    ("patch", "/api/v1/links/{link_id}"),
    ("delete", "/api/v1/links/{link_id}"),
    ("post", "/api/v1/links/{link_id}/review"),
    ("post", "/api/v1/nodes/{node_id}/key-results"),
    ("patch", "/api/v1/key-results/{kr_id}"),
    ("delete", "/api/v1/key-results/{kr_id}"),
    ("post", "/api/v1/key-results/{kr_id}/check-ins"),
    ("patch", "/api/v1/terms/{term_id}"),
    ("delete", "/api/v1/terms/{term_id}"),
    ("post", "/api/v1/terms/{term_id}/definitions"),
    ("patch", "/api/v1/terms/{term_id}/definitions/{definition_id}"),
    ("delete", "/api/v1/terms/{term_id}/definitions/{definition_id}"),
}
# Writes any editor may make.
EDITOR_ANY_WRITES = {("post", "/api/v1/terms")}


def _term(s, r, defined=True):
    """A fresh term, defined by the caller's side's team: (term id, definition id)."""
    made = f.create(s.admin, "terms", name=f"term {next(_refs)}")
    if not defined:
        return made["id"], None
    definition = f.create(
        s.admin, f"terms/{made['id']}/definitions", team_id=_team(s, r), text="What we mean."
    )
    return made["id"], definition["id"]


# Writes any caller who is a person makes, on any node they can see: the editor's tokens
# are the editor's (a person); the viewer's and the admin's here are no person's.
PERSON_WRITES = {("post", "/api/v1/nodes/{node_id}/restatements")}
PERSONS = ("editor_own", "editor_other")
# One's own restatement (the editor's), or any as an admin.
OWN_WRITES = {("delete", "/api/v1/nodes/{node_id}/restatements/{restatement_id}")}


def _editors_restatement(s, r):
    """A fresh node restated by the editor: (node id, restatement id)."""
    node = s.fresh(r)
    editor = client_as(s.app, s.tokens["editor_own"])
    made = editor.post(f"/api/v1/nodes/{node['id']}/restatements", json={"text": "Heard it"})
    return node["id"], made.get_json()["id"]


def _any_token_id(s):
    return f.create(s.admin, "tokens", role="viewer")["id"]


def _operations(app):
    spec = spec_dict(app)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                success = min(code for code in operation["responses"] if code.startswith("2"))
                yield method, path, int(success)


def expected(method, path, success, role):
    if role == "anonymous":
        return 401
    if (method, path) in PERSON_WRITES:
        return 201 if role in PERSONS else 422  # person_required
    if (method, path) in OWN_WRITES:
        return success if role in (*PERSONS, "admin") else 403
    admin_only = path.startswith(ADMIN_ONLY) and not path.endswith("/alignment")
    if role == "admin":
        return success
    if method == "get":
        return 403 if path.startswith("/api/v1/tokens") else success
    if admin_only or role == "viewer":
        return 403
    if (method, path) in EDITOR_ANY_WRITES:
        return success
    if (method, path) in EDITOR_WRITES:
        return success if role == "editor_own" else 403
    raise AssertionError(f"no rule for {method} {path}")


def test_every_operation_has_a_request(app):
    missing = [(m, p) for m, p, _ in _operations(app) if (m, p) not in REQUESTS]

    assert missing == []


def test_every_operation_answers_each_caller_as_it_must(app, client):
    # This test fails authentication on purpose far more often than the limit allows.
    app.config["THROUGHLINE"] = replace(app.config["THROUGHLINE"], auth_failures_per_minute=10**6)
    scenario = Scenario(app, client)
    wrong = []
    for method, path, success in _operations(app):
        for role in ROLES:
            url, body = REQUESTS[(method, path)](scenario, role)
            caller = client_as(app, scenario.tokens[role])
            if isinstance(body, tuple):  # a body that is not JSON: (bytes, media type)
                data, mimetype = body
                response = caller.open(url, method=method.upper(), data=data, content_type=mimetype)
            else:
                response = caller.open(url, method=method.upper(), json=body)
            want = expected(method, path, success, role)
            if method == "put" and role in ("editor_own", "admin") and response.status_code == 201:
                want = 201  # the upsert created the node
            if response.status_code != want:
                wrong.append((method.upper(), path, role, response.status_code, want))
            if response.status_code in (401, 403):
                assert response.mimetype == "application/problem+json"

    assert wrong == []
