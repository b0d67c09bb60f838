"""Commune search and the operator that manages a commune's contracts."""

from __future__ import annotations

from kiosk.domain.errors import UnknownCommune
from kiosk.domain.results import CommuneChoice, OperatorInfo
from kiosk.domain.rules import search_key
from kiosk.services.context import ServiceContext


class CommuneService:
    """What the Commune screen asks: the communes of a name typed, and who serves one."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def search(self, query: str, limit: int = 50) -> list[CommuneChoice]:
        """Communes whose name contains ``query``, ignoring case and accents; prefixes first."""
        key = search_key(query.strip())
        async with self.ctx.unit_of_work(read_only=True) as uow:
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
