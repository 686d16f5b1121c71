"""The explorer under ``/ui/``: server-rendered pages over the same graph, roles and redaction.

Pages sign in with a session cookie (see ``sessions``), every form carries a CSRF token
(Flask-WTF; the JSON API is left alone), and every error under ``/ui`` is rendered as a
readable HTML page with the status the API would have answered.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFProtect

from service.auth.middleware import signs_in_by_session
from service.errors import PROBLEM_MIMETYPE
from service.ui import sessions

PREFIX = "/ui"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Pages anyone may open, signed in or not.
OPEN_ENDPOINTS = frozenset({"ui.sign_in", "ui.sign_in_post", "ui.sign_out", "ui.static"})

bp = Blueprint(
    "ui",
    __name__,
    url_prefix=PREFIX,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
csrf = CSRFProtect()


@bp.before_request
def _require_sign_in():
    if request.endpoint == "ui.static":
        return None
    if not current_app.config["THROUGHLINE"].secret_key:
        abort(503, description="The explorer is off: set THROUGHLINE_SECRET_KEY to turn it on.")
    if request.method == "POST":
        csrf.protect()
    principal = sessions.signed_in()
    if principal is not None:
        g.principal = principal
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    refused = g.get("session_refused")
    if refused is not None:
        detail = (
            "Your session has expired or its token is no longer valid; sign in again."
            if refused == "expired"
            else "Your session cookie is not one this service issued; sign in again."
        )
        abort(401, description=detail)
    return redirect(url_for("ui.sign_in", next=request.full_path.rstrip("?")), 303)


def _under_prefix() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _page_headers(response: Response) -> Response:
    """Security headers of every explorer answer; HTML errors in place of problem documents."""
    if not _under_prefix():
        return response
    if response.mimetype == PROBLEM_MIMETYPE:
        response = _error_page(response)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "ui.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(problem: Response) -> Response:
    try:
        body = json.loads(problem.get_data(as_text=True))
    except ValueError:
        body = {}
    status = problem.status_code
    page = render_template(
        "ui/error.html",
        status=status,
        title=body.get("title") or "Error",
        detail=body.get("detail") or "",
        errors=body.get("errors") or {},
    )
    response = Response(page, status=status, mimetype="text/html")
    for name in ("Retry-After", "Allow", "X-Request-ID"):
        if name in problem.headers:
            response.headers[name] = problem.headers[name]
    return response


def init_app(app: Flask) -> None:
    """Serve the explorer under ``/ui/`` from ``app``."""
    from service.ui import findings, pages, signin  # noqa: F401  (their routes join ``bp``)

    sessions.init_app(app)
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None)
    csrf.init_app(app)
    signs_in_by_session(app, PREFIX)
    app.register_blueprint(bp)
    app.after_request(_page_headers)
    from service.ui import display

    display.init_app(app)
