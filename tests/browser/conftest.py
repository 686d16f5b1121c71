"""One real server and one Chromium for the browser tests of the explorer.

Debian's Chromium is driven by Playwright (its own browser download is not used). Without
Chromium the tests skip, naming the command that installs it; with ``CI`` set they fail
instead, so a pipeline cannot pass without running them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service import create_app
from service.config import Config
from tests.conftest import SECRET_KEY, _empty
from tests.live import LiveServer

INSTALL = "apt-get update && apt-get install -y chromium"
SCREENSHOTS = Path(__file__).with_name("screenshots")


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = f"Chromium is not installed; install it with `{INSTALL}` (as root)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(database_url):
    """``throughline serve`` on the test database, with the explorer on."""
    _chromium()
    env = {"THROUGHLINE_SECRET_KEY": SECRET_KEY, "THROUGHLINE_MIGRATE_ON_START": "false"}
    with LiveServer(database_url, workers=1, env=env) as live:
        yield live
    _empty(database_url)


@pytest.fixture(scope="module")
def tokens(database_url):
    """Make API tokens the way ``throughline tokens create`` does."""
    from tests.conftest import make_token

    app = create_app(Config(database_url=database_url, migrate_on_start=False))
    yield lambda role="admin", person_id=None: make_token(app, role, person_id)
    app.extensions["database"].dispose()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
