"""Bulk writes of the imported reference data: operators, communes and subscribers.

Every statement of the CSV imports (:mod:`kiosk.services.imports` reads and checks the rows),
used through a bulk unit of work (``ctx.unit_of_work(bulk=True)``): a batch is one
transaction, written whole or not at all. On SQLite the rows go straight to the driver (a
million rows spend a second in SQLAlchemy's layers), with the per-row foreign-key check off
for the transaction (the engine turns it back on when the connection returns to its pool).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from kiosk.storage.models import Commune, Operator, Subscriber
from kiosk.storage.repositories.base import Repository


class BatchRefused(Exception):
    """The database refused a batch (a constraint, a lock held too long); nothing of it is
    written. The driver's error is the cause."""


def placeholders(paramstyle: str, count: int) -> str:
    if paramstyle == "qmark":
        return ", ".join("?" * count)
    if paramstyle == "numeric_dollar":
        return ", ".join(f"${i}" for i in range(1, count + 1))
    return ", ".join(["%s"] * count)


def on_conflict(key: str, columns: tuple[str, ...], keep_existing: bool) -> str:
    """The ``ON CONFLICT`` clause: update the row (a newer extract) or leave it (demo data)."""
    if keep_existing:
        return f"ON CONFLICT ({key}) DO NOTHING"
    return f"ON CONFLICT ({key}) DO UPDATE SET " + ", ".join(
        f"{column} = excluded.{column}" for column in columns
    )


ReferenceTable = Literal["operators", "communes", "subscribers"]

_INSERTS: dict[ReferenceTable, tuple[str, tuple[str, ...], str]] = {
    "operators": ("code", ("name", "served_here", "phone", "website"), "code"),
    "communes": ("name", ("search_key", "territory", "operator_code"), "name"),
    "subscribers": ("contract", ("meter", "commune_id", "holder"), "contract"),
}
"""Each table's first column, the other columns, and its unique key."""


def insert_sql(
    paramstyle: str,
    table: str,
    columns: tuple[str, ...],
    key: str,
    updated: tuple[str, ...],
    keep_existing: bool,
) -> str:
    """An import's ``INSERT``: a row whose ``key`` exists has its ``updated`` columns updated
    (a newer extract), or is left as it is with ``keep_existing`` (demo data)."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({placeholders(paramstyle, len(columns))}) "
        + on_conflict(key, updated, keep_existing)
    )


def _insert_sql(paramstyle: str, table: ReferenceTable, keep_existing: bool) -> str:
    first, others, key = _INSERTS[table]
    return insert_sql(paramstyle, table, (first, *others), key, others, keep_existing)


class ReferenceDataRepository(Repository):
    """The reference tables, read and written in bulk by the imports."""

    async def row_count(self, table: ReferenceTable) -> int:
        """The number of rows of one reference table (an import with ``keep_existing``
        counts what it really added from it)."""
        model = {"operators": Operator, "communes": Commune, "subscribers": Subscriber}[table]
        count = await self._session.scalar(select(func.count()).select_from(model))
        return int(count or 0)

    async def operator_codes(self) -> set[str]:
        """The codes of the operators imported so far."""
        return set((await self._session.scalars(select(Operator.code))).all())

    async def commune_ids(self) -> dict[str, int]:
        """Commune ids by exact name and by accent- and case-insensitive name (search key)."""
        result = await self._session.execute(select(Commune.id, Commune.name, Commune.search_key))
        ids: dict[str, int] = {}
        for commune_id, name, key in result:
            ids[name] = commune_id
            ids.setdefault(key, commune_id)
        return ids

    async def write_operators(
        self, rows: list[tuple[str, str, bool, str, str]], *, keep_existing: bool = False
    ) -> None:
        """Insert (code, name, served_here, phone, website) rows; an existing code is
        updated, or left as it is with ``keep_existing``."""
        await self._write("operators", rows, keep_existing)

    async def write_communes(
        self, rows: list[tuple[str, str, str, str]], *, keep_existing: bool = False
    ) -> None:
        """Insert (name, search_key, territory, operator_code) rows; an existing name is
        updated, or left as it is with ``keep_existing``."""
        await self._write("communes", rows, keep_existing)

    async def write_subscribers(
        self, rows: list[tuple[str, str, int, str]], *, keep_existing: bool = False
    ) -> None:
        """Insert (contract, meter, commune_id, holder) rows; an existing contract is
        updated, or left as it is with ``keep_existing``.

        The commune ids must come from :meth:`commune_ids`: every reference is then known to
        hold (on SQLite the bulk unit of work does not check them row by row: that costs a
        third of the import).
        """
        await self._write("subscribers", rows, keep_existing)

    async def _write(self, table: ReferenceTable, rows: list[Any], keep_existing: bool) -> None:
        connection = await self._begun()
        sql = _insert_sql(connection.dialect.paramstyle, table, keep_existing)
        await write_rows(connection, sql, rows)


async def write_rows(connection: AsyncConnection, sql: str, rows: list[Any]) -> None:
    """One batch of an import, straight on the driver (SQLite's own ``executemany`` is the
    fastest path there); a batch the database refuses raises :class:`BatchRefused`."""
    try:
        if connection.dialect.name == "sqlite":
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            await driver.executemany(sql, rows)
        else:
            await connection.exec_driver_sql(sql, rows)
    except (sqlite3.Error, DBAPIError) as error:
        raise BatchRefused(type(error).__name__) from error
