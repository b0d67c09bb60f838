"""CSV imports of the billing extracts (invoices, meter readings) and the export of the
customers' own readings (SPEC §9): streamed, batched, re-runnable, every bad line reported by
its number. The lines are checked by :mod:`kiosk.domain.billing_rows` and written in bulk
units of work (:mod:`kiosk.services.import_batches`) by ``uow.billing_data``."""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TextIO, TypeVar

from kiosk.domain.billing_rows import (
    INVOICE_COLUMNS,
    READING_COLUMNS,
    InvoiceRow,
    ReadingRow,
    invoice_row,
    reading_row,
)
from kiosk.domain.import_rows import ImportReport, csv_rows
from kiosk.domain.progress import ProgressCallback, file_progress, ignore_progress
from kiosk.services.context import ServiceContext
from kiosk.services.import_batches import write_in_batches
from kiosk.services.imports import demo_file
from kiosk.storage.unit_of_work import UnitOfWork

Row = TypeVar("Row", InvoiceRow, ReadingRow)


class BillingImportService:
    """The billing extracts an installation imports and the readings it exports: for the
    commands and the demo's first load (never for a front end: the web companion's contract
    forbids this module)."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def import_invoices(
        self,
        stream: Iterable[str],
        *,
        keep_existing: bool = False,
        progress: ProgressCallback = ignore_progress,
    ) -> ImportReport:
        """Stream an invoices extract; an invoice already there (same number) is updated, its
        status above all (with ``keep_existing``, left as it is)."""
        report = ImportReport()
        return await write_in_batches(
            self.ctx,
            "invoices",
            _checked(stream, INVOICE_COLUMNS, invoice_row, report),
            operator.itemgetter(0),
            _invoices,
            report,
            keep_existing=keep_existing,
            reached=file_progress(stream, progress),
        )

    async def import_readings(
        self,
        stream: Iterable[str],
        *,
        keep_existing: bool = False,
        progress: ProgressCallback = ignore_progress,
    ) -> ImportReport:
        """Stream a meter-readings extract, keyed by meter, date and kind (a re-import updates
        the index; with ``keep_existing``, leaves it)."""
        report = ImportReport()
        return await write_in_batches(
            self.ctx,
            "meter_readings",
            _checked(stream, READING_COLUMNS, reading_row, report),
            operator.itemgetter(1, 2, 4),
            _readings,
            report,
            keep_existing=keep_existing,
            reached=file_progress(stream, progress),
        )

    async def export_readings(self, since: date, output: TextIO) -> int:
        """Write the customers' own readings since ``since`` to ``output`` as the import's CSV
        (header included); returns the number of readings written."""
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(READING_COLUMNS)
        count = 0
        async with self.ctx.unit_of_work(read_only=True, scan=True) as uow:
            async for contract, meter, read_on, index, kind in uow.billing_data.self_readings_since(
                since
            ):
                writer.writerow((contract, meter, read_on.isoformat(), index, kind))
                count += 1
        return count

    async def has_invoices(self) -> bool:
        """Whether any invoice was imported (a demo made before the billing extracts has none)."""
        async with self.ctx.unit_of_work(read_only=True) as uow:
            return await uow.billing_data.has_invoices()

    async def load_demo_billing(self) -> list[ImportReport]:
        """The invoices and meter readings of the demo subscribers (idempotent, nothing
        overwritten)."""
        reports = []
        with demo_file("invoices-demo.csv") as stream:
            reports.append(await self.import_invoices(stream, keep_existing=True))
        with demo_file("readings-demo.csv") as stream:
            reports.append(await self.import_readings(stream, keep_existing=True))
        return reports


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


async def _invoices(rows: list[InvoiceRow], keep_existing: bool, uow: UnitOfWork) -> None:
    await uow.billing_data.write_invoices(rows, keep_existing=keep_existing)


async def _readings(rows: list[ReadingRow], keep_existing: bool, uow: UnitOfWork) -> None:
    await uow.billing_data.write_readings(rows, keep_existing=keep_existing)
