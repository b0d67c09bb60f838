"""Communes and the operators that manage their contracts."""

from __future__ import annotations

from sqlalchemy import case, select

from kiosk.storage.models import Commune, Operator
from kiosk.storage.repositories.base import Repository


class CommuneRepository(Repository):
    """The ``communes`` and ``operators`` tables (read only: the imports write them)."""

    async def search(self, key: str, limit: int) -> list[tuple[int, str, str]]:
        """(id, name, territory) of the communes whose search key contains ``key``, those that
        start with it first, then in the order of the key (all of them for an empty key)."""
        statement = select(Commune.id, Commune.name, Commune.territory)
        if key:
            starts = Commune.search_key.startswith(key, autoescape=True)
            statement = statement.where(Commune.search_key.contains(key, autoescape=True))
            statement = statement.order_by(case((starts, 0), else_=1), Commune.search_key)
        else:
            statement = statement.order_by(Commune.search_key)
        rows = await self._session.execute(statement.limit(limit))
        return [(row.id, row.name, row.territory) for row in rows]

    async def by_id(self, commune_id: int) -> tuple[int, str, str] | None:
        """(id, name, territory) of a commune."""
        row = (
            await self._session.execute(
                select(Commune.id, Commune.name, Commune.territory).where(Commune.id == commune_id)
            )
        ).first()
        return None if row is None else (row.id, row.name, row.territory)

    async def operator_of(self, commune_id: int) -> Operator | None:
        return await self._session.scalar(
            select(Operator)
            .join(Commune, Commune.operator_code == Operator.code)
            .where(Commune.id == commune_id)
        )
