"""Locks held until the transaction ends: how kiosks sharing one database take turns on a key."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def hold_until_commit(session: AsyncSession, *names: str) -> None:
    """Wait for, then hold, one lock per name until the session's transaction ends.

    On PostgreSQL these are transaction-level advisory locks on a 64-bit hash of each name,
    taken in sorted order so that two transactions never wait for each other in a circle.
    On SQLite nothing is needed: write transactions begin IMMEDIATE, one at a time.

    A count that is read and then written (a throttle) is exact only when its readers and
    writers take turns: under READ COMMITTED two kiosks would both count four failures and
    both record the fifth.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))
