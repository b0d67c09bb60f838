"""Purge: what the installation must not keep."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from kiosk.domain.errors import ServiceUnavailable
from kiosk.domain.events import AuthEventName
from kiosk.domain.progress import Progress, ProgressCallback, ignore_progress
from kiosk.domain.results import PurgeReport
from kiosk.services import throttles
from kiosk.services.context import ServiceContext

log = logging.getLogger("kiosk.maintenance")

EXPIRED_CODE_RETENTION = timedelta(days=30)
"""An expired code is still answered "expired, start again" for this long."""
FINISHED_SESSION_RETENTION = timedelta(days=1)
DELIVERED_MAIL_RETENTION = timedelta(days=30)


class MaintenanceService:
    """The purge of SPEC §6: expired pending accounts, old codes, sessions, throttles and mail."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def purge_forever(self, interval_seconds: float = 3600.0) -> None:
        """Purge now, then every ``interval_seconds``, until cancelled (a kiosk's background)."""
        while True:
            try:
                report = await self.purge()
                log.info("purge: %s", report)
            except asyncio.CancelledError:
                raise
            except ServiceUnavailable:
                log.warning("purge: the database does not answer; next purge in an hour")
            except Exception:
                log.exception("purge failed; will try again")
            await asyncio.sleep(interval_seconds)

    async def purge(self, progress: ProgressCallback = ignore_progress) -> PurgeReport:
        """Delete, in one transaction, what has outlived its use.

        Pending accounts go once their last activation code has expired (the codes remain a
        while, answered "expired"); codes 30 days after they expired; sessions a day after
        they ended; throttle events once they count for no limit; e-mails sent or abandoned
        after 30 days; the web's registration drafts once their 30 minutes are up.

        Args:
            progress: told after each of the six deletions (rows deleted so far).
        """
        ctx, now = self.ctx, self.ctx.now()
        async with ctx.unit_of_work(scan=True) as uow:
            pending_cutoff = now - timedelta(hours=ctx.settings.activation_ttl_hours)
            steps: tuple[Callable[[], Awaitable[int]], ...] = (
                lambda: uow.accounts.delete_pending_expired(pending_cutoff, now),
                lambda: uow.codes.delete_expired_before(now - EXPIRED_CODE_RETENTION),
                lambda: uow.sessions.delete_finished_before(now - FINISHED_SESSION_RETENTION),
                lambda: uow.throttles.delete_before(now - throttles.LONGEST_WINDOW),
                lambda: uow.outbox.delete_done_before(now - DELIVERED_MAIL_RETENTION),
                lambda: uow.drafts.delete_expired(now),
            )
            deleted: list[int] = []
            progress(Progress(0, len(steps), 0))
            for step in steps:
                deleted.append(await step())
                progress(Progress(len(deleted), len(steps), sum(deleted)))
            ctx.record_event(uow, AuthEventName.PURGE)
            await uow.commit()
        return PurgeReport(*deleted)
