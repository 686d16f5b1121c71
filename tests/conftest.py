"""Fixtures shared by every test: one database per run (SQLite or PostgreSQL), an app per test.

Choose the database with ``THROUGHLINE_TEST_DATABASE_URL``; unset means a SQLite file. For
PostgreSQL the URL names a server and a database to connect to; the run creates a database
of its own beside it and drops it at the end, so runs never see each other's data.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from sqlalchemy import create_engine, delete, text, update
from sqlalchemy.engine import make_url

from models import Base, GraphState, migrate
from models.database import make_engine
from service import create_app
from service.auth.principal import Principal
from service.auth.tokens import create_token
from service.config import Config
from service.db import session
from service.domain.changes import Changes
from service.openapi import spec_dict
from tests.contract import ResponseContract, watch

DATABASE_ENV = "THROUGHLINE_TEST_DATABASE_URL"

# The suite starts the CLI and gunicorn workers hundreds of times. Each compiles the
# project's modules once and keeps the bytecode, as an installed package does, even in a
# shell that turns bytecode off: there, each start compiled them again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


def pytest_report_header(config):
    url = os.environ.get(DATABASE_ENV)
    backend = make_url(url).get_backend_name() if url else "sqlite"
    return f"throughline test database: {backend}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get(DATABASE_ENV)
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'throughline.db'}"
        migrate.upgrade(make_engine(url))
        yield url
        return
    server = make_url(url)
    name = f"throughline_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    own = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(own)
    migrate.upgrade(engine)
    engine.dispose()
    yield own
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def is_postgresql(database_url) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def _empty(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "graph_state":
                connection.execute(delete(table))
        connection.execute(update(GraphState).values(revision=GraphState.revision + 1))
    engine.dispose()


SECRET_KEY = "a test secret key of at least thirty-two characters"


@pytest.fixture
def config(database_url) -> Config:
    return Config(database_url=database_url, migrate_on_start=False, secret_key=SECRET_KEY)


@pytest.fixture(scope="session")
def contract() -> ResponseContract:
    """The OpenAPI document the code generates (the committed one, by the drift test)."""
    return ResponseContract(spec_dict(create_app(Config(migrate_on_start=False))))


@pytest.fixture
def broken_answers(contract):
    """Every way the test's answers broke the document; the test fails if there is any."""
    broken: list[str] = []
    yield broken
    assert not broken, "answers that break the OpenAPI document:\n" + "\n".join(broken[:20])


@pytest.fixture
def app(config, database_url, contract, broken_answers):
    app = create_app(config)
    app.config["TESTING"] = True
    watch(app, contract, broken_answers)
    yield app
    app.extensions["database"].dispose()
    _empty(database_url)


def make_token(app, role: str = "admin", person_id: int | None = None) -> str:
    """A fresh API token's secret, made the way ``throughline tokens create`` makes one."""
    with app.app_context():
        changes = Changes(session(), Principal.system("tests"))
        _token, secret = create_token(changes, role, person_id)
        session().commit()
    return secret


def client_as(app, secret: str | None):
    """A test client sending this bearer token (none when ``secret`` is None)."""
    client = app.test_client()
    if secret:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


@pytest.fixture
def admin_token(app) -> str:
    return make_token(app)


@pytest.fixture
def client(app, admin_token):
    """A client acting as an admin (with an admin API token)."""
    return client_as(app, admin_token)


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_app(app, database_url, contract, broken_answers):
    """Build more apps on the test database with other settings (cleaned up with ``app``)."""
    made = []

    def make(**overrides):
        settings = {
            "database_url": database_url,
            "migrate_on_start": False,
            "secret_key": SECRET_KEY,
            **overrides,
        }
        other = create_app(Config(**settings))
        other.config["TESTING"] = True
        watch(other, contract, broken_answers)
        made.append(other)
        return other

    yield make
    for other in made:
        other.extensions["database"].dispose()
