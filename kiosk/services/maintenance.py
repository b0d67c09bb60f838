"""Purge: what the installation must not keep."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from kiosk.errors import ServiceUnavailable
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.results import PurgeReport

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

    async def purge(self) -> PurgeReport:
        """Delete, in one transaction, what has outlived its use.

        Pending accounts go once their last activation code has expired (the codes remain a
        while, answered "expired"); codes 30 days after they expired; sessions a day after
        they ended; throttle events once they count for no limit; e-mails sent or abandoned
        after 30 days.
        """
        ctx, now = self.ctx, self.ctx.now()
        async with ctx.unit_of_work() as uow:
            pending_cutoff = now - timedelta(hours=ctx.settings.activation_ttl_hours)
            report = PurgeReport(
                await uow.accounts.delete_pending_expired(pending_cutoff, now),
                await uow.codes.delete_expired_before(now - EXPIRED_CODE_RETENTION),
                await uow.sessions.delete_finished_before(now - FINISHED_SESSION_RETENTION),
                await uow.throttles.delete_before(now - throttles.LONGEST_WINDOW),
                await uow.outbox.delete_done_before(now - DELIVERED_MAIL_RETENTION),
            )
            ctx.record_event(uow, "purge")
            await uow.commit()
        return report
