"""Contract + meter check with N subscribers: the service's check beside a bare indexed SELECT.

Usage: python bench/contract_check.py [N] [LOOKUPS]   (default 1,000,000 and 2,000)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.app import GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL, GC_YOUNG_THRESHOLD
from kiosk.config import Settings
from kiosk.domain.errors import OperatorNotServed
from kiosk.runtime import build_runtime, initialise_database


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


async def kiosk_checks(folder: Path, count: int, lookups: int) -> tuple[list[float], Path]:
    settings = Settings(data_dir=folder, secret_key="x" * 32, kiosk_id="bench")
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
        await runtime.imports.add_synthetic_subscribers(count)
        communes = {c.id for c in await runtime.services.communes.search("")}
        registration = runtime.services.registration
        rng = random.Random(1)
        samples = []
        async with runtime.engine.connect() as connection:
            rows = (
                await connection.exec_driver_sql(
                    "SELECT contract, meter, commune_id FROM subscribers "
                    "WHERE contract >= '8000000'"
                )
            ).all()
        picks: list[tuple[str, str, int]] = [
            tuple(rows[rng.randrange(len(rows))]) for _ in range(lookups)
        ]
        assert communes
        # As in the kiosk process (KioskApp manage_garbage): start-up frozen, no automatic
        # full collection in the middle of a customer's request.
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL)
        for contract, meter, commune_id in picks:
            started = time.perf_counter()
            with contextlib.suppress(OperatorNotServed):  # some communes are not served
                await registration.verify_contract(commune_id, contract, meter)
            samples.append(time.perf_counter() - started)
        return samples, Path(runtime.settings.resolved_database_url.split("///", 1)[1])
    finally:
        await runtime.close()


def bare_selects(db_path: Path, lookups: int) -> list[float]:
    connection = sqlite3.connect(db_path)
    rng = random.Random(2)
    contracts = [f"{8_000_000 + rng.randrange(1_000_000):07d}" for _ in range(lookups)]
    samples = []
    for contract in contracts:
        started = time.perf_counter()
        connection.execute(
            "SELECT meter, commune_id FROM subscribers WHERE contract = ?", (contract,)
        ).fetchone()
        samples.append(time.perf_counter() - started)
    connection.close()
    return samples


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lookups = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        ours, db_path = asyncio.run(kiosk_checks(Path(tmp), count, lookups))
        bare = bare_selects(db_path, lookups)
    (o50, o99), (b50, b99) = percentiles(ours), percentiles(bare)
    print(f"contract + meter check, {count:,} subscribers, {lookups:,} lookups (SQLite)")
    print(f"  anchor, bare indexed SELECT (sqlite3): p50 {b50:.3f} ms, p99 {b99:.3f} ms")
    print(
        f"  kiosk verify_contract (one statement, async): p50 {o50:.3f} ms, "
        f"p99 {o99:.3f} ms (target p99 < 2 ms)"
    )
    print(f"  ratio p50 {o50 / b50:.0f}x, p99 {o99 / b99:.0f}x the anchor")


if __name__ == "__main__":
    main()
