"""Migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models import Base, migrate
from models.database import make_engine


def test_database_is_at_the_latest_migration(database_url):
    engine = make_engine(database_url)

    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_migrations_and_models_agree(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()

    assert differences == []


def test_upgrade_is_idempotent(database_url):
    engine = make_engine(database_url)

    migrate.upgrade(engine)
    migrate.upgrade(engine)

    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_readyz_reports_the_migration(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["migration"] == migrate.head_revision()
