"""The writing half of the imports: rows handed to the database in batches, the next batch
parsed while the previous one is written; a batch the database refuses ends the import
(:mod:`kiosk.imports` reads and checks the rows)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.import_rows import ImportFileError, ImportReport
from kiosk.storage import reference_data
from kiosk.storage.reference_data import BatchRefused, ReferenceTable

BATCH_SIZE = 20000
"""Subscriber rows per batch, each written in one transaction."""


async def batch_written(write: Awaitable[None]) -> None:
    """Await a batch write; a batch the database refuses ends the import."""
    try:
        await write
    except BatchRefused as error:
        raise ImportFileError(
            f"the database refused a batch ({error}); "
            "the batches before it are imported, this one and the rest are not"
        ) from error


async def count_new_rows(
    engine: AsyncEngine, table: ReferenceTable, before: int, report: ImportReport
) -> None:
    """With ``keep_existing``: what was offered is not what was written; count the table."""
    offered = report.written
    report.written = await reference_data.row_count(engine, table) - before
    report.kept = offered - report.written


async def write_subscribers_in_batches(
    engine: AsyncEngine,
    rows: Iterable[tuple[str, str, int, str]],
    report: ImportReport,
    *,
    keep_existing: bool = False,
    reached: Callable[[int], None] = lambda _rows: None,
) -> ImportReport:
    """Write ``rows`` in batches; the next batch is parsed while the previous one is written.

    Args:
        keep_existing: a contract already in the table keeps its row (demo data); otherwise
            the row is updated (a newer extract).
        reached: told the rows handed to the database so far, once per batch (nothing is
            counted per row: the rate of a million-row import must not feel it).
    """
    before = await reference_data.row_count(engine, "subscribers") if keep_existing else 0
    write = functools.partial(reference_data.write_subscribers, keep_existing=keep_existing)
    batch: dict[str, tuple[str, str, int, str]] = {}
    pending: asyncio.Task[None] | None = None
    handed = 0

    async def flush() -> None:
        nonlocal pending, batch, handed
        if pending is not None:
            await pending
        written = list(batch.values())
        handed += len(written)
        reached(handed)
        pending = asyncio.create_task(batch_written(write(engine, written)))
        pending.add_done_callback(functools.partial(_count, len(written)))
        batch = {}

    def _count(rows: int, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is None:
            report.written += rows

    try:
        for row in rows:
            batch[row[0]] = row  # a contract twice in one batch: the later line wins
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
        await count_new_rows(engine, "subscribers", before, report)
    return report
