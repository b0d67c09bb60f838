"""What every service needs: units of work, the settings, the clock, the hasher, the origin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from kiosk.config import Settings
from kiosk.domain.clock import Clock
from kiosk.domain.errors import ServiceUnavailable, WriteConflict
from kiosk.domain.events import AuthEventName
from kiosk.domain.rules import mask_email
from kiosk.hashing import PasswordHashing
from kiosk.services.device_passes import KioskMemory
from kiosk.storage.unit_of_work import SessionFactory, UnitOfWork

auth_log = logging.getLogger("kiosk.auth")


@dataclass
class ServiceContext:
    """Shared by the services of one process (and, through :meth:`for_origin`, of one origin)."""

    sessions: SessionFactory
    settings: Settings
    clock: Clock
    hashing: PasswordHashing
    origin: str = ""
    """Where the requests come from: the key of the per-terminal throttles and the place
    written in the auth log and on sessions. Empty means this kiosk (``settings.kiosk_id``)."""
    device_memory: KioskMemory | None = field(default_factory=KioskMemory)
    """This kiosk's device passes (:mod:`kiosk.services.device_passes`); None for another
    origin (a web client brings its own, in a cookie)."""

    def __post_init__(self) -> None:
        self.origin = self.origin or self.settings.kiosk_id

    def for_origin(self, origin: str) -> ServiceContext:
        """The same context for requests coming from ``origin`` (shares the hasher and pool)."""
        return replace(self, origin=origin, device_memory=None)

    def unit_of_work(
        self,
        *,
        read_only: bool = False,
        bulk: bool = False,
        scan: bool = False,
        one_read: bool = False,
    ) -> UnitOfWork:
        return UnitOfWork(
            self.sessions, read_only=read_only, bulk=bulk, scan=scan, one_read=one_read
        )

    def now(self) -> datetime:
        return self.clock()

    def record_event(
        self,
        uow: UnitOfWork,
        event: AuthEventName,
        email: str = "",
        account_id: int | None = None,
    ) -> None:
        """Add an auth event to the transaction and write it to the log (e-mail masked)."""
        masked = mask_email(email) if email else ""
        uow.events.add(self.now(), self.origin, event, masked, account_id)
        auth_log.info(
            "event=%s kiosk=%s email=%s",
            event,
            self.origin,
            masked or "-",
            extra={"event": event, "kiosk_id": self.origin, "email": masked},
        )

    async def record_refusal(self, event: AuthEventName) -> None:
        """Write ``event`` (a throttled refusal) in a transaction of its own, best effort:
        the refusal stands whether or not it could be counted."""
        try:
            async with self.unit_of_work() as uow:
                self.record_event(uow, event)
                await uow.commit()
        except (ServiceUnavailable, WriteConflict):
            auth_log.warning("event=%s kiosk=%s not recorded (database)", event, self.origin)
