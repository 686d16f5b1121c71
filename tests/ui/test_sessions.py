"""Explorer sign-in: a token becomes a session cookie that is safe, bounded and revocable."""

from __future__ import annotations

import pytest
from flask.sessions import SecureCookieSessionInterface

from service.config import Config, ConfigError
from tests.conftest import make_token
from tests.ui.explorer import csrf_token, sign_in


def test_pages_send_strangers_to_the_sign_in_form(anonymous):
    response = anonymous.get("/ui/leaders?offset=0")

    assert response.status_code == 303
    assert response.headers["Location"] == "/ui/sign-in?next=/ui/leaders?offset%3D0"


def test_a_valid_token_signs_in_with_a_safe_cookie(app, admin_token):
    client = app.test_client()
    response = client.post(
        "/ui/sign-in",
        data={"csrf_token": csrf_token(client), "credential": admin_token, "next": "/ui/leaders"},
    )

    assert response.status_code == 303 and response.headers["Location"] == "/ui/leaders"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/ui" in cookie
    assert "Expires=" in cookie and "Secure" not in cookie
    assert admin_token not in cookie  # the credential is encrypted, not just signed
    assert client.get("/ui/leaders").status_code == 200


def test_the_cookie_is_secure_over_https(app, admin_token):
    client = app.test_client()
    token = csrf_token(client, "https://localhost/ui/sign-in")
    response = client.post(
        "https://localhost/ui/sign-in",
        data={"csrf_token": token, "credential": admin_token},
        headers={"Referer": "https://localhost/ui/sign-in"},
    )

    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_token_is_refused_with_the_form_again(app):
    client = app.test_client()
    response = client.post(
        "/ui/sign-in", data={"csrf_token": csrf_token(client), "credential": "tl_wrong"}
    )

    assert response.status_code == 401
    assert response.mimetype == "text/html"
    assert "not valid" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/ui/sign-in", "/ui/sign-out"])
def test_a_form_without_its_csrf_token_is_refused(app, admin_token, url):
    client = app.test_client()
    client.get("/ui/sign-in")

    response = client.post(url, data={"credential": admin_token})

    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_the_json_api_needs_no_csrf_token(client):
    assert client.post("/api/v1/teams", json={"name": "T"}).status_code == 201


def test_a_forged_cookie_gets_a_401_page(app, admin_token):
    client = sign_in(app, admin_token)
    cookie = client.get_cookie("throughline_session", path="/ui")
    client.set_cookie("throughline_session", cookie.value[:-3] + "abc", path="/ui")

    response = client.get("/ui/leaders")

    assert response.status_code == 401
    assert "not one this service issued" in response.get_data(as_text=True)


def test_a_credential_not_sealed_by_the_service_is_forged(app):
    other = app.test_client()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = serializer.dumps({"credential": "tl_plain", "until": 2**40})
    other.set_cookie("throughline_session", forged, path="/ui")

    response = other.get("/ui/")

    assert response.status_code == 401


def test_an_expired_session_gets_a_401_page(app, admin_token):
    client = sign_in(app, admin_token)
    with client.session_transaction("/ui/") as session:
        session["until"] = 1

    response = client.get("/ui/")

    assert response.status_code == 401
    assert "expired" in response.get_data(as_text=True)


def test_a_revoked_token_ends_the_session(app, client):
    secret = make_token(app, "viewer")
    browser = sign_in(app, secret)
    token_id = next(t["id"] for t in client.get("/api/v1/tokens").get_json()["items"][::-1])
    client.delete(f"/api/v1/tokens/{token_id}")

    assert browser.get("/ui/").status_code == 401


def test_sign_out_ends_the_session(app, admin_token):
    client = sign_in(app, admin_token)

    response = client.post("/ui/sign-out", data={"csrf_token": csrf_token(client, "/ui/")})

    assert response.status_code == 303
    assert client.get("/ui/").status_code == 303


def test_next_never_leaves_the_explorer(app, admin_token):
    client = app.test_client()
    response = client.post(
        "/ui/sign-in",
        data={
            "csrf_token": csrf_token(client),
            "credential": admin_token,
            "next": "//evil.example/ui/",
        },
    )

    assert response.headers["Location"] == "/ui/"


def test_the_explorer_is_off_without_a_secret_key(make_app):
    other = make_app(secret_key=None)

    response = other.test_client().get("/ui/sign-in")

    assert response.status_code == 503
    assert "THROUGHLINE_SECRET_KEY" in response.get_data(as_text=True)


def test_a_short_secret_key_stops_the_service(database_url):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Config.from_env({"THROUGHLINE_SECRET_KEY": "short"}, database_url=database_url)


def test_failed_sign_ins_are_limited_like_the_api(make_app):
    limited = make_app(auth_failures_per_minute=1)
    client = limited.test_client()

    statuses = [
        client.post(
            "/ui/sign-in", data={"csrf_token": csrf_token(client), "credential": "tl_wrong"}
        ).status_code
        for _ in range(2)
    ]

    assert statuses == [401, 429]


def test_an_empty_secret_key_leaves_the_explorer_off(database_url):
    config = Config.from_env({"THROUGHLINE_SECRET_KEY": ""}, database_url=database_url)

    assert config.secret_key is None


def test_a_portal_jwt_signs_in_as_its_person(make_app, client):
    import time

    import jwt

    person = client.post("/api/v1/people", json={"name": "Ada", "email": "ada@example.com"})
    issuer, audience, secret = "https://id.example", "throughline", "s" * 32
    portal = make_app(jwt_secret=secret, jwt_issuer=issuer, jwt_audience=audience)
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "email": "ada@example.com", "exp": now + 300}
    claims["throughline_role"] = "editor"
    token = jwt.encode({**claims, "iat": now, "nbf": now}, secret, algorithm="HS256")

    browser = sign_in(portal, token)

    text = browser.get("/ui/").get_data(as_text=True)
    assert f"/ui/people/{person.get_json()['id']}" in text and "editor" in text
