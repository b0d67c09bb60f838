"""Reading what the services stored, straight from the database (tests look; they never write)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kiosk.runtime import Runtime

T = TypeVar("T")


async def stored(runtime: Runtime, statement: Select[T]) -> list[T]:
    """The first column of every row of ``statement`` (an ORM entity or a plain value)."""
    async with AsyncSession(runtime.engine) as session:
        return list(await session.scalars(statement))


async def count(runtime: Runtime, entity: Any) -> int:
    """How many rows the table of ``entity`` holds."""
    async with AsyncSession(runtime.engine) as session:
        return int(await session.scalar(select(func.count()).select_from(entity)) or 0)
