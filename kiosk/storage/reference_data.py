"""Bulk writes of the imported reference data: operators, communes and subscribers.

Every statement of the CSV imports (:mod:`kiosk.imports` parses and checks the rows). A batch
is one transaction: written whole or not at all. On SQLite the rows go straight to the driver:
a million rows spend a second in SQLAlchemy's layers.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.storage.models import Commune, Operator, Subscriber


class BatchRefused(Exception):
    """The database refused a batch (a constraint, a lock held too long); nothing of it is
    written. The driver's error is the cause."""


def _placeholders(engine: AsyncEngine, count: int) -> str:
    if engine.dialect.paramstyle == "qmark":
        return ", ".join("?" * count)
    if engine.dialect.paramstyle == "numeric_dollar":
        return ", ".join(f"${i}" for i in range(1, count + 1))
    return ", ".join(["%s"] * count)


def _on_conflict(key: str, columns: tuple[str, ...], keep_existing: bool) -> str:
    """The ``ON CONFLICT`` clause: update the row (a newer extract) or leave it (demo data)."""
    if keep_existing:
        return f"ON CONFLICT ({key}) DO NOTHING"
    return f"ON CONFLICT ({key}) DO UPDATE SET " + ", ".join(
        f"{column} = excluded.{column}" for column in columns
    )


def _operators_sql(engine: AsyncEngine, keep_existing: bool) -> str:
    return (
        "INSERT INTO operators (code, name, served_here, phone, website) "
        f"VALUES ({_placeholders(engine, 5)}) "
        + _on_conflict("code", ("name", "served_here", "phone", "website"), keep_existing)
    )


def _communes_sql(engine: AsyncEngine, keep_existing: bool) -> str:
    return (
        "INSERT INTO communes (name, search_key, territory, operator_code) "
        f"VALUES ({_placeholders(engine, 4)}) "
        + _on_conflict("name", ("search_key", "territory", "operator_code"), keep_existing)
    )


def _subscribers_sql(engine: AsyncEngine, keep_existing: bool) -> str:
    return (
        "INSERT INTO subscribers (contract, meter, commune_id, holder) "
        f"VALUES ({_placeholders(engine, 4)}) "
        + _on_conflict("contract", ("meter", "commune_id", "holder"), keep_existing)
    )


ReferenceTable = Literal["operators", "communes", "subscribers"]


async def row_count(engine: AsyncEngine, table: ReferenceTable) -> int:
    """The number of rows of one reference table (an import with ``keep_existing`` counts
    what it really added from it)."""
    model = {"operators": Operator, "communes": Commune, "subscribers": Subscriber}[table]
    async with engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(model))
    return int(count or 0)


async def operator_codes(engine: AsyncEngine) -> set[str]:
    """The codes of the operators imported so far."""
    async with engine.connect() as connection:
        return set((await connection.exec_driver_sql("SELECT code FROM operators")).scalars())


async def commune_ids(engine: AsyncEngine) -> dict[str, int]:
    """Commune ids by exact name and by accent- and case-insensitive name (search key)."""
    async with engine.connect() as connection:
        result = await connection.execute(select(Commune.id, Commune.name, Commune.search_key))
        ids: dict[str, int] = {}
        for commune_id, name, key in result:
            ids[name] = commune_id
            ids.setdefault(key, commune_id)
    return ids


async def write_operators(
    engine: AsyncEngine,
    rows: list[tuple[str, str, bool, str, str]],
    *,
    keep_existing: bool = False,
) -> None:
    """Insert (code, name, served_here, phone, website) rows, in one batch; an existing code
    is updated, or left as it is with ``keep_existing``."""
    await _write_batch(engine, _operators_sql(engine, keep_existing), rows)


async def write_communes(
    engine: AsyncEngine, rows: list[tuple[str, str, str, str]], *, keep_existing: bool = False
) -> None:
    """Insert (name, search_key, territory, operator_code) rows, in one batch; an existing
    name is updated, or left as it is with ``keep_existing``."""
    await _write_batch(engine, _communes_sql(engine, keep_existing), rows)


async def write_subscribers(
    engine: AsyncEngine, rows: list[tuple[str, str, int, str]], *, keep_existing: bool = False
) -> None:
    """Insert (contract, meter, commune_id, holder) rows, in one batch; an existing contract
    is updated, or left as it is with ``keep_existing``.

    The commune ids must come from :func:`commune_ids`: every reference is then known to
    hold, and on SQLite the per-row foreign-key check is switched off for the batch (it
    costs a third of the import).
    """
    sql = _subscribers_sql(engine, keep_existing)
    await _write_batch(engine, sql, rows, references_checked=True)


async def _write_batch(
    engine: AsyncEngine, sql: str, rows: list[Any], *, references_checked: bool = False
) -> None:
    try:
        if engine.dialect.name == "sqlite":
            await _write_sqlite_batch(engine, sql, rows, references_checked)
        else:
            async with engine.begin() as connection:
                await connection.exec_driver_sql(sql, rows)
    except (sqlite3.Error, DBAPIError) as error:
        raise BatchRefused(type(error).__name__) from error


async def _write_sqlite_batch(
    engine: AsyncEngine, sql: str, rows: list[Any], references_checked: bool
) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        if references_checked:  # a pragma that only takes effect outside a transaction
            await driver.execute("PRAGMA foreign_keys=OFF")
        try:
            await driver.execute("BEGIN IMMEDIATE")
            try:
                await driver.executemany(sql, rows)
            except BaseException:
                await driver.rollback()
                raise
            await driver.commit()
        finally:
            if references_checked:
                await driver.execute("PRAGMA foreign_keys=ON")
