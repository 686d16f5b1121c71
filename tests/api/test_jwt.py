"""JWTs from the identity provider: verified offline; anything doubtful is a 401."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests import factories as f
from tests.conftest import client_as

ISSUER, AUDIENCE, SECRET = "https://id.example", "throughline", "s" * 32


def _pem(public_key) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def person(client):
    return f.person(client, "Ada", email="ada@example.com")


def _claims(**overrides):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-1",
        "email": "ada@example.com",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


@pytest.fixture
def hs_app(make_app):
    return make_app(jwt_secret=SECRET, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)


@pytest.fixture
def rs_app(make_app, rsa_key):
    return make_app(
        jwt_public_key=_pem(rsa_key.public_key()), jwt_issuer=ISSUER, jwt_audience=AUDIENCE
    )


def _get(app, token):
    return client_as(app, token).get("/api/v1/nodes")


def test_valid_hs256_token_is_accepted_as_its_person(hs_app, client, person):
    token = jwt.encode(_claims(throughline_role="editor"), SECRET, algorithm="HS256")

    created = client_as(hs_app, token).post("/api/v1/nodes", json={"kind": "work", "title": "t"})

    assert created.status_code == 201
    assert created.get_json()["owner_id"] == person["id"]


def test_valid_rs256_token_is_accepted(rs_app, rsa_key, person):
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256")

    assert _get(rs_app, token).status_code == 200


def test_valid_es256_token_is_accepted(make_app, person):
    key = ec.generate_private_key(ec.SECP256R1())
    app = make_app(jwt_public_key=_pem(key.public_key()), jwt_issuer=ISSUER, jwt_audience=AUDIENCE)

    assert _get(app, jwt.encode(_claims(), key, algorithm="ES256")).status_code == 200


def test_a_viewer_token_cannot_write(hs_app, person):
    token = jwt.encode(_claims(), SECRET, algorithm="HS256")

    response = client_as(hs_app, token).post("/api/v1/nodes", json={"kind": "work", "title": "t"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    "claims",
    [
        _claims(exp=int(time.time()) - 120),
        _claims(nbf=int(time.time()) + 600),
        _claims(iss="https://elsewhere.example"),
        _claims(aud="another-service"),
        _claims(exp=None),
        _claims(throughline_role="owner"),
        _claims(throughline_role=["admin"]),
        _claims(throughline_role={"admin": True}),
    ],
    ids=[
        "expired",
        "not-yet-valid",
        "wrong-issuer",
        "wrong-audience",
        "no-expiry",
        "bad-role",
        "role-list",
        "role-object",
    ],
)
def test_doubtful_claims_are_refused(hs_app, person, claims):
    response = _get(hs_app, jwt.encode(claims, SECRET, algorithm="HS256"))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_key_is_refused(hs_app, person):
    assert _get(hs_app, jwt.encode(_claims(), "x" * 32, algorithm="HS256")).status_code == 401


def test_alg_none_is_refused(hs_app, person):
    token = jwt.encode(_claims(), None, algorithm="none")

    assert _get(hs_app, token).status_code == 401


def test_tampered_payload_is_refused(hs_app, person):
    header, payload, signature = jwt.encode(_claims(), SECRET, algorithm="HS256").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["throughline_role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")

    assert _get(hs_app, f"{header}.{forged}.{signature}").status_code == 401


def test_hs256_token_signed_with_the_public_key_is_refused(rs_app, rsa_key, person):
    # Key confusion: an HS256 signature made with the (public) RS256 key must not pass.
    public_pem = _pem(rsa_key.public_key())
    header = _b64(b'{"alg":"HS256","typ":"JWT"}')
    body = _b64(json.dumps(_claims()).encode())
    mac = hmac.new(public_pem.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()

    assert _get(rs_app, f"{header}.{body}.{_b64(mac)}").status_code == 401


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_jwts_are_refused_when_not_configured(app, person):
    assert _get(app, jwt.encode(_claims(), SECRET, algorithm="HS256")).status_code == 401


def test_unknown_person_gets_only_what_everyone_sees(hs_app, client):
    token = jwt.encode(_claims(email="nobody@example.com"), SECRET, algorithm="HS256")

    assert _get(hs_app, token).status_code == 200
