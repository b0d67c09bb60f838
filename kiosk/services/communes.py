"""Commune search and the operator that manages a commune's contracts."""

from __future__ import annotations

import time

from kiosk.domain.errors import UnknownCommune
from kiosk.domain.results import CommuneChoice, OperatorInfo
from kiosk.domain.rules import search_key
from kiosk.services.context import ServiceContext

RECENT_SEARCH_SECONDS = 60.0
"""How long :meth:`CommuneService.search_recent` answers a search from memory."""
RECENT_SEARCHES_KEPT = 2048


class CommuneService:
    """What the Commune screen asks: the communes of a name typed, and who serves one."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context
        self._recent: dict[tuple[str, int], tuple[float, tuple[CommuneChoice, ...]]] = {}
        """Answers of :meth:`search_recent`, by search key and limit: until when, and what."""

    async def search_recent(self, query: str, limit: int = 50) -> tuple[CommuneChoice, ...]:
        """:meth:`search`, answered from memory for a minute.

        The web's commune page asks at every key a customer types, from every browser; the
        communes change only with an import, which the page then shows within a minute.

        Returns:
            The same tuple for the same search while it is kept (a caller may keep what it
            made of it, by identity).
        """
        key, now = (search_key(query.strip()), limit), time.monotonic()
        kept = self._recent.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        choices = tuple(await self.search(query, limit))
        if len(self._recent) >= RECENT_SEARCHES_KEPT:
            self._recent.clear()
        self._recent[key] = (now + RECENT_SEARCH_SECONDS, choices)
        return choices

    async def search(self, query: str, limit: int = 50) -> list[CommuneChoice]:
        """Communes whose name contains ``query``, ignoring case and accents; prefixes first."""
        key = search_key(query.strip())
        # A search reads the whole table (its names contain the key): in the driver's thread.
        async with self.ctx.unit_of_work(read_only=True, scan=True) as uow:
            rows = await uow.communes.search(key, limit)
        return [CommuneChoice(*row) for row in rows]

    async def describe_operator(self, commune_id: int) -> OperatorInfo:
        """The operator of a commune.

        Raises:
            UnknownCommune.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            operator = await uow.communes.operator_of(commune_id)
        if operator is None:
            raise UnknownCommune()
        return OperatorInfo(
            operator.code, operator.name, operator.served_here, operator.phone, operator.website
        )
