"""Alembic environment: runs with the connection handed over by models.migrate."""

from alembic import context

from models import Base

config = context.config


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    from models.database import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as own_connection:
        run_migrations(own_connection)
else:
    run_migrations(connection)
