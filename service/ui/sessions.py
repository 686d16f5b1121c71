"""Explorer sign-in: a pasted API token or JWT kept, encrypted, in a session cookie.

The cookie is signed (Flask's session, keyed by ``THROUGHLINE_SECRET_KEY``) and the
credential inside it is encrypted as well (Fernet, with a key derived from the same
secret), so the cookie neither reveals the token nor can be forged. Every request turns
the credential back into a principal through the API's own lookup, so a revoked token,
an expired JWT or a changed team takes effect on the next page, exactly as in the API.
"""

from __future__ import annotations

import base64
import hashlib
import time

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired

from service.auth.middleware import principal_for
from service.auth.principal import Principal

COOKIE_NAME = "throughline_session"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, telling a forged or expired cookie from none at all."""

    def get_cookie_secure(self, app: Flask) -> bool:
        # Secure whenever the request came over HTTPS (through the trusted proxies too).
        return request.is_secure or super().get_cookie_secure(app)

    def open_session(self, app: Flask, incoming):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = incoming.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds())
            )
        except SignatureExpired:
            g.session_refused = "expired"
            return self.session_class()
        except BadSignature:
            g.session_refused = "forged"
            return self.session_class()
        return self.session_class(data)


def _fernet() -> Fernet:
    secret = current_app.config["THROUGHLINE"].secret_key.encode()
    key = hashlib.sha256(b"throughline explorer credential\0" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def sign_in(credential: str) -> Principal | None:
    """Start a session for ``credential`` when it names a caller; None when it does not."""
    principal = principal_for(credential)
    if principal is None:
        return None
    minutes = current_app.config["THROUGHLINE"].session_minutes
    session.clear()
    session.permanent = True
    session["credential"] = _fernet().encrypt(credential.encode()).decode()
    session["until"] = int(time.time()) + minutes * 60
    return principal


def sign_out() -> None:
    session.clear()


def signed_in() -> Principal | None:
    """The caller of this session, or None (``g.session_refused`` then says why, if known)."""
    sealed = session.get("credential")
    if not isinstance(sealed, str):
        return None
    until = session.get("until")
    if not isinstance(until, int) or until <= time.time():
        g.session_refused = "expired"
        session.clear()
        return None
    try:
        credential = _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, UnicodeDecodeError):
        g.session_refused = "forged"
        session.clear()
        return None
    principal = principal_for(credential)
    if principal is None:  # revoked, expired or no longer valid
        g.session_refused = "expired"
        session.clear()
    return principal


def init_app(app: Flask) -> None:
    config = app.config["THROUGHLINE"]
    app.session_interface = SessionInterface()
    app.secret_key = config.secret_key
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH="/ui",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=config.session_minutes * 60,
        SESSION_REFRESH_EACH_REQUEST=False,
    )
