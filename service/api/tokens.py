"""``/api/v1/tokens``: API tokens for portals and scripts (admins only)."""

from __future__ import annotations

from flask.views import MethodView

from service.api.base import Blueprint, changes
from service.auth import tokens
from service.auth.middleware import current_principal
from service.db import session
from service.schemas.common import PageArgs
from service.schemas.tokens import NewTokenSchema, TokenCreateSchema, TokenPageSchema

blp = Blueprint(
    "tokens", __name__, url_prefix="/api/v1/tokens", description="API tokens (admins only)."
)


@blp.route("")
class Tokens(MethodView):
    @blp.operation("listTokens")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, TokenPageSchema)
    @blp.errors(403)
    def get(self, args):
        """List tokens (never their secrets)."""
        return tokens.list_tokens(session(), current_principal(), args)

    @blp.operation("createToken")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, NewTokenSchema)
    @blp.errors(403, 415)
    def post(self, data):
        """Create a token; its secret is in this answer and nowhere else, ever."""
        token, secret = tokens.create_token(changes(), **data)
        token.token = secret
        return token


@blp.route("/<int:token_id>")
class TokenById(MethodView):
    @blp.operation("revokeToken")
    @blp.response(204)
    @blp.errors(403, 404)
    def delete(self, token_id):
        """Revoke a token: it stops working at once."""
        tokens.revoke_token(changes(), token_id)
