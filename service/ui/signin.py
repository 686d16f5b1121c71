"""Signing in with a pasted token or JWT, and signing out."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from service.auth.middleware import failure_limit_reached
from service.ui import bp, sessions

MAX_CREDENTIAL = 8192


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of the explorer, never another site."""
    if target and target.startswith("/ui/") and not target.startswith("/ui//"):
        return target
    return url_for("ui.home")


@bp.get("/sign-in")
def sign_in():
    """The sign-in form."""
    return render_template("ui/sign_in.html", next=request.args.get("next", ""))


@bp.post("/sign-in")
def sign_in_post():
    """Start a session for the pasted credential."""
    credential = request.form.get("credential", "").strip()
    target = request.form.get("next", "")
    if not credential or len(credential) > MAX_CREDENTIAL:
        return _refused("Paste an API token (tl_...) or a JWT.", target, 422)
    if sessions.sign_in(credential) is None:
        if failure_limit_reached():
            abort(429, description="Too many failed sign-ins from this address; wait a minute.")
        return _refused("That token is not valid, has expired or was revoked.", target, 401)
    return redirect(_safe_next(target), 303)


def _refused(message: str, target: str, status: int):
    g.principal = None
    page = render_template("ui/sign_in.html", next=target, error=message)
    return page, status


@bp.post("/sign-out")
def sign_out():
    """End the session."""
    sessions.sign_out()
    return redirect(url_for("ui.sign_in", signed_out=1), 303)
