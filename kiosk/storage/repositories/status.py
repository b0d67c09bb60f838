"""Read-only figures for the operators (``kiosk status``, ``/metrics``): counts, ages, revision."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from kiosk.domain.states import OutboxStatus
from kiosk.storage.models import Account, AuthEvent, KioskHeartbeat, OutboxMessage
from kiosk.storage.repositories.base import Repository


@dataclass(frozen=True)
class OutboxCounts:
    """The outbox now: messages by state, the recent deliveries and abandons, the oldest wait."""

    by_status: dict[str, int]
    sent_since: int
    abandoned_since: int
    oldest_pending_created_at: datetime | None


@dataclass(frozen=True)
class Heartbeat:
    kiosk_id: str
    beat_at: datetime
    started_at: datetime


class StatusQueries(Repository):
    """Counts over the outbox, accounts, auth events and heartbeats; never writes."""

    async def schema_revision(self) -> str | None:
        """The migration the database is at (None: never migrated, or no table at all)."""
        try:
            async with self._session.begin_nested():
                found = await self._session.scalar(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:
            return None
        return None if found is None else str(found)

    async def outbox(self, since: datetime) -> OutboxCounts:
        """Messages by state, those sent or abandoned since ``since``, the oldest waiting."""
        by_status = {
            str(status): int(count)
            for status, count in await self._session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
        }
        sent = await self._session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at >= since
            )
        )
        abandoned = await self._session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.ABANDONED,
                OutboxMessage.abandoned_at >= since,
            )
        )
        oldest = await self._session.scalar(
            select(func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status == OutboxStatus.PENDING
            )
        )
        return OutboxCounts(by_status, int(sent or 0), int(abandoned or 0), oldest)

    async def accounts_by_status(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(Account.status, func.count()).group_by(Account.status)
        )
        return {str(status): int(count) for status, count in rows}

    async def events(self, names: Collection[str], since: datetime | None = None) -> dict[str, int]:
        """How many auth events of each of ``names`` there are (since ``since``, if given)."""
        query = (
            select(AuthEvent.event, func.count())
            .where(AuthEvent.event.in_(list(names)))
            .group_by(AuthEvent.event)
        )
        if since is not None:
            query = query.where(AuthEvent.at >= since)
        return {str(event): int(count) for event, count in await self._session.execute(query)}

    async def heartbeats(self, since: datetime) -> list[Heartbeat]:
        """The kiosks that beat since ``since``, most recently silent first."""
        rows = await self._session.execute(
            select(KioskHeartbeat.kiosk_id, KioskHeartbeat.beat_at, KioskHeartbeat.started_at)
            .where(KioskHeartbeat.beat_at >= since)
            .order_by(KioskHeartbeat.beat_at, KioskHeartbeat.kiosk_id)
        )
        return [Heartbeat(kiosk_id, beat_at, started_at) for kiosk_id, beat_at, started_at in rows]
