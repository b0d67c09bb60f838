"""The writing half of the imports: rows handed to the database in batches, each batch one
bulk unit of work, the next batch parsed while the previous one is written; a batch the
database refuses ends the import (:mod:`kiosk.services.imports` and
:mod:`kiosk.services.billing_imports` read and check the rows)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import operator
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TypeVar

from kiosk.domain.import_rows import ImportFileError, ImportReport, SubscriberRow
from kiosk.services.context import ServiceContext
from kiosk.storage.repositories.billing_data import BillingTable
from kiosk.storage.repositories.reference_data import BatchRefused, ReferenceTable
from kiosk.storage.unit_of_work import UnitOfWork

BATCH_SIZE = 20000
"""Rows per batch, each written in one transaction."""

Write = Callable[[UnitOfWork], Awaitable[None]]
"""One batch's statements on a unit of work (``uow.reference_data.write_...``)."""

Row = TypeVar("Row")


async def batch_written(ctx: ServiceContext, write: Write) -> None:
    """Write one batch in a bulk unit of work of its own; a batch the database refuses ends
    the import (those before it stay written)."""
    try:
        async with ctx.unit_of_work(bulk=True) as uow:
            await write(uow)
            await uow.commit()
    except BatchRefused as error:
        raise ImportFileError(
            f"the database refused a batch ({error}); "
            "the batches before it are imported, this one and the rest are not"
        ) from error


async def row_count(ctx: ServiceContext, table: ReferenceTable | BillingTable) -> int:
    async with ctx.unit_of_work(read_only=True, scan=True) as uow:
        if table == "invoices" or table == "meter_readings":
            return await uow.billing_data.row_count(table)
        return await uow.reference_data.row_count(table)


async def count_new_rows(
    ctx: ServiceContext, table: ReferenceTable | BillingTable, before: int, report: ImportReport
) -> None:
    """With ``keep_existing``: what was offered is not what was written; count the table."""
    offered = report.written
    report.written = await row_count(ctx, table) - before
    report.kept = offered - report.written


async def write_in_batches(
    ctx: ServiceContext,
    table: ReferenceTable | BillingTable,
    rows: Iterable[Row],
    key: Callable[[Row], Hashable],
    write: Callable[[list[Row], bool, UnitOfWork], Awaitable[None]],
    report: ImportReport,
    *,
    keep_existing: bool = False,
    reached: Callable[[int], None] = lambda _rows: None,
) -> ImportReport:
    """Write ``rows`` into ``table`` in batches; the next batch is parsed while the previous
    one is written.

    Args:
        key: a row's key in the table: the same key twice in one batch, the later line wins.
        write: one batch's statements (``rows, keep_existing, uow``).
        keep_existing: a row whose key is already in the table is left as it is (demo data);
            otherwise it is updated (a newer extract).
        reached: told the rows handed to the database so far, once per batch (nothing is
            counted per row: the rate of a million-row import must not feel it).
    """
    before = await row_count(ctx, table) if keep_existing else 0
    batch: dict[Hashable, Row] = {}
    pending: asyncio.Task[None] | None = None
    handed = 0

    async def flush() -> None:
        nonlocal pending, batch, handed
        if pending is not None:
            await pending
        written = list(batch.values())
        handed += len(written)
        reached(handed)
        pending = asyncio.create_task(
            batch_written(ctx, functools.partial(write, written, keep_existing))
        )
        pending.add_done_callback(functools.partial(_count, len(written)))
        batch = {}

    def _count(rows: int, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is None:
            report.written += rows

    try:
        for row in rows:
            batch[key(row)] = row
            if len(batch) >= BATCH_SIZE:
                await flush()
        if batch:
            await flush()
        if pending is not None:
            await pending
        reached(handed)
    except BaseException:
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        raise
    if keep_existing:
        await count_new_rows(ctx, table, before, report)
    return report


async def write_subscribers_in_batches(
    ctx: ServiceContext,
    rows: Iterable[SubscriberRow],
    report: ImportReport,
    *,
    keep_existing: bool = False,
    reached: Callable[[int], None] = lambda _rows: None,
) -> ImportReport:
    """Subscribers by contract (:func:`write_in_batches`)."""
    return await write_in_batches(
        ctx,
        "subscribers",
        rows,
        operator.itemgetter(0),
        _write_subscribers,
        report,
        keep_existing=keep_existing,
        reached=reached,
    )


async def _write_subscribers(
    rows: list[SubscriberRow], keep_existing: bool, uow: UnitOfWork
) -> None:
    await uow.reference_data.write_subscribers(rows, keep_existing=keep_existing)
