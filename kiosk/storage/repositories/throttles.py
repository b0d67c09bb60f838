"""Counted attempts, shared by every kiosk through the database; the limits are the services'."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, delete, or_, select

from kiosk.storage.locks import hold_until_commit
from kiosk.storage.models import ThrottleEvent
from kiosk.storage.repositories.base import Link, OneReadLink, Repository


@functools.cache
def _recent_statement(counters: int) -> Select[str, str, datetime]:
    """The events of ``counters`` counters (``scope0``, ``key0``, ``since0``...), latest
    first. Built once for each number of counters: building it cost more than running it."""
    return (
        select(ThrottleEvent.scope, ThrottleEvent.key, ThrottleEvent.at)
        .where(
            or_(
                *(
                    and_(
                        ThrottleEvent.scope == bindparam(f"scope{n}"),
                        ThrottleEvent.key == bindparam(f"key{n}"),
                        ThrottleEvent.at > bindparam(f"since{n}"),
                    )
                    for n in range(counters)
                )
            )
        )
        .order_by(ThrottleEvent.at.desc())
    )


class Counter(NamedTuple):
    """The events of one ``scope`` and ``key`` since ``since``."""

    scope: str
    key: str
    since: datetime


class ThrottleRepository(Repository):
    """The ``throttle_events`` table."""

    def __init__(self, link: Link | OneReadLink, *, read_only: bool) -> None:
        super().__init__(link)
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
        parameters: dict[str, object] = {}
        for n, counter in enumerate(counters):
            parameters |= {f"scope{n}": counter.scope, f"key{n}": counter.key}
            parameters[f"since{n}"] = counter.since
        rows = await self._core_rows(_recent_statement(len(counters)), parameters)
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
