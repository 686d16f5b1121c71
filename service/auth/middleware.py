"""Every request but the probes, metrics and the OpenAPI document must authenticate."""

from __future__ import annotations

import hashlib
import logging
import time

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


def signs_in_by_session(app: Flask, prefix: str) -> None:
    """Leave the paths under ``prefix`` to a session sign-in of their own (the explorer)."""
    app.extensions.setdefault("session_prefixes", set()).add(prefix)


def signed_in_by_session() -> bool:
    """This request is for pages that sign in with a session (and send forms, not JSON)."""
    prefixes = current_app.extensions.get("session_prefixes", ())
    return any(request.path == p or request.path.startswith(p + "/") for p in prefixes)


def _authenticate():
    if request.method == "OPTIONS" or request.path in OPEN_PATHS or signed_in_by_session():
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.partition(" ")
    principal = None
    if scheme.lower() == "bearer" and credential.strip():
        principal = principal_for(credential.strip())
    if principal is not None:
        g.principal = principal
        return None
    return _refuse(presented=bool(header))


def principal_for(credential: str) -> Principal | None:
    """The caller behind a credential, remembered until the next security change.

    Every write to tokens, people or teams (a revoked token, a changed team) moves the
    security revision, so a principal found at the current one is still exact. Both
    revisions come in one read, and the data revision is reused by the graph cache, so an
    authenticated read costs one query in all.
    """
    g.revision, security = database().revisions()
    cache = current_app.extensions.setdefault("principals", {})
    key = hashlib.sha256(credential.encode()).digest()
    cached = cache.get(key)
    if cached is not None and cached[0] == security and cached[1] > time.time():
        return cached[2]
    principal, valid_until = _look_up(credential)
    if len(cache) >= 10_000:
        cache.clear()
    cache[key] = (security, valid_until, principal)
    return principal


def _look_up(credential: str) -> tuple[Principal | None, float]:
    """The principal and until when it holds (expiry), from the database or the JWT."""
    config = current_app.config["THROUGHLINE"]
    if looks_like_jwt(credential):
        try:
            verified = claims(config, credential)
        except InvalidCredentials as error:
            log.info("JWT refused: %s", error)
            return None, 0.0
        return _jwt_principal(config, verified), float(verified["exp"])
    token = token_for(session(), credential)
    if token is None:
        return None, 0.0
    valid_until = token.expires_at.timestamp() if token.expires_at else float("inf")
    if token.person_id is not None:
        return Principal(
            token.role, f"person:{token.person_id}", token.person_id, _team_ids(token.person_id)
        ), valid_until
    return Principal(token.role, f"token:{token.id}"), valid_until


def _jwt_principal(config, verified: dict) -> Principal | None:
    role = verified.get(config.jwt_role_claim, "viewer")
    if not isinstance(role, str) or role not in ROLE_RANK:  # a list or object is no role
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


def failure_limit_reached() -> bool:
    """Record a failed authentication from the client's address; True past the limit."""
    config = current_app.config["THROUGHLINE"]
    address = request.remote_addr or "unknown"
    with database().sessionmaker() as own:
        count = ratelimit.record_failure(own, address)
    return count > config.auth_failures_per_minute


def _refuse(presented: bool):
    if failure_limit_reached():
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
