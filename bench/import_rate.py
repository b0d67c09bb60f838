"""Import of N subscribers: the kiosk's importer beside a plain sqlite3 executemany anchor.

Usage: python bench/import_rate.py [N]   (default 1,000,000)
"""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.config import Settings
from kiosk.imports import import_subscribers, load_demo_data
from kiosk.storage.engine import create_engine
from kiosk.storage.migrate import upgrade_database

RUNS = 3
COMMUNES = ["Velaux", "Marseille", "Aix-en-Provence", "La Ciotat", "Istres", "Vitrolles"]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["contract", "meter", "commune", "holder"])
        for i in range(count):
            writer.writerow([f"{8_000_000 + i:07d}", f"S{i:09d}", COMMUNES[i % 6], f"ABONNÉ {i}"])


def raw_sqlite(csv_path: Path, db_path: Path) -> float:
    """The anchor: csv.reader straight into executemany, same table shape, same unique key."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE subscribers (id INTEGER PRIMARY KEY, contract VARCHAR(7) UNIQUE, "
        "meter VARCHAR(20), commune VARCHAR(120), holder VARCHAR(200))"
    )
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        with connection:
            connection.executemany(
                "INSERT INTO subscribers (contract, meter, commune, holder) VALUES (?, ?, ?, ?)",
                reader,
            )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


async def kiosk_import(csv_path: Path, folder: Path) -> float:
    settings = Settings(data_dir=folder, secret_key="x" * 32)
    engine = create_engine(settings.resolved_database_url)
    try:
        await upgrade_database(engine)
        await load_demo_data(engine)
        started = time.perf_counter()
        with csv_path.open(newline="", encoding="utf-8") as stream:
            report = await import_subscribers(engine, stream)
        elapsed = time.perf_counter() - started
        assert report.skipped == 0, report.errors
        return elapsed
    finally:
        await engine.dispose()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "subscribers.csv"
        write_csv(csv_path, count)
        raws, ourses = [], []
        for run in range(RUNS):  # alternated: the machine's drift touches both alike
            raws.append(raw_sqlite(csv_path, folder / f"raw{run}.db"))
            ourses.append(asyncio.run(kiosk_import(csv_path, folder / f"kiosk{run}")))
        raw, ours = statistics.median(raws), statistics.median(ourses)
    print(f"import of {count:,} subscribers (SQLite), median of {RUNS} runs each")
    print(f"  anchor, sqlite3 executemany: {count / raw:12,.0f} rows/s  ({raw:.2f} s)")
    print(f"  kiosk import-subscribers:    {count / ours:12,.0f} rows/s  ({ours:.2f} s)")
    print(f"  ratio: {raw / ours:.2f}x the anchor's rate (target >= 0.5x)")


if __name__ == "__main__":
    main()
