"""Counters for the deterministic half of the enumeration checks: argon2 calls and SQL.

The timing of a known and an unknown address is measured on real argon2 by the opt-in
``timing`` tests (``make timing``); the default suite checks what makes the two times equal:
the same number of hashes and verifications, and the same number of SQL statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.hashing import PasswordHashing


class CountingHashing(PasswordHashing):
    """The real hashing (cheap or production parameters), counting each call by its kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: Counter[str] = Counter()

    async def hash(self, password: str) -> str:
        self.calls["hash"] += 1
        return await super().hash(password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        self.calls["verify"] += 1
        return await super().verify(stored_hash, password)


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` while the block runs, first word each."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        statement: str = args[2]
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
