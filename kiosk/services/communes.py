"""Commune search and the operator that manages a commune's contracts."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.errors import UnknownCommune
from kiosk.rules import search_key
from kiosk.services.context import ServiceContext
from kiosk.services.results import CommuneChoice, OperatorInfo
from kiosk.storage.models import Commune, Operator


class CommuneService:
    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def search(self, query: str, limit: int = 50) -> list[CommuneChoice]:
        """Communes whose name contains ``query``, ignoring case and accents; prefixes first."""
        key = search_key(query.strip())
        async with self.ctx.unit_of_work() as uow:
            rows = await uow.session.scalars(select(Commune).order_by(Commune.search_key))
            communes = list(rows)
        if key:
            communes = [c for c in communes if key in c.search_key]
            communes.sort(key=lambda c: (not c.search_key.startswith(key), c.search_key))
        return [CommuneChoice(c.id, c.name, c.territory) for c in communes[:limit]]

    async def describe_operator(self, commune_id: int) -> OperatorInfo:
        """The operator of a commune.

        Raises:
            UnknownCommune.
        """
        async with self.ctx.unit_of_work() as uow:
            operator = await uow.session.scalar(
                select(Operator)
                .join(Commune, Commune.operator_code == Operator.code)
                .where(Commune.id == commune_id)
            )
        if operator is None:
            raise UnknownCommune()
        return OperatorInfo(
            operator.code, operator.name, operator.served_here, operator.phone, operator.website
        )
