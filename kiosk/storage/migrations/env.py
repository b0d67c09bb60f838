"""Alembic environment: migrate the connection handed over by ``kiosk.storage.migrate``.

Run by ``kiosk init-db`` (and every start) through :func:`kiosk.storage.migrate.upgrade_database`;
the ``alembic`` command line also works for writing new revisions (see ``alembic.ini`` here),
on the database that the kiosk configuration names.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from kiosk.storage.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it: Alembic's batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_on_configured_database() -> None:
    from kiosk.config import load_settings
    from kiosk.storage.engine import create_engine

    engine = create_engine(load_settings().resolved_database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them on a database")
given = context.config.attributes.get("connection")
if isinstance(given, Connection):
    run_migrations(given)
else:
    asyncio.run(_run_on_configured_database())
