"""Kiosk heartbeats: one row per kiosk id, the last time its ``kiosk run`` said it was alive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from kiosk.storage.models import KioskHeartbeat
from kiosk.storage.repositories.base import Repository


class HeartbeatRepository(Repository):
    """The ``kiosk_heartbeats`` table (written by the kiosk of each id, and only by it)."""

    async def beat(self, kiosk_id: str, now: datetime, started_at: datetime) -> None:
        """Record that ``kiosk_id``, running since ``started_at``, is alive at ``now``."""
        result = await self._session.execute(
            update(KioskHeartbeat)
            .where(KioskHeartbeat.kiosk_id == kiosk_id)
            .values(beat_at=now, started_at=started_at)
        )
        if not getattr(result, "rowcount", 0):
            # Its first beat ever. Only this kiosk writes this row, so no other insert races
            # it (two kiosks given one id would: the unit of work reports a WriteConflict).
            self._session.add(KioskHeartbeat(kiosk_id=kiosk_id, beat_at=now, started_at=started_at))
