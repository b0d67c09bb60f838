"""The dashboard's services at N invoices (SPEC §9): the invoices import beside a plain sqlite3
executemany anchor, then the invoices and consumption queries of a signed-in customer beside a
bare indexed SELECT.

Usage: python bench/billing.py [N] [LOOKUPS]   (default 1,000,000 and 2,000)
"""

from __future__ import annotations

import asyncio
import csv
import gc
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from kiosk.app import GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL, GC_YOUNG_THRESHOLD
from kiosk.config import Settings
from kiosk.domain.billing_rows import INVOICE_COLUMNS
from kiosk.runtime import build_runtime, initialise_database
from kiosk.services import RegistrationRequest
from kiosk.services.imports import open_csv

RUNS = 3
HALF_YEARS = [
    ("2023-07-01", "2023-12-31", "2024-01-15", "2024-02-14"),
    ("2024-01-01", "2024-06-30", "2024-07-15", "2024-08-14"),
    ("2024-07-01", "2024-12-31", "2025-01-15", "2025-02-14"),
    ("2025-01-01", "2025-06-30", "2025-07-15", "2025-08-14"),
    ("2025-07-01", "2025-12-31", "2026-01-15", "2026-02-14"),
    ("2026-01-01", "2026-06-30", "2026-07-15", "2026-08-14"),
]
"""Six half-years per synthetic contract, as in the demo."""


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(INVOICE_COLUMNS)
        for i in range(count):
            start, end, issued, due = HALF_YEARS[i % 6]
            volume = 30 + i % 17
            excl = f"{volume * 4.12:.2f}"
            incl = f"{volume * 4.35:.2f}"
            status = "payee" if i % 6 < 5 else "a_payer"
            contract = f"{8_000_000 + i // 6:07d}"
            writer.writerow(
                [contract, f"B{i:09d}", issued, start, end, volume, excl, incl, due, status]
            )


def raw_sqlite(csv_path: Path, db_path: Path) -> float:
    """The anchor: csv.reader straight into executemany, same table, keys and index."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, number VARCHAR(30) UNIQUE, "
        "contract VARCHAR(7), issued_on DATE, period_start DATE, period_end DATE, "
        "volume_m3 INTEGER, amount_excl_tax NUMERIC(12, 2), amount_incl_tax NUMERIC(12, 2), "
        "due_on DATE, status VARCHAR(10))"
    )
    connection.execute("CREATE INDEX ix_invoices_contract_issued ON invoices (contract, issued_on)")
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        with connection:
            connection.executemany(
                "INSERT INTO invoices (contract, number, issued_on, period_start, period_end, "
                "volume_m3, amount_excl_tax, amount_incl_tax, due_on, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                reader,
            )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def settings_for(folder: Path) -> Settings:
    return Settings(data_dir=folder, secret_key="x" * 32, kiosk_id="bench")


async def kiosk_import(csv_path: Path, folder: Path) -> float:
    """``kiosk import-invoices`` into a fresh database (schema and demo data first)."""
    runtime = build_runtime(settings_for(folder))
    try:
        await initialise_database(runtime)
        started = time.perf_counter()
        with open_csv(csv_path) as stream:
            report = await runtime.billing_imports.import_invoices(stream)
        elapsed = time.perf_counter() - started
        assert report.skipped == 0, report.errors
        return elapsed
    finally:
        await runtime.close()


async def signed_in(folder: Path) -> str:
    """The demo customer of Velaux registered, activated from the maildir's code: a session."""
    runtime = build_runtime(settings_for(folder))
    try:
        services = runtime.services
        [velaux] = await services.communes.search("velaux")
        password = "Velaux#Source42"
        await services.registration.register(
            RegistrationRequest(
                velaux.id,
                "Dupont",
                "Marie",
                "marie@example.fr",
                password,
                password,
                "1234567",
                "A12B345678",
            )
        )
        await runtime.worker.deliver_all_due()
        mail = next((folder / "mail" / "new").iterdir()).read_text()
        found = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", mail)
        assert found is not None
        redeemed = await services.redemption.redeem(found.group(0))
        assert redeemed.session is not None
        return redeemed.session.token
    finally:
        await runtime.close()


async def kiosk_queries(folder: Path, token: str, lookups: int) -> dict[str, list[float]]:
    runtime = build_runtime(settings_for(folder))
    try:
        billing = runtime.services.billing
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "invoices": lambda: billing.invoices(token),
            "consumption": lambda: billing.consumption(token),
        }
        for call in calls.values():  # warm-up: connections, compiled statements
            for _ in range(20):
                await call()
        # As in the kiosk process (KioskApp manage_garbage).
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL)
        samples: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(lookups):
            for name, call in calls.items():
                started = time.perf_counter()
                answer = await call()
                samples[name].append(time.perf_counter() - started)
                assert len(answer) == 6
        return samples
    finally:
        await runtime.close()


def bare_selects(db_path: Path, lookups: int) -> list[float]:
    connection = sqlite3.connect(db_path)
    samples = []
    for _ in range(lookups):
        started = time.perf_counter()
        rows = connection.execute(
            "SELECT * FROM invoices WHERE contract = ? ORDER BY issued_on DESC", ("1234567",)
        ).fetchall()
        samples.append(time.perf_counter() - started)
        assert len(rows) == 6
    connection.close()
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lookups = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "invoices.csv"
        write_csv(csv_path, count)
        raws, ourses = [], []
        for run in range(RUNS):  # alternated: the machine's drift touches both alike
            raws.append(raw_sqlite(csv_path, folder / f"raw{run}.db"))
            ourses.append(asyncio.run(kiosk_import(csv_path, folder / f"kiosk{run}")))
        raw, ours = statistics.median(raws), statistics.median(ourses)
        kiosk_folder = folder / f"kiosk{RUNS - 1}"
        token = asyncio.run(signed_in(kiosk_folder))
        samples = asyncio.run(kiosk_queries(kiosk_folder, token, lookups))
        bare = bare_selects(kiosk_folder / "kiosk.db", lookups)
    print(f"import of {count:,} invoices (SQLite), median of {RUNS} runs each")
    print(f"  anchor, sqlite3 executemany: {count / raw:12,.0f} rows/s  ({raw:.2f} s)")
    print(f"  kiosk import-invoices:       {count / ours:12,.0f} rows/s  ({ours:.2f} s)")
    print(f"  ratio: {raw / ours:.2f}x the anchor's rate (target >= 0.5x)")
    b50, b99 = percentiles(bare)
    print(f"billing queries, {count + 42:,} invoices, {lookups:,} lookups each (SQLite)")
    print(f"  anchor, bare indexed SELECT (sqlite3): p50 {b50:.3f} ms, p99 {b99:.3f} ms")
    for name, timings in samples.items():
        o50, o99 = percentiles(timings)
        print(
            f"  kiosk billing.{name} (session, query, results): p50 {o50:.3f} ms, "
            f"p99 {o99:.3f} ms (target p99 < 2 ms)"
        )


if __name__ == "__main__":
    main()
