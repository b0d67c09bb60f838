"""CSV imports of operators, communes and subscribers (streamed, batched, re-runnable)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import functools
import io
import re
from collections.abc import Awaitable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.rules import has_forbidden_characters, normalise_meter, search_key
from kiosk.storage import reference_data
from kiosk.storage.reference_data import BatchRefused

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

    def reject(self, line: int, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, reason))


def _reader(stream: IO[str], columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Rows of a UTF-8 CSV with the expected header, with their line numbers."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(f"unreadable header: {error}") from None
    header = [name.strip().lstrip("\ufeff") for name in header]
    if tuple(header) != columns:
        raise ImportFileError(f"expected the header {','.join(columns)}, found {','.join(header)}")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            yield reader.line_num, [f"\x00unreadable: {error}"]
            continue
        if row:
            yield reader.line_num, row


def _clean(value: str, what: str, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if has_forbidden_characters(value):
        raise ValueError(f"{what}: forbidden characters")
    if required and not value:
        raise ValueError(f"{what}: empty")
    if len(value) > max_length:
        raise ValueError(f"{what}: longer than {max_length} characters")
    return value


async def _written(write: Awaitable[None]) -> None:
    """Await a batch write; a batch the database refuses ends the import."""
    try:
        await write
    except BatchRefused as error:
        raise ImportFileError(
            f"the database refused a batch ({error}); "
            "the batches before it are imported, this one and the rest are not"
        ) from error


async def import_operators(engine: AsyncEngine, stream: IO[str]) -> ImportReport:
    report = ImportReport()
    rows: dict[str, tuple[str, str, bool, str, str]] = {}
    for line, row in _reader(stream, OPERATOR_COLUMNS):
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
    if rows:
        await _written(reference_data.write_operators(engine, list(rows.values())))
    report.written = len(rows)
    return report


async def import_communes(engine: AsyncEngine, stream: IO[str]) -> ImportReport:
    report = ImportReport()
    known = await reference_data.operator_codes(engine)
    rows: dict[str, tuple[str, str, str, str]] = {}
    for line, row in _reader(stream, COMMUNE_COLUMNS):
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
    if rows:
        await _written(reference_data.write_communes(engine, list(rows.values())))
    report.written = len(rows)
    return report


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
    stream: IO[str], communes: dict[str, int], report: ImportReport
) -> Iterator[tuple[str, str, int, str]]:
    for line, row in _reader(stream, SUBSCRIBER_COLUMNS):
        try:
            yield _subscriber_row(row, communes)
        except ValueError as error:
            report.reject(line, str(error))


async def _write_subscribers(
    engine: AsyncEngine, rows: Iterable[tuple[str, str, int, str]], report: ImportReport
) -> ImportReport:
    """Write ``rows`` in batches; the next batch is parsed while the previous one is written."""
    batch: dict[str, tuple[str, str, int, str]] = {}
    pending: asyncio.Task[None] | None = None

    async def flush() -> None:
        nonlocal pending, batch
        if pending is not None:
            await pending
        written = list(batch.values())
        pending = asyncio.create_task(_written(reference_data.write_subscribers(engine, written)))
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
    return report


async def import_subscribers(engine: AsyncEngine, stream: IO[str]) -> ImportReport:
    """Stream a subscribers extract in batches; re-importing a newer extract updates rows."""
    report = ImportReport()
    communes = await reference_data.commune_ids(engine)
    return await _write_subscribers(engine, _subscriber_rows(stream, communes, report), report)


async def add_synthetic_subscribers(engine: AsyncEngine, count: int) -> ImportReport:
    """``count`` made-up subscribers (contracts from 8000000 up, clear of the demo's)."""
    if count > 2_000_000:
        raise ImportFileError("at most 2,000,000 synthetic subscribers")
    communes = sorted(set((await reference_data.commune_ids(engine)).values()))
    if not communes:
        raise ImportFileError("import the communes first")
    rows = (
        (f"{8_000_000 + i:07d}", f"S{i:09d}", communes[i % len(communes)], f"ABONNÉ {i}")
        for i in range(count)
    )
    return await _write_subscribers(engine, rows, ImportReport())


def demo_file(name: str) -> IO[str]:
    """Open one of the demo CSV files shipped inside the package."""
    path = resources.files("kiosk").joinpath(f"data/{name}")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="")


async def load_demo_data(engine: AsyncEngine) -> list[ImportReport]:
    """Operators, communes and subscribers of the demo (idempotent)."""
    reports = []
    with demo_file("operators-demo.csv") as stream:
        reports.append(await import_operators(engine, stream))
    with demo_file("communes-demo.csv") as stream:
        reports.append(await import_communes(engine, stream))
    with demo_file("subscribers-demo.csv") as stream:
        reports.append(await import_subscribers(engine, stream))
    return reports


def open_csv(path: Path) -> IO[str]:
    try:
        return path.open("r", encoding="utf-8", newline="")
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from None
