"""Alembic environment: the models' metadata, batch mode on SQLite, URL from config or env."""

from __future__ import annotations

import os

from alembic import context

from rba.models import Base
from rba.store.db import make_engine

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    configured = config.get_main_option("sqlalchemy.url")
    from_file = config.config_file_name is not None
    # Run by hand with alembic.ini, the environment wins over the file's fallback URL.
    if from_file and os.environ.get("RBA_DATABASE_URL"):
        return os.environ["RBA_DATABASE_URL"]
    return configured or "sqlite:///rba.db"


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table by copy, drop and rename; with foreign keys on, the
        # drop would fire ON DELETE actions on the rows that point at it and lose data.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        # ...and its rename would be refused while a view (the published view, 0009) names
        # the table dropped a moment before; the old rename checks no view.
        connection.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
