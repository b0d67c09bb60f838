"""Kiosk processes racing on one SQLite file: one pending account, one redemption, no lock."""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from kiosk.runtime import Runtime
from kiosk.storage.models import Account, Code, OutboxMessage
from tests.support.clock import MovableClock
from tests.support.demo import register_demo
from tests.support.mail import SmtpSink, read_code

ROOT = Path(__file__).resolve().parents[2]


def spawn(data_dir: Path, kiosk_id: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.kiosk_process", str(data_dir), kiosk_id, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def results(processes: list[subprocess.Popen[str]]) -> list[dict[str, object]]:
    found = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-2000:]
        found.append(json.loads(out.strip().splitlines()[-1]))
    return found


async def count(runtime: Runtime, model: type[Account] | type[Code] | type[OutboxMessage]) -> int:
    async with runtime.engine.connect() as connection:
        value = await connection.scalar(select(func.count()).select_from(model))
        return int(value or 0)


async def test_same_contract_at_the_same_moment_gives_one_pending_account(
    runtime: Runtime,
) -> None:
    await count(runtime, Account)  # the file exists, with its schema and demo data
    data_dir = runtime.settings.data_dir
    start_at = time.time() + 3
    found = results(
        [spawn(data_dir, f"kiosk-{n}", "register-same", str(start_at)) for n in range(4)]
    )
    assert [r["ok"] for r in found] == [1, 1, 1, 1], found  # every customer sees success
    assert await count(runtime, Account) == 1
    async with runtime.engine.connect() as connection:
        live = await connection.scalar(
            select(func.count()).select_from(Code).where(Code.cancelled_at.is_(None))
        )
    assert live == 1  # only the last registration's code still works


async def test_same_code_redeemed_at_the_same_moment_succeeds_once(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    clock.now = datetime.now(UTC)  # the kiosk processes read the system clock
    await register_demo(runtime.services)
    await runtime.worker.deliver_all_due()
    code = read_code((await smtp.wait_for(1))[0])
    start_at = time.time() + 3
    found = results(
        [
            spawn(runtime.settings.data_dir, f"kiosk-{n}", "redeem", code, str(start_at))
            for n in range(4)
        ]
    )
    assert sum(int(str(r["ok"])) for r in found) == 1, found
    losers = [r["errors"] for r in found if r["ok"] == 0]
    assert losers == [{"CodeInvalid": 1}] * 3


async def test_eight_kiosks_fifty_registrations_each_all_land(runtime: Runtime) -> None:
    rows = "".join(f"{8_000_000 + n:07d},S{n:09d},Velaux,H{n}\n" for n in range(400))
    await runtime.imports.import_subscribers(io.StringIO("contract,meter,commune,holder\n" + rows))
    processes = [
        spawn(runtime.settings.data_dir, f"kiosk-{k}", "register-many", str(k * 50), "50")
        for k in range(8)
    ]
    found = await asyncio.to_thread(results, processes)
    assert [r["ok"] for r in found] == [50] * 8, found
    assert all(r["errors"] == {} for r in found)  # never "database is locked"
    assert await count(runtime, Account) == 400
    assert await count(runtime, OutboxMessage) == 400


async def test_killed_kiosk_leaves_a_consistent_database(runtime: Runtime) -> None:
    await count(runtime, Account)
    data_dir = runtime.settings.data_dir
    db_path = data_dir / "kiosk.db"
    rng = random.Random(20261126)
    kills = 0
    for _ in range(50):
        process = spawn(data_dir, "kiosk-killed", "register-loop")
        assert process.stdout is not None
        first = process.stdout.readline()  # one registration done: the loop is running
        assert first.startswith("registered"), first
        time.sleep(rng.random() * 0.03)  # then somewhere inside one of the next ones
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        connection = sqlite3.connect(db_path)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            orphans = connection.execute(
                "SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM codes c "
                "WHERE c.account_id = a.id AND c.purpose = 'activation' "
                "AND c.cancelled_at IS NULL)"
            ).fetchone()
            pending_accounts, outbox = connection.execute(
                "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM outbox)"
            ).fetchone()
        finally:
            connection.close()
        assert orphans == (0,)
        assert outbox >= pending_accounts
    assert kills == 50
    assert await count(runtime, Account) == 1
