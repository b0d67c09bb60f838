"""Import of N subscribers: the kiosk's importer beside a plain sqlite3 executemany anchor.

Usage: python bench/import_rate.py [N] [--progress]   (default 1,000,000)

With ``--progress``: the kiosk's import without and with the command line's progress bar,
alternated, median of 3 each (the bar may not cost more than 2% of the rate). The bar is drawn
on standard error when it is a terminal, else on a terminal console writing to /dev/null, so
that its drawing is paid for either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from argon2.profiles import CHEAPEST
from rich.console import Console

from kiosk.cli.progress import ProgressBar
from kiosk.config import Settings
from kiosk.domain.progress import Progress, ProgressCallback, ignore_progress
from kiosk.runtime import build_runtime
from kiosk.services.imports import open_csv
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


def terminal() -> Console:
    """Standard error when it is a terminal; else a terminal console that writes nowhere."""
    if sys.stderr.isatty():
        return Console(stderr=True)
    return Console(file=open(os.devnull, "w"), force_terminal=True, width=100)


class TimedBar(ProgressBar):
    """The command line's bar, with the time spent drawing it (start, updates, stop) added up."""

    drawing = 0.0
    calls = 0

    def __enter__(self) -> ProgressCallback:
        started = time.perf_counter()
        try:
            return super().__enter__()
        finally:
            TimedBar.drawing += time.perf_counter() - started

    def update(self, progress: Progress) -> None:
        started = time.perf_counter()
        super().update(progress)
        TimedBar.drawing += time.perf_counter() - started
        TimedBar.calls += 1

    def __exit__(self, *exc: Any) -> None:
        started = time.perf_counter()
        super().__exit__(*exc)
        TimedBar.drawing += time.perf_counter() - started


async def kiosk_import(csv_path: Path, folder: Path, *, bar: bool = False) -> tuple[float, float]:
    """Import ``csv_path`` into a fresh database; returns the wall-clock and the CPU seconds
    (of every thread of the process: the CPU time is what another process's load leaves alone)."""
    settings = Settings(data_dir=folder, secret_key="x" * 32)
    runtime = build_runtime(settings, hash_parameters=CHEAPEST)  # the import hashes nothing
    engine = runtime.engine
    try:
        await upgrade_database(engine)
        await runtime.imports.load_demo_data()
        started, cpu_started = time.perf_counter(), time.process_time()
        with contextlib.ExitStack() as stack:
            stream = stack.enter_context(open_csv(csv_path))
            progress: ProgressCallback = ignore_progress
            if bar:
                progress = stack.enter_context(TimedBar(csv_path.name, console=terminal()))
            report = await runtime.imports.import_subscribers(stream, progress=progress)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        assert report.skipped == 0, report.errors
        return elapsed, cpu
    finally:
        await runtime.close()


def with_and_without_the_bar(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "subscribers.csv"
        write_csv(csv_path, count)
        plain: list[tuple[float, float]] = []
        drawn: list[tuple[float, float]] = []
        for run in range(RUNS):
            # Alternated, and in turn first: the second import of a pair pays for the
            # kernel writing the first one's million rows back to disk.
            order = (False, True) if run % 2 == 0 else (True, False)
            for bar in order:
                timing = asyncio.run(kiosk_import(csv_path, folder / f"{bar}{run}", bar=bar))
                (drawn if bar else plain).append(timing)
    print(f"import of {count:,} subscribers (SQLite), progress bar, median of {RUNS} runs each")
    for what, index in (("wall clock", 0), ("CPU time", 1)):
        without = count / statistics.median(t[index] for t in plain)
        with_bar = count / statistics.median(t[index] for t in drawn)
        print(f"  {what}:")
        print(f"    without the bar: {without:12,.0f} rows/s  {_seconds(plain, index)}")
        print(f"    with the bar:    {with_bar:12,.0f} rows/s  {_seconds(drawn, index)}")
        print(f"    change: {(with_bar / without - 1) * 100:+.1f}% (limit -2%)")
    share = TimedBar.drawing / sum(t[0] for t in drawn) * 100
    print(
        f"  drawing the bar: {TimedBar.drawing * 1000 / RUNS:.1f} ms per import "
        f"({TimedBar.calls // RUNS} updates), {share:.2f}% of its time"
    )


def _seconds(times: list[tuple[float, float]], index: int) -> str:
    return "(" + ", ".join(f"{t[index]:.2f}" for t in times) + " s)"


def main() -> None:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(arguments[0]) if arguments else 1_000_000
    if "--progress" in sys.argv:
        with_and_without_the_bar(count)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "subscribers.csv"
        write_csv(csv_path, count)
        raws, ourses = [], []
        for run in range(RUNS):  # alternated: the machine's drift touches both alike
            raws.append(raw_sqlite(csv_path, folder / f"raw{run}.db"))
            ourses.append(asyncio.run(kiosk_import(csv_path, folder / f"kiosk{run}"))[0])
        raw, ours = statistics.median(raws), statistics.median(ourses)
    print(f"import of {count:,} subscribers (SQLite), median of {RUNS} runs each")
    print(f"  anchor, sqlite3 executemany: {count / raw:12,.0f} rows/s  ({raw:.2f} s)")
    print(f"  kiosk import-subscribers:    {count / ours:12,.0f} rows/s  ({ours:.2f} s)")
    print(f"  ratio: {raw / ours:.2f}x the anchor's rate (target >= 0.5x)")


if __name__ == "__main__":
    main()
