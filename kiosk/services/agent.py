"""The agent's way out of kiosk mode: F12 and the agent PIN."""

from __future__ import annotations

import hmac
import logging

from kiosk.config import DEMO_AGENT_PIN
from kiosk.errors import ServiceUnavailable
from kiosk.services.context import ServiceContext

log = logging.getLogger("kiosk.auth")


class AgentService:
    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def verify_pin(self, pin: str) -> bool:
        """True when ``pin`` is the agent PIN (argon2 hash from the configuration).

        Without a configured hash, only the demo PIN opens, and only on the embedded default.
        """
        settings = self.ctx.settings
        if settings.agent_pin_hash:
            ok = await self.ctx.hashing.verify(settings.agent_pin_hash, pin)
        else:
            ok = settings.embedded and hmac.compare_digest(pin.encode(), DEMO_AGENT_PIN.encode())
        try:
            async with self.ctx.unit_of_work() as uow:
                self.ctx.record_event(uow, "agent_exit" if ok else "agent_pin_refused")
                await uow.commit()
        except ServiceUnavailable:
            # The agent must be able to leave a kiosk whose database is away; the log has it.
            log.warning("agent PIN %s while the database is away", "accepted" if ok else "refused")
        return ok
