"""The agent's way out of kiosk mode: F12 and the agent PIN."""

from __future__ import annotations

import hmac
import logging
from datetime import datetime

from kiosk.config import DEMO_AGENT_PIN
from kiosk.domain.agent_pin import agent_can_leave
from kiosk.domain.errors import ServiceUnavailable, TooManyAttempts
from kiosk.domain.events import AuthEventName
from kiosk.services.context import ServiceContext
from kiosk.services.throttles import signin_lock

log = logging.getLogger("kiosk.auth")


class AgentService:
    """Checks the agent PIN; wrong PINs earn the growing wait of failed sign-ins.

    The count is kept in this kiosk's memory, not in the database: the agent must be able to
    leave a kiosk whose database is away, and a PIN belongs to the terminal it is typed on.
    """

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context
        self._failures = 0
        self._locked_until: datetime | None = None

    async def verify_pin(self, pin: str) -> bool:
        """True when ``pin`` is the agent PIN (argon2 hash from the configuration).

        Without a configured hash, only the demo PIN opens, and only on the embedded default
        with its demo data (``kiosk run`` refuses to start anywhere else without a hash).

        Raises:
            TooManyAttempts: after 5 wrong PINs in a row, for 1 minute, doubling up to 15.
        """
        now = self.ctx.now()
        if self._locked_until is not None and self._locked_until > now:
            raise TooManyAttempts((self._locked_until - now).total_seconds())
        settings = self.ctx.settings
        if not agent_can_leave(settings.agent_pin_hash, settings.demo_pin_allowed):
            ok = False
        elif settings.agent_pin_hash:
            ok = await self.ctx.hashing.verify(settings.agent_pin_hash, pin)
        else:
            ok = hmac.compare_digest(pin.encode(), DEMO_AGENT_PIN.encode())
        if ok:
            self._failures, self._locked_until = 0, None
        else:
            self._failures += 1
            lock = signin_lock(self._failures)
            self._locked_until = now + lock if lock else None
        try:
            async with self.ctx.unit_of_work() as uow:
                event = AuthEventName.AGENT_EXIT if ok else AuthEventName.AGENT_PIN_REFUSED
                self.ctx.record_event(uow, event)
                await uow.commit()
        except ServiceUnavailable:
            # The agent must be able to leave a kiosk whose database is away; the log has it.
            log.warning("agent PIN %s while the database is away", "accepted" if ok else "refused")
        if self._locked_until is not None:
            raise TooManyAttempts((self._locked_until - now).total_seconds())
        return ok
