"""The imports' bulk unit of work: on SQLite it turns the per-row foreign-key check off for
its batch, and every connection it used checks references again once returned; on both
engines an ordinary unit of work still refuses a subscriber of no commune afterwards."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import QueuePool

from kiosk.runtime import Runtime
from kiosk.storage.repositories.reference_data import BatchRefused

HEADER = "contract,meter,commune,holder\n"


async def test_references_are_checked_again_after_an_import(runtime: Runtime) -> None:
    rows = "".join(f"{9_100_000 + i},M{i:07d},Velaux,H\n" for i in range(50))
    report = await runtime.imports.import_subscribers(io.StringIO(HEADER + rows))
    assert report.written == 50
    if runtime.engine.dialect.name == "sqlite":
        await every_pooled_connection_checks_references(runtime)
    # And a unit of work that is not a bulk one refuses a subscriber of no commune.
    with pytest.raises(BatchRefused):
        async with runtime.services.context.unit_of_work() as uow:
            await uow.reference_data.write_subscribers([("9199999", "M9199999", 999_999, "H")])


async def every_pooled_connection_checks_references(runtime: Runtime) -> None:
    """SQLite's pragma is back on every connection the pool holds (PostgreSQL has none: it
    checks every reference of every transaction)."""
    pool = runtime.engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    held: list[AsyncConnection] = []
    try:
        for _ in range(max(1, pool.checkedin())):
            held.append(await runtime.engine.connect())
        for connection in held:
            assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        for connection in held:
            await connection.close()
