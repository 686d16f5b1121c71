"""JWTs from the company's identity provider, verified offline with a configured key."""

from __future__ import annotations

from typing import Any

import jwt

from service.config import Config


class InvalidCredentials(Exception):
    """The credentials cannot be trusted; callers learn nothing more than that."""


def looks_like_jwt(credential: str) -> bool:
    return credential.count(".") == 2 and credential.startswith("eyJ")


def claims(config: Config, credential: str) -> dict[str, Any]:
    """The verified claims: signature, ``exp``, ``nbf``, issuer and audience all checked."""
    key = config.jwt_key
    if not key:
        raise InvalidCredentials("JWTs are not configured")
    try:
        return jwt.decode(
            credential,
            key,
            algorithms=config.jwt_accepted_algorithms,
            audience=config.jwt_audience,
            issuer=config.jwt_issuer,
            options={"require": ["exp", "iss", "aud"]},
            leeway=30,
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidCredentials(str(error)) from None
