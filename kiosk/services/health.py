"""Whether the database answers: the kiosk asks while it shows ``Service momentanément
indisponible``, and goes back to the customer once it does."""

from __future__ import annotations

from kiosk.services.context import ServiceContext


class HealthService:
    """The kiosk's question while the database is away: does it answer again?"""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def ping(self) -> None:
        """One cheap round trip to the database.

        Raises:
            ServiceUnavailable: the database cannot be reached.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            await uow.ping()
