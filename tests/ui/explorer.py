"""Signing a test client in to the explorer, as a browser would."""

from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/ui/sign-in") -> str:
    """The CSRF token of the form on ``url``."""
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def sign_in(app, secret: str, **client_options):
    """A test client with an explorer session for the API token ``secret``."""
    client = app.test_client(**client_options)
    response = client.post(
        "/ui/sign-in", data={"csrf_token": csrf_token(client), "credential": secret}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
