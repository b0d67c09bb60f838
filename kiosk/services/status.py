"""The installation's state for its operators (``kiosk status``, ``/metrics``), and the
heartbeat that each ``kiosk run`` records so that a kiosk gone dark shows."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from kiosk.domain.errors import ServiceUnavailable, WriteConflict
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.states import AccountStatus, OutboxStatus
from kiosk.services.context import ServiceContext
from kiosk.services.status_report import (
    HEARTBEAT_INTERVAL,
    RECENT,
    AccountFigures,
    EventTotals,
    InstallationStatus,
    KioskLife,
    OutboxFigures,
    SchemaState,
)
from kiosk.services.throttles import COUNTED_BY_THEIR_SERVICE
from kiosk.storage.models import SCHEMA_REVISION

log = logging.getLogger("kiosk.status")

REGISTRATIONS = (AuthEventName.REGISTER, AuthEventName.REGISTER_REPLACED_PENDING)
ACTIVATIONS = (AuthEventName.ACCOUNT_ACTIVATED,)
PASSWORD_RESETS = (AuthEventName.PASSWORD_RESET,)
SIGNIN_FAILURES = (AuthEventName.SIGNIN_FAILED,)
THROTTLED: dict[AuthEventName, Throttle] = {
    **{AuthEventName.throttled(throttle): throttle for throttle in COUNTED_BY_THEIR_SERVICE},
    AuthEventName.REGISTER_MAIL_THROTTLED: Throttle.REGISTRATION_MAIL,
    AuthEventName.ACTIVATION_RESEND_THROTTLED: Throttle.REGISTRATION_MAIL,
    AuthEventName.RESET_THROTTLED: Throttle.RESET_MAIL,
}
"""Auth events of a throttled refusal, and the throttle each names (the label of a metric)."""
_COUNTED = (*REGISTRATIONS, *ACTIVATIONS, *PASSWORD_RESETS, *SIGNIN_FAILURES, *THROTTLED)


class StatusService:
    """Counts and ages read from the database, so that every process tells the same story."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def status(self) -> InstallationStatus:
        """The installation now, from the database alone (read-only).

        Raises:
            ServiceUnavailable: the database cannot be reached.
        """
        now = self.ctx.now()
        since = now - RECENT
        async with self.ctx.unit_of_work(read_only=True, scan=True) as uow:
            schema = SchemaState(await uow.status.schema_revision(), SCHEMA_REVISION)
            if not schema.up_to_date:
                return InstallationStatus(now, schema)
            outbox = await uow.status.outbox(since)
            accounts = await uow.status.accounts_by_status()
            recent = await uow.status.events(REGISTRATIONS + ACTIVATIONS, since)
            totals = await uow.status.events(_COUNTED)
            beats = await uow.status.heartbeats(since)
        return InstallationStatus(
            at=now,
            schema=schema,
            outbox=OutboxFigures(
                queued=outbox.by_status.get(OutboxStatus.PENDING, 0),
                sent=outbox.by_status.get(OutboxStatus.SENT, 0),
                abandoned=outbox.by_status.get(OutboxStatus.ABANDONED, 0),
                sent_24h=outbox.sent_since,
                abandoned_24h=outbox.abandoned_since,
                oldest_queued_age_seconds=_age(now, outbox.oldest_pending_created_at),
            ),
            accounts=AccountFigures(
                active=accounts.get(AccountStatus.ACTIVE, 0),
                pending=accounts.get(AccountStatus.PENDING, 0),
                registrations_24h=sum(recent.get(name, 0) for name in REGISTRATIONS),
                activations_24h=sum(recent.get(name, 0) for name in ACTIVATIONS),
            ),
            kiosks=[
                KioskLife(beat.kiosk_id, (now - beat.beat_at).total_seconds(), beat.started_at)
                for beat in beats
            ],
            totals=EventTotals(
                registrations=sum(totals.get(name, 0) for name in REGISTRATIONS),
                activations=sum(totals.get(name, 0) for name in ACTIVATIONS),
                password_resets=sum(totals.get(name, 0) for name in PASSWORD_RESETS),
                signin_failures=sum(totals.get(name, 0) for name in SIGNIN_FAILURES),
                throttled={limit: totals.get(event, 0) for event, limit in THROTTLED.items()},
            ),
        )


def _age(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds())


class HeartbeatService:
    """This kiosk's sign of life: ``kiosk_heartbeats`` holds its last one."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context
        self.started_at = context.now()

    async def beat(self) -> None:
        """Record that this kiosk (``settings.kiosk_id``) is alive now.

        Raises:
            ServiceUnavailable: the database cannot be reached.
        """
        async with self.ctx.unit_of_work() as uow:
            await uow.heartbeats.beat(self.ctx.settings.kiosk_id, self.ctx.now(), self.started_at)
            await uow.commit()

    async def beat_forever(
        self, interval_seconds: float = HEARTBEAT_INTERVAL.total_seconds()
    ) -> None:
        """Beat now, then every ``interval_seconds``, until cancelled (a kiosk's background)."""
        while True:
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except (ServiceUnavailable, WriteConflict):
                log.warning("heartbeat: not recorded (database away or busy); next in a minute")
            except Exception:
                log.exception("heartbeat failed; will try again")
            await asyncio.sleep(interval_seconds)
