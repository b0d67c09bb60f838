"""Counted attempts, shared by every kiosk through the database; the limits are the services'."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kiosk.storage.locks import hold_until_commit
from kiosk.storage.models import ThrottleEvent


class Counter(NamedTuple):
    """The events of one ``scope`` and ``key`` since ``since``."""

    scope: str
    key: str
    since: datetime


class ThrottleRepository:
    """The ``throttle_events`` table."""

    def __init__(self, session: AsyncSession, *, read_only: bool) -> None:
        self._session = session
        self._read_only = read_only

    async def take_turn(self, *counters: tuple[str, str]) -> None:
        """In a unit of work that may record, wait for the others counting the same
        (scope, key), until the transaction ends.

        Without it, on PostgreSQL (READ COMMITTED) two kiosks read the same count at once and
        both record past the limit. A read-only unit records nothing and takes no turn.
        """
        if not self._read_only:
            await hold_until_commit(
                self._session, *(f"throttle:{scope}:{key}" for scope, key in counters)
            )

    async def recent(self, counters: list[Counter]) -> dict[tuple[str, str], list[datetime]]:
        """The times of the events of each counter, latest first, in one query (columns
        only: a Core statement on the unit's connection, without the ORM's execution)."""
        connection = await self._session.connection()
        rows = await connection.execute(
            select(ThrottleEvent.scope, ThrottleEvent.key, ThrottleEvent.at)
            .where(
                or_(
                    *(
                        and_(
                            ThrottleEvent.scope == counter.scope,
                            ThrottleEvent.key == counter.key,
                            ThrottleEvent.at > counter.since,
                        )
                        for counter in counters
                    )
                )
            )
            .order_by(ThrottleEvent.at.desc())
        )
        recent: dict[tuple[str, str], list[datetime]] = {}
        for scope, key, at in rows:
            recent.setdefault((scope, key), []).append(at)
        return recent

    async def times(self, counter: Counter) -> list[datetime]:
        """The times of the events of one counter, latest first."""
        return list(
            await self._session.scalars(
                select(ThrottleEvent.at)
                .where(
                    ThrottleEvent.scope == counter.scope,
                    ThrottleEvent.key == counter.key,
                    ThrottleEvent.at > counter.since,
                )
                .order_by(ThrottleEvent.at.desc())
            )
        )

    def record(self, scope: str, key: str, at: datetime) -> None:
        """Count one event (committed with the unit of work)."""
        self._session.add(ThrottleEvent(scope=scope, key=key, at=at))

    async def clear(self, scope: str, key: str) -> None:
        """Forget every event of ``scope`` and ``key``."""
        await self._session.execute(
            delete(ThrottleEvent).where(ThrottleEvent.scope == scope, ThrottleEvent.key == key)
        )

    async def delete_before(self, cutoff: datetime) -> int:
        """Delete the events older than ``cutoff``; returns how many."""
        result = await self._session.execute(
            delete(ThrottleEvent).where(ThrottleEvent.at <= cutoff)
        )
        return int(getattr(result, "rowcount", 0))
