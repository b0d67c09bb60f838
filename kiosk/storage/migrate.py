"""Schema migrations: the Alembic revisions in ``kiosk/storage/migrations``, applied in place."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.storage.models import Operator

MIGRATIONS = Path(__file__).with_name("migrations")
"""The Alembic script folder, inside the package so that a wheel carries it."""

BASELINE = "0001"
"""The revision equal to the schema that ``create_all`` made before migrations existed."""

MIGRATION_LOCK = 0x6B696F736B
"""PostgreSQL advisory lock taken while migrating: kiosks starting together migrate one by one."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration without an ini file; ``connection`` is the one to migrate."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        # Held until the transaction ends; SQLite's BEGIN IMMEDIATE already serialises.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    tables = set(inspect(connection).get_table_names())
    config = alembic_config(connection)
    if "alembic_version" not in tables and "operators" in tables:
        # Created by create_all before migrations existed: that schema is the baseline.
        command.stamp(config, BASELINE)
    command.upgrade(config, revision)


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction (idempotent).

    A database without tables gets every migration; one made by the previous ``create_all``
    is stamped with the baseline first; one already at ``revision`` is left alone.
    """
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def has_operators(engine: AsyncEngine) -> bool:
    """Whether any operator was imported (a database without one gets the demo data)."""
    async with engine.connect() as connection:
        return bool(await connection.scalar(select(func.count()).select_from(Operator)))
