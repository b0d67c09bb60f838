"""Bulk writes and reads of the billing extracts: invoices and meter readings.

The statements of ``kiosk import-invoices``, ``import-readings`` and ``export-readings``
(:mod:`kiosk.billing_imports` parses and checks the rows). A batch is one transaction, written
whole or not at all, with the same driver-level path as the subscribers' import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.domain.billing_rules import ReadingKind
from kiosk.storage.models import Invoice, MeterReading
from kiosk.storage.repositories.reference_data import (
    BatchRefused,
    _executemany_on_the_driver,
    _on_conflict,
    _placeholders,
)


async def _write_batch(engine: AsyncEngine, sql: str, rows: list[Any]) -> None:
    """One batch in one transaction, straight on the driver (as the reference data's)."""
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                await _executemany_on_the_driver(connection, sql, rows)
            else:
                await connection.exec_driver_sql(sql, rows)
    except (sqlite3.Error, DBAPIError) as error:
        raise BatchRefused(type(error).__name__) from error


InvoiceRow = tuple[str, str, str, str, str, int, str, str, str, str]
"""number, contract, issued_on, period_start, period_end, volume_m3, amount_excl_tax,
amount_incl_tax, due_on, status: checked, dates as ISO text, amounts as their exact text."""
ReadingRow = tuple[str, str, str, int, str]
"""contract, meter, read_on (ISO text), index_m3, kind."""

_INVOICE_COLUMNS = (
    "number",
    "contract",
    "issued_on",
    "period_start",
    "period_end",
    "volume_m3",
    "amount_excl_tax",
    "amount_incl_tax",
    "due_on",
    "status",
)
_READING_COLUMNS = ("contract", "meter", "read_on", "index_m3", "kind")


def _invoices_for_driver(engine: AsyncEngine, rows: list[InvoiceRow]) -> list[Any]:
    """SQLite's driver takes the checked text as it is (what SQLAlchemy writes too);
    asyncpg wants dates and decimals."""
    if engine.dialect.name == "sqlite":
        return rows
    day, exact = date.fromisoformat, Decimal
    return [
        (n, c, day(i), day(s), day(e), v, exact(x), exact(t), day(d), st)
        for n, c, i, s, e, v, x, t, d, st in rows
    ]


def _readings_for_driver(engine: AsyncEngine, rows: list[ReadingRow]) -> list[Any]:
    if engine.dialect.name == "sqlite":
        return rows
    return [(c, m, date.fromisoformat(r), i, k) for c, m, r, i, k in rows]


async def write_invoices(
    engine: AsyncEngine, rows: list[InvoiceRow], *, keep_existing: bool = False
) -> None:
    """Insert invoices in one batch; an existing number is updated (its status moves on), or
    left as it is with ``keep_existing``."""
    sql = (
        f"INSERT INTO invoices ({', '.join(_INVOICE_COLUMNS)}) "
        f"VALUES ({_placeholders(engine.dialect.paramstyle, len(_INVOICE_COLUMNS))}) "
        + _on_conflict("number", _INVOICE_COLUMNS[1:], keep_existing)
    )
    await _write_batch(engine, sql, _invoices_for_driver(engine, rows))


async def write_readings(
    engine: AsyncEngine, rows: list[ReadingRow], *, keep_existing: bool = False
) -> None:
    """Insert readings in one batch; an existing (meter, date, kind) is updated, or left as it
    is with ``keep_existing``."""
    sql = (
        f"INSERT INTO meter_readings ({', '.join(_READING_COLUMNS)}) "
        f"VALUES ({_placeholders(engine.dialect.paramstyle, len(_READING_COLUMNS))}) "
        + _on_conflict("meter, read_on, kind", ("contract", "index_m3"), keep_existing)
    )
    await _write_batch(engine, sql, _readings_for_driver(engine, rows))


async def billing_row_count(engine: AsyncEngine, table: str) -> int:
    model = {"invoices": Invoice, "meter_readings": MeterReading}[table]
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


async def has_invoices(engine: AsyncEngine) -> bool:
    """Whether any invoice was imported (a demo made before the billing extracts has none)."""
    async with engine.connect() as connection:
        return await connection.scalar(select(Invoice.id).limit(1)) is not None


async def self_readings_since(
    engine: AsyncEngine, since: date
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
    async with engine.connect() as connection:
        result = await connection.stream(query.execution_options(yield_per=5000))
        async for row in result:
            yield row.contract, row.meter, row.read_on, row.index_m3, row.kind
