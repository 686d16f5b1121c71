"""Every request but the probes, metrics and the OpenAPI document must authenticate."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request
from sqlalchemy import select

from models import Person, person_teams
from service.auth import ratelimit
from service.auth.jwt import InvalidCredentials, claims, looks_like_jwt
from service.auth.principal import ROLE_RANK, Principal
from service.auth.tokens import token_for
from service.db import database, session
from service.errors import problem

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"})
REALM = 'Bearer realm="throughline"'


def current_principal() -> Principal:
    """The authenticated caller of this request (the service itself outside requests)."""
    principal = g.get("principal")
    if principal is None:
        principal = Principal.system(current_app.config["THROUGHLINE"].system_actor)
    return principal


def _authenticate():
    if request.method == "OPTIONS" or request.path in OPEN_PATHS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.partition(" ")
    principal = None
    if scheme.lower() == "bearer" and credential.strip():
        principal = _principal_for(credential.strip())
    if principal is not None:
        g.principal = principal
        return None
    return _refuse(presented=bool(header))


def _principal_for(credential: str) -> Principal | None:
    config = current_app.config["THROUGHLINE"]
    if looks_like_jwt(credential):
        try:
            verified = claims(config, credential)
        except InvalidCredentials as error:
            log.info("JWT refused: %s", error)
            return None
        return _jwt_principal(config, verified)
    token = token_for(session(), credential)
    if token is None:
        return None
    if token.person_id is not None:
        return Principal(
            token.role, f"person:{token.person_id}", token.person_id, _team_ids(token.person_id)
        )
    return Principal(token.role, f"token:{token.id}")


def _jwt_principal(config, verified: dict) -> Principal | None:
    role = verified.get(config.jwt_role_claim, "viewer")
    if role not in ROLE_RANK:
        return None
    person = _person_named(verified.get(config.jwt_person_claim))
    if person is None:
        return Principal(role, f"jwt:{str(verified.get('sub', 'unknown'))[:100]}")
    return Principal(role, f"person:{person.id}", person.id, _team_ids(person.id))


def _person_named(value) -> Person | None:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = str(value)[:320]
    if "@" in text:
        condition = Person.email == text
    elif text.isdigit() and len(text) < 16:
        condition = Person.id == int(text)
    else:
        condition = Person.ref == text
    return session().scalars(select(Person).where(condition).limit(1)).first()


def _team_ids(person_id: int) -> frozenset[int]:
    rows = session().scalars(
        select(person_teams.c.team_id).where(person_teams.c.person_id == person_id)
    )
    return frozenset(rows)


def _refuse(presented: bool):
    config = current_app.config["THROUGHLINE"]
    address = request.remote_addr or "unknown"
    with database().sessionmaker() as own:
        count = ratelimit.record_failure(own, address)
    if count > config.auth_failures_per_minute:
        return problem(
            429,
            "too_many_requests",
            "Too many failed authentications from this address; wait before trying again.",
            headers={"Retry-After": str(ratelimit.retry_after())},
        )
    challenge = REALM + (', error="invalid_token"' if presented else "")
    return problem(
        401,
        "unauthorized",
        "Send a valid bearer token (an API token or a JWT).",
        headers={"WWW-Authenticate": challenge},
    )


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
