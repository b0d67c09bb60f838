"""CSV imports of operators, communes and subscribers (streamed, batched, re-runnable): each
file's rows read and checked here, written by :mod:`kiosk.import_batches`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.import_batches import batch_written, count_new_rows, write_subscribers_in_batches
from kiosk.import_rows import ImportFileError, ImportReport, csv_rows
from kiosk.progress import Progress, ProgressCallback, file_progress, ignore_progress
from kiosk.rules import has_forbidden_characters, normalise_meter, search_key
from kiosk.storage import reference_data
from kiosk.utf8_lines import Utf8Lines

OPERATOR_COLUMNS = ("operator_code", "name", "served_here", "phone", "website")
COMMUNE_COLUMNS = ("commune", "territory", "operator_code")
SUBSCRIBER_COLUMNS = ("contract", "meter", "commune", "holder")
_YES = {"yes", "oui", "true", "1", "y", "o"}
_NO = {"no", "non", "false", "0", "n"}

__all__ = [
    "ImportFileError",
    "ImportReport",
    "add_synthetic_subscribers",
    "import_communes",
    "import_operators",
    "import_subscribers",
    "load_demo_data",
    "open_csv",
]


def _clean(value: str, what: str, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if has_forbidden_characters(value):
        raise ValueError(f"{what}: forbidden characters")
    if required and not value:
        raise ValueError(f"{what}: empty")
    if len(value) > max_length:
        raise ValueError(f"{what}: longer than {max_length} characters")
    return value


async def import_operators(
    engine: AsyncEngine,
    stream: Iterable[str],
    *,
    keep_existing: bool = False,
    progress: ProgressCallback = ignore_progress,
) -> ImportReport:
    """Operators by code; an existing code is updated, or left as it is with ``keep_existing``."""
    report = ImportReport()
    reached = file_progress(stream, progress)
    before = await reference_data.row_count(engine, "operators") if keep_existing else 0
    rows: dict[str, tuple[str, str, bool, str, str]] = {}
    for line, row in csv_rows(stream, OPERATOR_COLUMNS, report):
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
    reached(len(rows))
    if rows:
        write = reference_data.write_operators
        await batch_written(write(engine, list(rows.values()), keep_existing=keep_existing))
    report.written = len(rows)
    reached(len(rows))
    if keep_existing:
        await count_new_rows(engine, "operators", before, report)
    return report


async def import_communes(
    engine: AsyncEngine,
    stream: Iterable[str],
    *,
    keep_existing: bool = False,
    progress: ProgressCallback = ignore_progress,
) -> ImportReport:
    """Communes by name; an existing name is updated, or left as it is with ``keep_existing``."""
    report = ImportReport()
    reached = file_progress(stream, progress)
    before = await reference_data.row_count(engine, "communes") if keep_existing else 0
    known = await reference_data.operator_codes(engine)
    rows: dict[str, tuple[str, str, str, str]] = {}
    for line, row in csv_rows(stream, COMMUNE_COLUMNS, report):
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
    reached(len(rows))
    if rows:
        write = reference_data.write_communes
        await batch_written(write(engine, list(rows.values()), keep_existing=keep_existing))
    report.written = len(rows)
    reached(len(rows))
    if keep_existing:
        await count_new_rows(engine, "communes", before, report)
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
    stream: Iterable[str], communes: dict[str, int], report: ImportReport
) -> Iterator[tuple[str, str, int, str]]:
    for line, row in csv_rows(stream, SUBSCRIBER_COLUMNS, report):
        try:
            yield _subscriber_row(row, communes)
        except ValueError as error:
            report.reject(line, str(error))


async def import_subscribers(
    engine: AsyncEngine,
    stream: Iterable[str],
    *,
    keep_existing: bool = False,
    progress: ProgressCallback = ignore_progress,
) -> ImportReport:
    """Stream a subscribers extract in batches; re-importing a newer extract updates rows
    (with ``keep_existing``, rows already there are left as they are)."""
    report = ImportReport()
    communes = await reference_data.commune_ids(engine)
    rows = _subscriber_rows(stream, communes, report)
    reached = file_progress(stream, progress)
    return await write_subscribers_in_batches(
        engine, rows, report, keep_existing=keep_existing, reached=reached
    )


async def add_synthetic_subscribers(
    engine: AsyncEngine, count: int, *, progress: ProgressCallback = ignore_progress
) -> ImportReport:
    """``count`` made-up subscribers (contracts from 8000000 up, clear of the demo's).

    A contract already in the table is never touched: on a real database these numbers may
    be real contracts.
    """
    if count > 2_000_000:
        raise ImportFileError("at most 2,000,000 synthetic subscribers")
    communes = sorted(set((await reference_data.commune_ids(engine)).values()))
    if not communes:
        raise ImportFileError("import the communes first")
    rows = (
        (f"{8_000_000 + i:07d}", f"S{i:09d}", communes[i % len(communes)], f"ABONNÉ {i}")
        for i in range(count)
    )
    return await write_subscribers_in_batches(
        engine,
        rows,
        ImportReport(),
        keep_existing=True,
        reached=lambda handed: progress(Progress(handed, count, handed)),
    )


def demo_file(name: str) -> Utf8Lines:
    """Open one of the demo CSV files shipped inside the package."""
    return Utf8Lines(resources.files("kiosk").joinpath(f"data/{name}").open("rb"))


async def load_demo_data(engine: AsyncEngine) -> list[ImportReport]:
    """Operators, communes, subscribers, invoices and readings of the demo (idempotent).

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
    reports.extend(await load_demo_billing(engine))
    return reports


async def load_demo_billing(engine: AsyncEngine) -> list[ImportReport]:
    """The invoices and meter readings of the demo subscribers (idempotent, nothing
    overwritten)."""
    from kiosk.billing_imports import import_invoices, import_readings

    reports = []
    with demo_file("invoices-demo.csv") as stream:
        reports.append(await import_invoices(engine, stream, keep_existing=True))
    with demo_file("readings-demo.csv") as stream:
        reports.append(await import_readings(engine, stream, keep_existing=True))
    return reports


def open_csv(path: Path) -> Utf8Lines:
    """Open a CSV file for an import: its lines, each checked as UTF-8 on its own."""
    try:
        return Utf8Lines(path.open("rb"))
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from None
