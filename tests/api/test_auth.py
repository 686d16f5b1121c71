"""Authentication with API tokens, its failures, abuse limits and browser access."""

from __future__ import annotations

from click.testing import CliRunner

from service.cli import main
from tests.conftest import client_as

PROBLEM = "application/problem+json"


def _refused(response):
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return response.get_json()


def test_requests_without_credentials_are_refused(anonymous):
    body = _refused(anonymous.get("/api/v1/nodes"))

    assert body["code"] == "unauthorized"


def test_every_bad_credential_gets_the_same_answer(app, client, admin_token):
    revoked = client.post("/api/v1/tokens", json={"role": "viewer"}).get_json()
    client.delete(f"/api/v1/tokens/{revoked['id']}")
    headers = [
        "Bearer tl_not-a-real-token",
        "Bearer " + admin_token[:-2] + "xx",
        f"Bearer {revoked['token']}",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged",
    ]

    bodies = [
        _refused(client_as(app, None).get("/api/v1/nodes", headers={"Authorization": h}))
        for h in headers
    ]

    assert all(body == bodies[0] for body in bodies)


def test_probes_and_the_openapi_document_need_no_credentials(anonymous):
    for path in ("/healthz", "/readyz", "/api/v1/openapi.json"):
        assert anonymous.get(path).status_code == 200


def test_token_secret_is_shown_once_and_never_stored(app, client):
    made = client.post("/api/v1/tokens", json={"role": "viewer", "name": "portal"})

    assert made.status_code == 201
    secret = made.get_json()["token"]
    listed = client.get("/api/v1/tokens").get_data(as_text=True)
    audit = client.get("/api/v1/audit?entity_type=token").get_data(as_text=True)
    assert secret not in listed and secret not in audit
    assert "token" not in client.get("/api/v1/tokens").get_json()["items"][0]
    assert client_as(app, secret).get("/api/v1/nodes").status_code == 200


def test_revoked_token_stops_working_at_once(app, client):
    made = client.post("/api/v1/tokens", json={"role": "viewer"}).get_json()
    viewer = client_as(app, made["token"])
    assert viewer.get("/api/v1/nodes").status_code == 200

    assert client.delete(f"/api/v1/tokens/{made['id']}").status_code == 204

    _refused(viewer.get("/api/v1/nodes"))


def test_principals_are_looked_up_again_only_after_security_changes(app, client, monkeypatch):
    from service.auth import middleware

    looked_up = []
    real = middleware._look_up
    monkeypatch.setattr(middleware, "_look_up", lambda secret: looked_up.append(1) or real(secret))
    made = client.post("/api/v1/tokens", json={"role": "editor"}).get_json()
    editor = client_as(app, made["token"])

    def lookups_for(request):
        looked_up.clear()
        assert request().status_code < 300
        return len(looked_up)

    assert lookups_for(lambda: editor.get("/api/v1/nodes")) == 1  # first sight
    node = client.post("/api/v1/nodes", json={"kind": "work", "title": "w"}).get_json()
    assert lookups_for(lambda: editor.get(f"/api/v1/nodes/{node['id']}")) == 0  # data only
    team = client.post("/api/v1/teams", json={"name": "T"})
    assert team.status_code == 201
    assert lookups_for(lambda: editor.get("/api/v1/nodes")) == 1
    imported = client.post(
        "/api/v1/import", json={"people": [{"ref": "p-x", "name": "X", "email": "x@example.com"}]}
    )
    assert imported.status_code == 200, imported.get_json()
    assert lookups_for(lambda: editor.get("/api/v1/nodes")) == 1


def test_expired_token_is_refused(app, client):
    import datetime as dt

    from sqlalchemy import update

    from models import ApiToken

    made = client.post("/api/v1/tokens", json={"role": "viewer", "expires_in_days": 1}).get_json()
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.id == made["id"])
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )

    _refused(client_as(app, made["token"]).get("/api/v1/nodes"))


def test_writes_record_the_real_actor(app, client):
    person = client.post("/api/v1/people", json={"name": "Ada"}).get_json()
    token = client.post(
        "/api/v1/tokens", json={"role": "editor", "person_id": person["id"]}
    ).get_json()["token"]

    client_as(app, token).post("/api/v1/nodes", json={"kind": "work", "title": "mine"})

    event = client.get("/api/v1/audit?entity_type=node").get_json()["items"][0]
    assert event["actor"] == f"person:{person['id']}"
    assert event["after"]["owner_id"] == person["id"]


def test_cli_prints_the_token_alone_on_the_last_line(app, client, database_url):
    result = CliRunner().invoke(
        main,
        ["tokens", "create", "--role", "viewer", "--expires", "30"],
        env={"THROUGHLINE_DATABASE_URL": database_url},
    )

    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("tl_") and " " not in secret
    assert client_as(app, secret).get("/api/v1/nodes").status_code == 200


def test_cli_refuses_an_unknown_person(app, database_url):
    result = CliRunner().invoke(
        main,
        ["tokens", "create", "--role", "editor", "--person", "999999"],
        env={"THROUGHLINE_DATABASE_URL": database_url},
    )

    assert result.exit_code != 0


def test_failed_authentication_is_rate_limited_per_address(make_app):
    app = make_app(auth_failures_per_minute=3)
    stranger = app.test_client()
    statuses = [
        stranger.get("/api/v1/nodes", headers={"Authorization": "Bearer tl_guess"}).status_code
        for _ in range(5)
    ]

    assert statuses == [401, 401, 401, 429, 429]
    limited = stranger.get("/api/v1/nodes")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    other = app.test_client().get("/api/v1/nodes", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 401


def test_authenticated_answers_are_not_cached(client):
    response = client.get("/api/v1/nodes")

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_cors_is_off_by_default(client):
    response = client.get("/api/v1/nodes", headers={"Origin": "https://portal.example"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_only_configured_origins(make_app, admin_token):
    app = make_app(cors_origins=("https://portal.example",))
    client = client_as(app, admin_token)

    allowed = client.get("/api/v1/nodes", headers={"Origin": "https://portal.example"})
    refused = client.get("/api/v1/nodes", headers={"Origin": "https://evil.example"})
    preflight = app.test_client().options(
        "/api/v1/nodes",
        headers={
            "Origin": "https://portal.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.example"
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert preflight.status_code in (200, 204)
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(make_app):
    app = make_app(auth_failures_per_minute=1, proxy_count=1)
    client = app.test_client()

    def attempt(address):
        headers = {"Authorization": "Bearer tl_guess", "X-Forwarded-For": address}
        return client.get("/api/v1/nodes", headers=headers).status_code

    assert [attempt("203.0.113.7"), attempt("203.0.113.7")] == [401, 429]
    assert attempt("203.0.113.8") == 401
