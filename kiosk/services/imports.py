"""CSV imports of operators, communes and subscribers (streamed, batched, re-runnable): the
rows read and checked by the domain's rules (:mod:`kiosk.domain.import_rows`), written in
bulk units of work (:mod:`kiosk.services.import_batches`) by ``uow.reference_data``."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

from kiosk.domain.import_rows import (
    COMMUNE_COLUMNS,
    OPERATOR_COLUMNS,
    SUBSCRIBER_COLUMNS,
    CommuneRow,
    ImportFileError,
    ImportReport,
    OperatorRow,
    SubscriberRow,
    commune_row,
    csv_rows,
    operator_row,
    subscriber_row,
)
from kiosk.domain.progress import Progress, ProgressCallback, file_progress, ignore_progress
from kiosk.services.context import ServiceContext
from kiosk.services.import_batches import (
    batch_written,
    count_new_rows,
    row_count,
    write_subscribers_in_batches,
)
from kiosk.storage.repositories.reference_data import ReferenceTable
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.utf8_lines import Utf8Lines

__all__ = ["ImportFileError", "ImportReport", "ImportService", "demo_file", "open_csv"]

MAX_SYNTHETIC = 2_000_000

Row = TypeVar("Row", bound=tuple[object, ...])
"""A checked row; its first value is the table's key."""


class ImportService:
    """The reference data an installation imports: for the commands and the demo's first load
    (never for a front end: the web companion's contract forbids this module)."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def import_operators(
        self,
        stream: Iterable[str],
        *,
        keep_existing: bool = False,
        progress: ProgressCallback = ignore_progress,
    ) -> ImportReport:
        """Operators by code; an existing code is updated, or left as it is with
        ``keep_existing``."""
        return await self._import_whole(
            stream, "operators", OPERATOR_COLUMNS, operator_row, _operators, keep_existing, progress
        )

    async def import_communes(
        self,
        stream: Iterable[str],
        *,
        keep_existing: bool = False,
        progress: ProgressCallback = ignore_progress,
    ) -> ImportReport:
        """Communes by name; an existing name is updated, or left as it is with
        ``keep_existing``."""
        async with self.ctx.unit_of_work(read_only=True, scan=True) as uow:
            known = await uow.reference_data.operator_codes()
        check = functools.partial(commune_row, operators=known)
        return await self._import_whole(
            stream, "communes", COMMUNE_COLUMNS, check, _communes, keep_existing, progress
        )

    async def _import_whole(
        self,
        stream: Iterable[str],
        table: ReferenceTable,
        columns: tuple[str, ...],
        check: Callable[[list[str]], Row],
        write: Callable[[list[Row], bool, UnitOfWork], Awaitable[None]],
        keep_existing: bool,
        progress: ProgressCallback,
    ) -> ImportReport:
        """A file of a few thousand rows at most, written in one batch; a later row with the
        same key (the first column) replaces an earlier one."""
        ctx, report = self.ctx, ImportReport()
        reached = file_progress(stream, progress)
        before = await row_count(ctx, table) if keep_existing else 0
        rows: dict[object, Row] = {}
        for line, row in csv_rows(stream, columns, report):
            try:
                checked = check(row)
            except ValueError as error:
                report.reject(line, str(error))
                continue
            rows[checked[0]] = checked
        reached(len(rows))
        if rows:
            await batch_written(ctx, functools.partial(write, list(rows.values()), keep_existing))
        report.written = len(rows)
        reached(len(rows))
        if keep_existing:
            await count_new_rows(ctx, table, before, report)
        return report

    async def import_subscribers(
        self,
        stream: Iterable[str],
        *,
        keep_existing: bool = False,
        progress: ProgressCallback = ignore_progress,
    ) -> ImportReport:
        """Stream a subscribers extract in batches; re-importing a newer extract updates rows
        (with ``keep_existing``, rows already there are left as they are)."""
        report = ImportReport()
        communes = await self._commune_ids()
        rows = _subscriber_rows(stream, communes, report)
        reached = file_progress(stream, progress)
        return await write_subscribers_in_batches(
            self.ctx, rows, report, keep_existing=keep_existing, reached=reached
        )

    async def add_synthetic_subscribers(
        self, count: int, *, progress: ProgressCallback = ignore_progress
    ) -> ImportReport:
        """``count`` made-up subscribers (contracts from 8000000 up, clear of the demo's).

        A contract already in the table is never touched: on a real database these numbers
        may be real contracts.
        """
        if count > MAX_SYNTHETIC:
            raise ImportFileError("at most 2,000,000 synthetic subscribers")
        communes = sorted(set((await self._commune_ids()).values()))
        if not communes:
            raise ImportFileError("import the communes first")
        rows = (
            (f"{8_000_000 + i:07d}", f"S{i:09d}", communes[i % len(communes)], f"ABONNÉ {i}")
            for i in range(count)
        )
        return await write_subscribers_in_batches(
            self.ctx,
            rows,
            ImportReport(),
            keep_existing=True,
            reached=lambda handed: progress(Progress(handed, count, handed)),
        )

    async def load_demo_data(self) -> list[ImportReport]:
        """Operators, communes and subscribers of the demo (idempotent).

        Only what is missing is added: an existing operator, commune or contract, demo or
        real, is never overwritten.
        """
        reports = []
        with demo_file("operators-demo.csv") as stream:
            reports.append(await self.import_operators(stream, keep_existing=True))
        with demo_file("communes-demo.csv") as stream:
            reports.append(await self.import_communes(stream, keep_existing=True))
        with demo_file("subscribers-demo.csv") as stream:
            reports.append(await self.import_subscribers(stream, keep_existing=True))
        return reports

    async def _commune_ids(self) -> dict[str, int]:
        async with self.ctx.unit_of_work(read_only=True, scan=True) as uow:
            return await uow.reference_data.commune_ids()


async def _operators(rows: list[OperatorRow], keep_existing: bool, uow: UnitOfWork) -> None:
    await uow.reference_data.write_operators(rows, keep_existing=keep_existing)


async def _communes(rows: list[CommuneRow], keep_existing: bool, uow: UnitOfWork) -> None:
    await uow.reference_data.write_communes(rows, keep_existing=keep_existing)


def _subscriber_rows(
    stream: Iterable[str], communes: dict[str, int], report: ImportReport
) -> Iterator[SubscriberRow]:
    for line, row in csv_rows(stream, SUBSCRIBER_COLUMNS, report):
        try:
            yield subscriber_row(row, communes)
        except ValueError as error:
            report.reject(line, str(error))


def demo_file(name: str) -> Utf8Lines:
    """Open one of the demo CSV files shipped inside the package."""
    return Utf8Lines(resources.files("kiosk").joinpath(f"data/{name}").open("rb"))


def open_csv(path: Path) -> Utf8Lines:
    """Open a CSV file for an import: its lines, each checked as UTF-8 on its own."""
    try:
        return Utf8Lines(path.open("rb"))
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from None
