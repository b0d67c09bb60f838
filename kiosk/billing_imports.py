"""CSV imports of the billing extracts (invoices, meter readings) and the export of the
customers' own readings (SPEC §9): streamed, batched, re-runnable, every bad line reported by
its number. The rows are checked here and written by :mod:`kiosk.storage.billing_data`."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import functools
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import date
from typing import TextIO, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.domain.billing_rules import InvoiceStatus, ReadingKind, is_invoice_number
from kiosk.domain.import_rows import ImportFileError, ImportReport, csv_rows
from kiosk.domain.progress import ProgressCallback, file_progress, ignore_progress
from kiosk.domain.rules import normalise_meter
from kiosk.services.import_batches import BATCH_SIZE
from kiosk.storage import billing_data
from kiosk.storage.billing_data import InvoiceRow, ReadingRow
from kiosk.storage.repositories.reference_data import BatchRefused

INVOICE_COLUMNS = (
    "contract",
    "number",
    "issued_on",
    "period_start",
    "period_end",
    "volume_m3",
    "amount_excl_tax",
    "amount_incl_tax",
    "due_on",
    "status",
)
READING_COLUMNS = ("contract", "meter", "read_on", "index_m3", "kind")

_CONTRACT = re.compile(r"[0-9]{7}", re.ASCII)
_METER = re.compile(r"[A-Z0-9]{5,20}", re.ASCII)
_WHOLE = re.compile(r"[0-9]{1,9}", re.ASCII)
_AMOUNT = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,2})?", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])", re.ASCII)
_STATUSES = {status.value: status.value for status in InvoiceStatus}
_KINDS = {kind.value: kind.value for kind in ReadingKind}

Row = TypeVar("Row", InvoiceRow, ReadingRow)


async def batch_written(write: Awaitable[None]) -> None:
    """Await a batch write; a batch the database refuses ends the import."""
    try:
        await write
    except BatchRefused as error:
        raise ImportFileError(
            f"the database refused a batch ({error}); "
            "the batches before it are imported, this one and the rest are not"
        ) from error


def _date(value: str, column: str) -> str:
    """A checked ISO date, kept as text (what SQLite stores; PostgreSQL's is made from it)."""
    if _ISO_DATE.fullmatch(value) is None:
        raise ValueError(f"{column}: a date YYYY-MM-DD expected")
    if value[8:] > "28":  # only the end of a month may not exist (2026-02-30)
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{column}: no such date {value!r}") from None
    return value


def _amount(value: str, column: str) -> str:
    """A checked amount with a dot, kept as its exact text (never a float)."""
    if _AMOUNT.fullmatch(value) is None:
        raise ValueError(f"{column}: an amount with a dot and at most 2 decimals expected")
    return value


def _whole(value: str, column: str) -> int:
    if _WHOLE.fullmatch(value) is None:
        raise ValueError(f"{column}: a whole number of m³ expected")
    return int(value)


def _contract(value: str) -> str:
    if _CONTRACT.fullmatch(value) is None:
        raise ValueError("contract: 7 digits expected")
    return value


_ISO = r"\d{4}-\d\d-\d\d"
_MONEY = r"-?\d{1,10}(?:\.\d{1,2})?"
_PLAIN_INVOICE = re.compile(
    rf"\d{{7}},[A-Za-z0-9][\w-]{{0,29}},{_ISO},{_ISO},{_ISO},\d{{1,9}},{_MONEY},{_MONEY},{_ISO},"
    r"(?:payee|a_payer|en_retard)",
    re.ASCII,
)
"""A whole invoice line in the usual form (no spaces, nothing quoted): one match checks the
shape of every column, and the calendar the dates. A million-row extract is mostly such
lines; any other goes through the column-by-column check that names the fault."""


def invoice_row(row: list[str]) -> InvoiceRow:
    """One checked invoice line, or ValueError naming the column at fault."""
    if (
        len(row) == len(INVOICE_COLUMNS)
        and _PLAIN_INVOICE.fullmatch(",".join(row)) is not None
        and row[4] >= row[3]
    ):
        contract, number, issued, start, end, volume, excl, incl, due, status = row
        try:
            day = date.fromisoformat
            day(issued), day(start), day(end), day(due)
        except ValueError:
            pass  # the column-by-column check names it
        else:
            return number, contract, issued, start, end, int(volume), excl, incl, due, status
    return _checked_invoice_row(row)


def _checked_invoice_row(row: list[str]) -> InvoiceRow:
    """Each column checked on its own, to name the one at fault."""
    if len(row) != len(INVOICE_COLUMNS):
        raise ValueError(f"expected {len(INVOICE_COLUMNS)} columns, found {len(row)}")
    contract, number, issued, start, end, volume, excl, incl, due, status = [
        value.strip() for value in row
    ]
    if not is_invoice_number(number):
        raise ValueError("number: 1 to 30 letters, digits, '-' or '_' expected")
    period_start, period_end = _date(start, "period_start"), _date(end, "period_end")
    if period_end < period_start:  # ISO dates compare as text
        raise ValueError("period_end: before period_start")
    if status not in _STATUSES:
        raise ValueError(f"status: one of {', '.join(_STATUSES)} expected")
    return (
        number,
        _contract(contract),
        _date(issued, "issued_on"),
        period_start,
        period_end,
        _whole(volume, "volume_m3"),
        _amount(excl, "amount_excl_tax"),
        _amount(incl, "amount_incl_tax"),
        _date(due, "due_on"),
        _STATUSES[status],
    )


def reading_row(row: list[str]) -> ReadingRow:
    """One checked reading line, or ValueError naming the column at fault."""
    if len(row) != len(READING_COLUMNS):
        raise ValueError(f"expected {len(READING_COLUMNS)} columns, found {len(row)}")
    contract, meter_text, read_on, index, kind = [value.strip() for value in row]
    meter = normalise_meter(meter_text)
    if _METER.fullmatch(meter) is None:
        raise ValueError("meter: 5 to 20 letters or digits expected")
    if kind not in _KINDS:
        raise ValueError(f"kind: one of {', '.join(_KINDS)} expected")
    return (
        _contract(contract),
        meter,
        _date(read_on, "read_on"),
        _whole(index, "index_m3"),
        _KINDS[kind],
    )


def _checked(
    stream: Iterable[str],
    columns: tuple[str, ...],
    check: Callable[[list[str]], Row],
    report: ImportReport,
) -> Iterator[Row]:
    for line, row in csv_rows(stream, columns, report):
        try:
            yield check(row)
        except ValueError as error:
            report.reject(line, str(error))


async def _write_in_batches(
    rows: Iterable[Row],
    key: Callable[[Row], object],
    write: Callable[[list[Row]], Awaitable[None]],
    report: ImportReport,
    reached: Callable[[int], None],
) -> None:
    """Write ``rows`` in batches, the next batch parsed while the previous one is written (as
    :func:`kiosk.services.import_batches.write_subscribers_in_batches`); a key twice in one
    batch: the later line wins."""
    batch: dict[object, Row] = {}
    pending: asyncio.Task[None] | None = None
    handed = 0

    async def flush() -> None:
        nonlocal pending, batch, handed
        if pending is not None:
            await pending
        written = list(batch.values())
        handed += len(written)
        reached(handed)
        pending = asyncio.create_task(batch_written(write(written)))
        pending.add_done_callback(functools.partial(_count, len(written)))
        batch = {}

    def _count(count: int, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is None:
            report.written += count

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


async def import_invoices(
    engine: AsyncEngine,
    stream: Iterable[str],
    *,
    keep_existing: bool = False,
    progress: ProgressCallback = ignore_progress,
) -> ImportReport:
    """Stream an invoices extract; an invoice already there (same number) is updated, its
    status above all (with ``keep_existing``, left as it is)."""
    report = ImportReport()
    before = await billing_data.billing_row_count(engine, "invoices") if keep_existing else 0
    rows = _checked(stream, INVOICE_COLUMNS, invoice_row, report)
    write = functools.partial(billing_data.write_invoices, engine, keep_existing=keep_existing)
    reached = file_progress(stream, progress)
    await _write_in_batches(rows, lambda row: row[0], write, report, reached)
    if keep_existing:
        await _count_new(engine, "invoices", before, report)
    return report


async def import_readings(
    engine: AsyncEngine,
    stream: Iterable[str],
    *,
    keep_existing: bool = False,
    progress: ProgressCallback = ignore_progress,
) -> ImportReport:
    """Stream a meter-readings extract, keyed by meter, date and kind (a re-import updates
    the index; with ``keep_existing``, leaves it)."""
    report = ImportReport()
    before = await billing_data.billing_row_count(engine, "meter_readings") if keep_existing else 0
    rows = _checked(stream, READING_COLUMNS, reading_row, report)
    write = functools.partial(billing_data.write_readings, engine, keep_existing=keep_existing)
    reached = file_progress(stream, progress)
    await _write_in_batches(rows, lambda row: (row[1], row[2], row[4]), write, report, reached)
    if keep_existing:
        await _count_new(engine, "meter_readings", before, report)
    return report


async def _count_new(engine: AsyncEngine, table: str, before: int, report: ImportReport) -> None:
    offered = report.written
    report.written = await billing_data.billing_row_count(engine, table) - before
    report.kept = offered - report.written


async def export_readings(engine: AsyncEngine, since: date, output: TextIO) -> int:
    """Write the customers' own readings since ``since`` to ``output`` as the import's CSV
    (header included); returns the number of readings written."""
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(READING_COLUMNS)
    count = 0
    async for contract, meter, read_on, index, kind in billing_data.self_readings_since(
        engine, since
    ):
        writer.writerow((contract, meter, read_on.isoformat(), index, kind))
        count += 1
    return count


async def load_demo_billing(engine: AsyncEngine) -> list[ImportReport]:
    """The invoices and meter readings of the demo subscribers (idempotent, nothing
    overwritten)."""
    from kiosk.services.imports import demo_file

    reports = []
    with demo_file("invoices-demo.csv") as stream:
        reports.append(await import_invoices(engine, stream, keep_existing=True))
    with demo_file("readings-demo.csv") as stream:
        reports.append(await import_readings(engine, stream, keep_existing=True))
    return reports
