"""Purge: what the installation must not keep."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import delete, or_

from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.results import PurgeReport
from kiosk.states import AccountStatus, OutboxStatus
from kiosk.storage.faults import is_database_unreachable
from kiosk.storage.models import Account, Code, OutboxMessage, Session, ThrottleEvent

log = logging.getLogger("kiosk.maintenance")

EXPIRED_CODE_RETENTION = timedelta(days=30)
"""An expired code is still answered "expired, start again" for this long."""
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
            except Exception as error:
                if is_database_unreachable(error):
                    log.warning("purge: the database does not answer; next purge in an hour")
                else:
                    log.exception("purge failed; will try again")
            await asyncio.sleep(interval_seconds)

    async def purge(self) -> PurgeReport:
        now = self.ctx.now()
        async with self.ctx.unit_of_work() as uow:
            session = uow.session
            # Pending accounts whose activation delay has passed (their codes remain, and
            # are answered "expired" for a while).
            pending_cutoff = now - timedelta(hours=self.ctx.settings.activation_ttl_hours)
            pending = await session.execute(
                delete(Account).where(
                    Account.status == AccountStatus.PENDING, Account.created_at <= pending_cutoff
                )
            )
            old_codes = await session.execute(
                delete(Code).where(Code.expires_at <= now - EXPIRED_CODE_RETENTION)
            )
            old_sessions = await session.execute(
                delete(Session).where(
                    or_(
                        Session.expires_at <= now - timedelta(days=1),
                        Session.ended_at <= now - timedelta(days=1),
                    )
                )
            )
            old_events = await session.execute(
                delete(ThrottleEvent).where(ThrottleEvent.at <= now - throttles.LONGEST_WINDOW)
            )
            old_mail = await session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status != OutboxStatus.PENDING,
                    OutboxMessage.created_at <= now - DELIVERED_MAIL_RETENTION,
                )
            )
            self.ctx.record_event(uow, "purge")
            await uow.commit()
        return PurgeReport(
            *(
                int(getattr(r, "rowcount", 0))
                for r in (pending, old_codes, old_sessions, old_events, old_mail)
            ),
        )
