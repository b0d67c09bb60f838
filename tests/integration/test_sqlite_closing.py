"""A SQLite connection whose statement is cancelled twice closes, and leaves no task behind.

Issue 24's hang: a statement cancelled while an app closes makes SQLAlchemy invalidate its
connection; ``terminate()`` starts a graceful close under ``asyncio.shield`` and, cancelled
again, force-closes (aiosqlite's ``stop()``). aiosqlite's own ``close()`` then stopped the
already stopped thread a second time and awaited a future nobody would resolve, absorbing the
one cancellation the event loop's shutdown sends: the loop never closed.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from sqlalchemy import text

from kiosk.storage.engine import create_engine

PATIENCE_S = 10.0
"""How long a closing task may take before the test calls it stuck (it takes milliseconds)."""


async def test_a_statement_cancelled_twice_leaves_no_task_waiting_forever(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kiosk.db'}")
    busy = threading.Event()
    release = threading.Event()
    started = asyncio.Event()
    threads: list[threading.Thread] = []

    async def statement() -> None:
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            threads.append(driver._thread)

            def slow() -> None:  # a statement the connection's thread is running
                busy.set()
                release.wait(PATIENCE_S)

            driver._tx.put_nowait((None, slow))
            started.set()
            await connection.execute(text("SELECT 1"))

    before = asyncio.all_tasks()
    worker = asyncio.create_task(statement())
    await started.wait()
    await asyncio.to_thread(busy.wait, PATIENCE_S)
    worker.cancel()  # the app closing: SQLAlchemy invalidates, terminate() starts its close
    for _ in range(1000):
        await asyncio.sleep(0)
        if asyncio.all_tasks() - before - {asyncio.current_task(), worker}:
            break
    closing = asyncio.all_tasks() - before - {asyncio.current_task(), worker}
    assert closing, "the cancelled statement started no close"
    await asyncio.sleep(0)  # the close has queued its work behind the running statement
    worker.cancel()  # cancelled again while terminate() waits: it force-closes
    # The event loop's shutdown, while the statement still runs: every task cancelled once,
    # then waited for.
    left = asyncio.all_tasks() - before - {asyncio.current_task()}
    for task in left:
        task.cancel()
    release.set()
    _done, stuck = await asyncio.wait(left, timeout=PATIENCE_S)
    await engine.dispose()
    assert worker.cancelled()
    assert [task.get_coro() for task in stuck] == []
    (thread,) = threads
    await asyncio.to_thread(thread.join, PATIENCE_S)
    assert not thread.is_alive()
