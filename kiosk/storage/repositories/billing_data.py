"""Bulk writes and reads of the billing extracts: invoices and meter readings.

The statements of ``kiosk import-invoices``, ``import-readings`` and ``export-readings``
(:mod:`kiosk.services.billing_imports` reads the rows, :mod:`kiosk.domain.billing_rows` checks
them), used through a bulk unit of work as the reference data's (:mod:`.reference_data`): a
batch is one transaction, written whole or not at all, by the same driver-level path.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, select

from kiosk.domain.billing_rows import INVOICE_FIELDS, READING_COLUMNS, InvoiceRow, ReadingRow
from kiosk.domain.billing_rules import ReadingKind
from kiosk.storage.models import Invoice, MeterReading
from kiosk.storage.repositories.base import Repository
from kiosk.storage.repositories.reference_data import insert_sql, write_rows

BillingTable = Literal["invoices", "meter_readings"]


class BillingDataRepository(Repository):
    """The billing tables, written in bulk by the imports and read by the export."""

    async def write_invoices(self, rows: list[InvoiceRow], *, keep_existing: bool = False) -> None:
        """Insert invoices in one batch; an existing number is updated (its status moves on),
        or left as it is with ``keep_existing``."""
        sql = _insert("invoices", INVOICE_FIELDS, ("number",), keep_existing)
        await self._write(sql, rows, _invoices_for_driver)

    async def write_readings(self, rows: list[ReadingRow], *, keep_existing: bool = False) -> None:
        """Insert readings in one batch; an existing (meter, date, kind) is updated, or left as
        it is with ``keep_existing``."""
        sql = _insert(
            "meter_readings", READING_COLUMNS, ("meter", "read_on", "kind"), keep_existing
        )
        await self._write(sql, rows, _readings_for_driver)

    async def _write(
        self,
        insert: Callable[[str], str],
        rows: list[Any],
        for_driver: Callable[[str, list[Any]], list[Any]],
    ) -> None:
        connection = await self._begun()
        dialect = connection.dialect
        await write_rows(connection, insert(dialect.paramstyle), for_driver(dialect.name, rows))

    async def row_count(self, table: BillingTable) -> int:
        """The rows of one billing table (an import with ``keep_existing`` counts what it
        really added)."""
        model = {"invoices": Invoice, "meter_readings": MeterReading}[table]
        return int(await self._session.scalar(select(func.count()).select_from(model)) or 0)

    async def has_invoices(self) -> bool:
        """Whether any invoice was imported (a demo made before the billing extracts has none)."""
        return await self._session.scalar(select(Invoice.id).limit(1)) is not None

    async def self_readings_since(
        self, since: date
    ) -> AsyncIterator[tuple[str, str, date, int, str]]:
        """The customers' own readings (``autoreleve``) read on or after ``since``, streamed in
        date order."""
        query = (
            select(
                MeterReading.contract,
                MeterReading.meter,
                MeterReading.read_on,
                MeterReading.index_m3,
                MeterReading.kind,
            )
            .where(MeterReading.kind == ReadingKind.SELF_READ, MeterReading.read_on >= since)
            .order_by(MeterReading.read_on, MeterReading.id)
        )
        result = await self._session.stream(query.execution_options(yield_per=5000))
        async for row in result:
            yield row.contract, row.meter, row.read_on, row.index_m3, row.kind


def _insert(
    table: BillingTable, columns: tuple[str, ...], key: tuple[str, ...], keep_existing: bool
) -> Callable[[str], str]:
    """The batch's ``INSERT`` for a driver's paramstyle: a row whose ``key`` exists has its
    other columns updated (or, with ``keep_existing``, is left as it is)."""
    updated = tuple(column for column in columns if column not in key)
    return functools.partial(
        insert_sql,
        table=table,
        columns=columns,
        key=", ".join(key),
        updated=updated,
        keep_existing=keep_existing,
    )


def _invoices_for_driver(dialect: str, rows: list[InvoiceRow]) -> list[Any]:
    """SQLite's driver takes the checked text as it is (what SQLAlchemy writes too);
    asyncpg wants dates and decimals."""
    if dialect == "sqlite":
        return rows
    day, exact = date.fromisoformat, Decimal
    return [
        (n, c, day(i), day(s), day(e), v, exact(x), exact(t), day(d), st)
        for n, c, i, s, e, v, x, t, d, st in rows
    ]


def _readings_for_driver(dialect: str, rows: list[ReadingRow]) -> list[Any]:
    if dialect == "sqlite":
        return rows
    return [(c, m, date.fromisoformat(r), i, k) for c, m, r, i, k in rows]
