"""Schema migrations on both engines: they build what the models say, and upgrade in place."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.runtime import build_runtime, initialise_database
from kiosk.storage.engine import create_engine
from kiosk.storage.migrate import BASELINE, current_revision, head_revision, upgrade_database
from kiosk.storage.models import SCHEMA_REVISION, Account, Base
from tests.support.installation import FAST_HASH, TEST_SECRET_KEY, installation_settings
from tests.support.pg_cluster import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count(1)


@pytest.fixture
def empty_database_url(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database without any table, on the engine of the test."""
    if database == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"kiosk_empty_{os.getpid()}_{next(_names)}"
    url = server.create_database(name)
    yield url
    server.drop_database(name)


@pytest.fixture
async def empty_engine(empty_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_database_url)
    yield engine
    await engine.dispose()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def differences(engine: AsyncEngine) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models."""
    async with engine.connect() as connection:
        return await connection.run_sync(_differences)


async def insert_first_release_rows(engine: AsyncEngine) -> None:
    """A subscriber and an active account, written as the first release wrote them."""
    created = datetime(2026, 1, 5, 8, 30)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO operators (code, name, served_here, phone, website) "
                "VALUES ('EDM', 'Eaux de Marseille', true, '', '')"
            )
        )
        commune_id = (
            await connection.execute(
                text(
                    "INSERT INTO communes (name, search_key, territory, operator_code) "
                    "VALUES ('Velaux', 'velaux', '', 'EDM') RETURNING id"
                )
            )
        ).scalar_one()
        await connection.execute(
            text(
                "INSERT INTO subscribers (contract, meter, commune_id, holder) "
                "VALUES ('1234567', 'A12B345678', :commune, 'DUPONT Marie')"
            ),
            {"commune": commune_id},
        )
        await connection.execute(
            text(
                "INSERT INTO accounts (contract, email, email_key, first_name, last_name, "
                "password_hash, status, created_at, failed_signins) VALUES ('1234567', "
                "'marie@example.fr', 'marie@example.fr', 'Marie', 'Dupont', 'hash', 'active', "
                ":created, 0)"
            ),
            {"created": created},
        )


async def first_release_account(engine: AsyncEngine) -> tuple[Any, ...]:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(Account.contract, Account.email, Account.status, Account.created_at)
            )
        ).one()
        return tuple(row)


def _index_names(connection: Connection, table: str) -> set[str]:
    return {str(index["name"]) for index in inspect(connection).get_indexes(table)}


async def index_names(engine: AsyncEngine, table: str) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(_index_names, table)


async def initialise(url: str, data_dir: Path) -> None:
    """What ``kiosk init-db`` does, on ``url``."""
    settings = dataclasses.replace(installation_settings(data_dir, url), demo_data=False)
    runtime = build_runtime(settings, hash_parameters=FAST_HASH)
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()


def test_the_models_name_the_newest_migration() -> None:
    """``kiosk status`` reads the newest revision from the models, without loading Alembic."""
    assert head_revision() == SCHEMA_REVISION


async def test_the_migrations_build_what_the_models_describe(empty_engine: AsyncEngine) -> None:
    assert await current_revision(empty_engine) is None
    await upgrade_database(empty_engine)
    assert await current_revision(empty_engine) == head_revision()
    assert await differences(empty_engine) == []
    await upgrade_database(empty_engine)  # again: nothing to do, nothing broken
    assert await current_revision(empty_engine) == head_revision()


async def test_the_first_schema_is_upgraded_in_place_and_keeps_its_rows(
    empty_engine: AsyncEngine, empty_database_url: str, tmp_path: Path
) -> None:
    await upgrade_database(empty_engine, BASELINE)
    assert await current_revision(empty_engine) == BASELINE
    assert "ix_sessions_account_id" not in await index_names(empty_engine, "sessions")
    await insert_first_release_rows(empty_engine)

    await initialise(empty_database_url, tmp_path / "data")

    assert await current_revision(empty_engine) == head_revision()
    assert "ix_sessions_account_id" in await index_names(empty_engine, "sessions")
    contract, email, status, created_at = await first_release_account(empty_engine)
    assert (contract, email, status) == ("1234567", "marie@example.fr", "active")
    assert created_at == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert await differences(empty_engine) == []


async def test_a_database_made_before_migrations_existed_is_adopted(
    empty_engine: AsyncEngine, empty_database_url: str, tmp_path: Path
) -> None:
    """The first release made its tables with create_all and kept no revision."""
    await upgrade_database(empty_engine, BASELINE)
    async with empty_engine.begin() as connection:
        await connection.execute(text("DROP TABLE alembic_version"))
    await insert_first_release_rows(empty_engine)
    assert await current_revision(empty_engine) is None

    await initialise(empty_database_url, tmp_path / "data")

    assert await current_revision(empty_engine) == head_revision()
    assert (await first_release_account(empty_engine))[:3] == (
        "1234567",
        "marie@example.fr",
        "active",
    )
    assert await differences(empty_engine) == []


async def test_kiosks_starting_together_migrate_one_empty_database_once(
    empty_engine: AsyncEngine, empty_database_url: str, tmp_path: Path
) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATABASE_URL": empty_database_url,
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
    }

    def kiosk(number: int, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *command],
            cwd=ROOT,
            env={**env, "KIOSK_DATA_DIR": str(tmp_path / f"kiosk-{number}")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    results = await asyncio.gather(*(asyncio.to_thread(kiosk, n, "init-db") for n in range(3)))
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr[-2000:] for r in results]
    assert all("database ready" in r.stdout for r in results)
    # A configured database gets the demo data only by the command and its --force (the
    # setting demo_data = true is refused there): three at once load it once.
    loads = [asyncio.to_thread(kiosk, n, "demo-data", "--force") for n in range(3)]
    results = await asyncio.gather(*loads)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr[-2000:] for r in results]
    assert await current_revision(empty_engine) == head_revision()
    assert await differences(empty_engine) == []
    async with empty_engine.connect() as connection:
        subscribers = await connection.scalar(text("SELECT COUNT(*) FROM subscribers"))
        assert subscribers == 8  # the demo data, loaded once whoever loaded it
