"""Commune search and the operator that manages a commune's contracts."""

from __future__ import annotations

from sqlalchemy import case, select

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
        statement = select(Commune.id, Commune.name, Commune.territory)
        if key:
            starts = Commune.search_key.startswith(key, autoescape=True)
            statement = statement.where(Commune.search_key.contains(key, autoescape=True))
            statement = statement.order_by(case((starts, 0), else_=1), Commune.search_key)
        else:
            statement = statement.order_by(Commune.search_key)
        async with self.ctx.unit_of_work(read_only=True) as uow:
            rows = await uow.session.execute(statement.limit(limit))
            return [CommuneChoice(row.id, row.name, row.territory) for row in rows]

    async def describe_operator(self, commune_id: int) -> OperatorInfo:
        """The operator of a commune.

        Raises:
            UnknownCommune.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
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
