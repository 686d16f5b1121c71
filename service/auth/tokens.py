"""API tokens: random, shown once, stored as a SHA-256, with a role, expiry and revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiToken, Person
from models.base import utcnow
from service.auth.policy import require_admin
from service.domain.changes import Changes, snapshot
from service.domain.common import get_or_404, page, require_existing

TOKEN_PREFIX = "tl_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    changes: Changes,
    role: str,
    person_id: int | None = None,
    expires_in_days: int | None = None,
    name: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret (the only time the secret exists outside the caller)."""
    require_admin(changes.principal, "create tokens")
    changes.begin()
    session = changes.session
    require_existing(session, [("person_id", Person, person_id)])
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        role=role,
        person_id=person_id,
        expires_at=utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
        created_by=changes.actor,
    )
    session.add(token)
    session.flush()
    changes.record("create", "token", token.id, None, _image(token))
    return token, secret


def list_tokens(session: Session, principal, args: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal, "list tokens")
    return page(session, select(ApiToken).order_by(ApiToken.id), args["limit"], args["offset"])


def revoke_token(changes: Changes, token_id: int) -> None:
    require_admin(changes.principal, "revoke tokens")
    changes.begin()
    token = get_or_404(changes.session, ApiToken, token_id)
    if token.revoked_at is None:
        before = _image(token)
        token.revoked_at = utcnow()
        changes.session.flush()
        changes.record("revoke", "token", token.id, before, _image(token))


def token_for(session: Session, secret: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown, revoked or expired)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= utcnow():
        return None
    return token


def _image(token: ApiToken) -> dict[str, Any]:
    image = snapshot(token)
    image.pop("token_hash", None)  # the audit trail never holds anything that authenticates
    return image
