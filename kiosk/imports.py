"""CSV imports of operators, communes and subscribers (streamed, batched, re-runnable)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import functools
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.rules import has_forbidden_characters, normalise_meter, search_key
from kiosk.storage.models import Commune
from kiosk.utf8_lines import Utf8Lines

BATCH_SIZE = 20000
MAX_REPORTED_ERRORS = 50
OPERATOR_COLUMNS = ("operator_code", "name", "served_here", "phone", "website")
COMMUNE_COLUMNS = ("commune", "territory", "operator_code")
SUBSCRIBER_COLUMNS = ("contract", "meter", "commune", "holder")
_YES = {"yes", "oui", "true", "1", "y", "o"}
_NO = {"no", "non", "false", "0", "n"}


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, wrong header)."""


@dataclass
class ImportReport:
    """What an import did: rows written, rows skipped with their line numbers."""

    written: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    kept: int = 0
    """Rows whose key was already in the table and that were left as they were
    (``keep_existing``)."""

    def reject(self, line: int, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, reason))


def _reader(
    stream: Iterable[str], columns: tuple[str, ...], report: ImportReport
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a UTF-8 CSV with the expected header, with their (last) line numbers.

    A row that cannot be read, or that lies on a line that is not valid UTF-8 (``stream``
    from :func:`open_csv`), is rejected in ``report`` with that line's number; the next row
    is read as usual.
    """
    invalid = stream.invalid if isinstance(stream, Utf8Lines) else {}
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(f"unreadable header: {error}") from None
    if 1 in invalid:
        raise ImportFileError(f"line 1 (the header) is {invalid[1]}")
    header = [name.strip().lstrip("\ufeff") for name in header]
    if tuple(header) != columns:
        raise ImportFileError(f"expected the header {','.join(columns)}, found {','.join(header)}")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            report.reject(reader.line_num, f"unreadable: {error}")
            if invalid:
                _passed_invalid_lines(invalid, reader.line_num)
            continue
        if invalid and (passed := _passed_invalid_lines(invalid, reader.line_num)):
            report.reject(*passed[0])
            continue
        if row:
            yield reader.line_num, row


def _passed_invalid_lines(invalid: dict[int, str], last_line: int) -> list[tuple[int, str]]:
    """The invalid lines of the row that ends on ``last_line``, taken out of ``invalid``.

    ``invalid`` holds the lines decoded but not yet passed: the rows before ended above them,
    so the first row that reaches one holds it. Taking them out keeps ``invalid`` empty, and
    the test of every row cheap, outside the chunk where a bad line lies.
    """
    passed = sorted(number for number in invalid if number <= last_line)
    return [(number, invalid.pop(number)) for number in passed]


def _clean(value: str, what: str, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if has_forbidden_characters(value):
        raise ValueError(f"{what}: forbidden characters")
    if required and not value:
        raise ValueError(f"{what}: empty")
    if len(value) > max_length:
        raise ValueError(f"{what}: longer than {max_length} characters")
    return value


def _on_conflict(key: str, columns: tuple[str, ...], keep_existing: bool) -> str:
    """The ``ON CONFLICT`` clause: update the row (a newer extract) or leave it (demo data)."""
    if keep_existing:
        return f"ON CONFLICT ({key}) DO NOTHING"
    return f"ON CONFLICT ({key}) DO UPDATE SET " + ", ".join(
        f"{column} = excluded.{column}" for column in columns
    )


async def _row_count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(text(f"SELECT count(*) FROM {table}"))
    return int(count or 0)


async def _count_new_rows(
    engine: AsyncEngine, table: str, before: int, report: ImportReport
) -> None:
    """With ``keep_existing``: what was offered is not what was written; count the table."""
    offered = report.written
    report.written = await _row_count(engine, table) - before
    report.kept = offered - report.written


def _placeholders(engine: AsyncEngine, count: int) -> str:
    if engine.dialect.paramstyle == "qmark":
        return ", ".join("?" * count)
    if engine.dialect.paramstyle == "numeric_dollar":
        return ", ".join(f"${i}" for i in range(1, count + 1))
    return ", ".join(["%s"] * count)


async def _write_batch(
    engine: AsyncEngine, sql: str, rows: list[tuple[Any, ...]], *, references_checked: bool = False
) -> None:
    """One batch, one transaction: written whole or not at all.

    Args:
        references_checked: every foreign key of the rows was checked against its table by the
            importer (the commune ids come from the communes table itself): on SQLite the
            per-row check is switched off for this batch, which costs a third of the import.
    """
    try:
        if engine.dialect.name == "sqlite":
            await _write_sqlite_batch(engine, sql, rows, references_checked)
        else:
            async with engine.begin() as connection:
                await connection.exec_driver_sql(sql, rows)
    except (sqlite3.Error, DBAPIError) as error:
        raise ImportFileError(
            f"the database refused a batch ({type(error).__name__}); "
            "the batches before it are imported, this one and the rest are not"
        ) from error


async def _write_sqlite_batch(
    engine: AsyncEngine, sql: str, rows: list[tuple[Any, ...]], references_checked: bool
) -> None:
    # Straight to aiosqlite: a million rows spend a second in SQLAlchemy's layers.
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


async def import_operators(
    engine: AsyncEngine, stream: Iterable[str], *, keep_existing: bool = False
) -> ImportReport:
    """Operators by code; an existing code is updated, or left as it is with ``keep_existing``."""
    report = ImportReport()
    before = await _row_count(engine, "operators") if keep_existing else 0
    rows: dict[str, tuple[str, str, bool, str, str]] = {}
    for line, row in _reader(stream, OPERATOR_COLUMNS, report):
        try:
            if len(row) != len(OPERATOR_COLUMNS):
                raise ValueError(f"expected {len(OPERATOR_COLUMNS)} columns, found {len(row)}")
            code = _clean(row[0], "operator_code", 32)
            name = _clean(row[1], "name", 200)
            served = row[2].strip().lower()
            if served not in _YES | _NO:
                raise ValueError("served_here: expected yes or no")
            phone = _clean(row[3], "phone", 40, required=False)
            website = _clean(row[4], "website", 300, required=False)
        except ValueError as error:
            report.reject(line, str(error))
            continue
        rows[code] = (code, name, served in _YES, phone, website)
    sql = (
        "INSERT INTO operators (code, name, served_here, phone, website) "
        f"VALUES ({_placeholders(engine, 5)}) "
        + _on_conflict("code", ("name", "served_here", "phone", "website"), keep_existing)
    )
    if rows:
        await _write_batch(engine, sql, list(rows.values()))
    report.written = len(rows)
    if keep_existing:
        await _count_new_rows(engine, "operators", before, report)
    return report


async def import_communes(
    engine: AsyncEngine, stream: Iterable[str], *, keep_existing: bool = False
) -> ImportReport:
    """Communes by name; an existing name is updated, or left as it is with ``keep_existing``."""
    report = ImportReport()
    before = await _row_count(engine, "communes") if keep_existing else 0
    async with engine.connect() as connection:
        known = set((await connection.exec_driver_sql("SELECT code FROM operators")).scalars())
    rows: dict[str, tuple[str, str, str, str]] = {}
    for line, row in _reader(stream, COMMUNE_COLUMNS, report):
        try:
            if len(row) != len(COMMUNE_COLUMNS):
                raise ValueError(f"expected {len(COMMUNE_COLUMNS)} columns, found {len(row)}")
            name = _clean(row[0], "commune", 120)
            territory = _clean(row[1], "territory", 120, required=False)
            operator = _clean(row[2], "operator_code", 32)
            if operator not in known:
                raise ValueError(f"operator_code: unknown operator {operator!r}")
        except ValueError as error:
            report.reject(line, str(error))
            continue
        rows[name] = (name, search_key(name), territory, operator)
    sql = (
        "INSERT INTO communes (name, search_key, territory, operator_code) "
        f"VALUES ({_placeholders(engine, 4)}) "
        + _on_conflict("name", ("search_key", "territory", "operator_code"), keep_existing)
    )
    if rows:
        await _write_batch(engine, sql, list(rows.values()))
    report.written = len(rows)
    if keep_existing:
        await _count_new_rows(engine, "communes", before, report)
    return report


async def _commune_ids(engine: AsyncEngine) -> dict[str, int]:
    """Commune ids by exact name and by accent- and case-insensitive name."""
    async with engine.connect() as connection:
        result = await connection.execute(select(Commune.id, Commune.name, Commune.search_key))
        ids: dict[str, int] = {}
        for commune_id, name, key in result:
            ids[name] = commune_id
            ids.setdefault(key, commune_id)
    return ids


_CLEAN_CONTRACT = re.compile(r"[0-9]{7}", re.ASCII)
_CLEAN_METER = re.compile(r"[A-Z0-9]{5,20}", re.ASCII)


def _subscriber_row(row: list[str], communes: dict[str, int]) -> tuple[str, str, int, str]:
    """One validated row, or ValueError naming the column at fault."""
    if len(row) != len(SUBSCRIBER_COLUMNS):
        raise ValueError(f"expected {len(SUBSCRIBER_COLUMNS)} columns, found {len(row)}")
    contract, meter_text, commune, holder = row
    # The rules of the Contract screen, written for speed: a million rows is routine.
    if _CLEAN_CONTRACT.fullmatch(contract) is None:
        raise ValueError("contract: 7 digits expected")
    meter = normalise_meter(meter_text)
    if _CLEAN_METER.fullmatch(meter) is None:
        raise ValueError("meter: 5 to 20 letters or digits expected")
    commune_id = communes.get(commune)
    if commune_id is None:
        commune = commune.strip()
        commune_id = communes.get(commune) or communes.get(search_key(commune))
        if commune_id is None:
            raise ValueError(f"commune: unknown commune {commune!r}")
    if not holder.isprintable() or len(holder) > 200 or holder != holder.strip():
        holder = _clean(holder, "holder", 200, required=False)
    return contract, meter, commune_id, holder


def _subscriber_rows(
    stream: Iterable[str], communes: dict[str, int], report: ImportReport
) -> Iterator[tuple[str, str, int, str]]:
    for line, row in _reader(stream, SUBSCRIBER_COLUMNS, report):
        try:
            yield _subscriber_row(row, communes)
        except ValueError as error:
            report.reject(line, str(error))


def _subscriber_sql(engine: AsyncEngine, keep_existing: bool) -> str:
    return (
        "INSERT INTO subscribers (contract, meter, commune_id, holder) "
        f"VALUES ({_placeholders(engine, 4)}) "
        + _on_conflict("contract", ("meter", "commune_id", "holder"), keep_existing)
    )


async def _write_subscribers(
    engine: AsyncEngine,
    rows: Iterable[tuple[str, str, int, str]],
    report: ImportReport,
    *,
    keep_existing: bool = False,
) -> ImportReport:
    """Write ``rows`` in batches; the next batch is parsed while the previous one is written.

    Args:
        keep_existing: a contract already in the table keeps its row (demo data); otherwise
            the row is updated (a newer extract).
    """
    sql = _subscriber_sql(engine, keep_existing)
    before = await _row_count(engine, "subscribers") if keep_existing else 0
    batch: dict[str, tuple[str, str, int, str]] = {}
    pending: asyncio.Task[None] | None = None

    async def flush() -> None:
        nonlocal pending, batch
        if pending is not None:
            await pending
        written = list(batch.values())
        pending = asyncio.create_task(_write_batch(engine, sql, written, references_checked=True))
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
    except BaseException:
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        raise
    if keep_existing:
        await _count_new_rows(engine, "subscribers", before, report)
    return report


async def import_subscribers(
    engine: AsyncEngine, stream: Iterable[str], *, keep_existing: bool = False
) -> ImportReport:
    """Stream a subscribers extract in batches; re-importing a newer extract updates rows
    (with ``keep_existing``, rows already there are left as they are)."""
    report = ImportReport()
    communes = await _commune_ids(engine)
    rows = _subscriber_rows(stream, communes, report)
    return await _write_subscribers(engine, rows, report, keep_existing=keep_existing)


async def add_synthetic_subscribers(engine: AsyncEngine, count: int) -> ImportReport:
    """``count`` made-up subscribers (contracts from 8000000 up, clear of the demo's).

    A contract already in the table is never touched: on a real database these numbers may
    be real contracts.
    """
    if count > 2_000_000:
        raise ImportFileError("at most 2,000,000 synthetic subscribers")
    communes = sorted(set((await _commune_ids(engine)).values()))
    if not communes:
        raise ImportFileError("import the communes first")
    rows = (
        (f"{8_000_000 + i:07d}", f"S{i:09d}", communes[i % len(communes)], f"ABONNÉ {i}")
        for i in range(count)
    )
    return await _write_subscribers(engine, rows, ImportReport(), keep_existing=True)


def demo_file(name: str) -> Utf8Lines:
    """Open one of the demo CSV files shipped inside the package."""
    return Utf8Lines(resources.files("kiosk").joinpath(f"data/{name}").open("rb"))


async def load_demo_data(engine: AsyncEngine) -> list[ImportReport]:
    """Operators, communes and subscribers of the demo (idempotent).

    Only what is missing is added: an existing operator, commune or contract, demo or real,
    is never overwritten.
    """
    reports = []
    with demo_file("operators-demo.csv") as stream:
        reports.append(await import_operators(engine, stream, keep_existing=True))
    with demo_file("communes-demo.csv") as stream:
        reports.append(await import_communes(engine, stream, keep_existing=True))
    with demo_file("subscribers-demo.csv") as stream:
        reports.append(await import_subscribers(engine, stream, keep_existing=True))
    return reports


def open_csv(path: Path) -> Utf8Lines:
    """Open a CSV file for an import: its lines, each checked as UTF-8 on its own."""
    try:
        return Utf8Lines(path.open("rb"))
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from None
